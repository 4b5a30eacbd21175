import { invocationTrace, traceOf } from './trace-context';

const fixed = (bytes: number) => Buffer.alloc(bytes, 0xab);

describe('invocationTrace', () => {
  it('writes the invocation’s X-Ray trace in W3C form: the root without dashes, the parent, the sampled flag', () => {
    // AWS's example header (X-Ray developer guide, "Tracing header").
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    expect(invocationTrace(header, fixed)).toEqual({
      traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      traceId: '5759e988bd862e3fe1be46a994272793',
    });
    expect(invocationTrace('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0', fixed).traceparent).toBe(
      '00-5759e988bd862e3fe1be46a994272793-abababababababab-00',
    );
  });

  it('starts a new random trace without an X-Ray header, or with one it cannot read', () => {
    for (const header of [undefined, '', 'Root=2-5759e988-bd862e3fe1be46a994272793', 'Parent=53995c3f42cd8ad8']) {
      expect(invocationTrace(header, fixed)).toEqual({ traceparent: `00-${'ab'.repeat(16)}-${'ab'.repeat(8)}-00`, traceId: 'ab'.repeat(16) });
    }
    expect(invocationTrace(undefined).traceId).not.toBe(invocationTrace(undefined).traceId);
  });
});

describe('traceOf', () => {
  it('reads a traceparent header as text or bytes', () => {
    const header = '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01';
    expect(traceOf(header)).toEqual({ traceparent: header, traceId: '5759e988bd862e3fe1be46a994272793' });
    expect(traceOf(Buffer.from(header))?.traceId).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('gives no trace for a missing, malformed or all-zero header', () => {
    for (const header of [
      undefined,
      '',
      'nope',
      '01-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      `00-${'0'.repeat(32)}-53995c3f42cd8ad8-01`,
      `00-5759e988bd862e3fe1be46a994272793-${'0'.repeat(16)}-01`,
    ]) {
      expect(traceOf(header)).toBeUndefined();
    }
  });
});

describe('trace context, read strictly', () => {
  it('reads the X-Ray header’s fields in any order, each at the start, the middle or the end', () => {
    const w3c = '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01';
    for (const header of [
      'Sampled=1;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793',
      'Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1;Parent=53995c3f42cd8ad8',
    ]) {
      expect([header, invocationTrace(header, fixed).traceparent]).toEqual([header, w3c]);
    }
    expect(invocationTrace('Root=1-5759e988-bd862e3fe1be46a994272793;XSampled=1;Parent=53995c3f42cd8ad8', fixed).traceparent).toMatch(/-00$/);
  });

  it('takes W3C’s own example, whose ids start with zeros, and ids that end with them', () => {
    expect(traceOf('00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01')?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(traceOf('00-0af7651916cd43dd8448eb211c803100-53995c3f42cd8a00-01')?.traceId).toBe('0af7651916cd43dd8448eb211c803100');
  });

  it('refuses anything before or after the header', () => {
    expect(traceOf('x00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01')).toBeUndefined();
    expect(traceOf('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01x')).toBeUndefined();
  });
});
