import fc from 'fast-check';
import { loadEvent } from '../../test/support/load-event';
import { canonicalBase64, headersOf, recordsOf, type LambdaKafkaEvent } from '../../contract/lambda-kafka-event';
import { PoisonRecordError } from '../shared/errors';
import { decodeBase64, decodeJsonValue, decodeUtf8 } from './decode-record';

function reasonOf(record: Parameters<typeof decodeJsonValue>[0]): string {
  try {
    decodeJsonValue(record);
    return 'decoded';
  } catch (error) {
    // Anything but a named poison reason is a bug in the decoder, and fails the test.
    if (error instanceof PoisonRecordError) return error.reason;
    throw error;
  }
}

describe("a record's value, as writeUsers decodes it", () => {
  const msk = loadEvent<LambdaKafkaEvent>('write-users.msk.json');
  const mixed = loadEvent<LambdaKafkaEvent>('write-users.mixed-batch.json');

  it('decodes a base64 JSON value and byte-array headers', () => {
    const [record] = recordsOf(msk);
    expect(decodeJsonValue(record)).toMatchObject({ id: Buffer.from(record.key!, 'base64').toString('utf8') });
    expect(headersOf(record).traceparent.toString()).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
  });

  it('names the decoding step a poison record failed at', () => {
    const reasons = recordsOf(mixed).map((record) => `${record.partition}/${record.offset}:${reasonOf(record)}`);
    expect(reasons).toEqual([
      '0/200:decoded',
      '0/201:not-json',
      '0/202:decoded',
      '1/300:decoded',
      '1/301:decoded',
      '1/302:decoded',
      '2/400:not-utf8',
      '2/401:decoded',
      '2/402:not-base64',
    ]);
  });

  it('treats a record without a value as poison', () => {
    const [record] = recordsOf(msk);
    expect(reasonOf({ ...record, value: undefined })).toBe('missing-value');
  });

  it('refuses base64 of a length no encoder produces, and names the field', () => {
    const record = { ...msk.records['users_created-0'][0], value: 'abc' };
    expect(() => decodeJsonValue(record)).toThrow(new PoisonRecordError('not-base64', 'value is not valid base64'));
    expect(reasonOf({ ...record, value: 'YWJj' })).toBe('not-json');
    expect(reasonOf({ ...record, value: 'YWI=' })).toBe('not-json');
  });

  it('calls an empty value missing, not malformed', () => {
    const record = { ...msk.records['users_created-0'][0], value: '' };
    expect(() => decodeJsonValue(record)).toThrow('missing-value: record has no value (a tombstone or an empty message)');
  });

  it('takes exactly the strings of the strict base64 grammar whose pad bits are zero (RFC 4648 §3.5)', () => {
    const strict = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    // The last character before the padding carries 4 (with ==) or 2 (with =) bits that no byte fills.
    const padBitsZero = (text: string) =>
      text.endsWith('==') ? alphabet.indexOf(text.at(-3)!) % 16 === 0 : text.endsWith('=') ? alphabet.indexOf(text.at(-2)!) % 4 === 0 : true;
    const accepts = (text: string) => {
      try {
        decodeBase64('value', text);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/=-_ \n'), maxLength: 12 }), (text) => {
        expect(accepts(text)).toBe(strict.test(text) && padBitsZero(text));
        expect(canonicalBase64(text) !== undefined).toBe(accepts(text));
      }),
      { numRuns: 5000 },
    );
    expect(accepts('QR==')).toBe(false);
    expect(accepts('QQ==')).toBe(true);
  });

  it("decodes every encoder's base64 of any bytes back to those bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64('value', Buffer.from(bytes).toString('base64'))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('reads UTF-8 exactly as a fatal TextDecoder does, byte-order mark and all', () => {
    const reference = new TextDecoder('utf-8', { fatal: true });
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 16 }),
      fc.string({ unit: 'binary', maxLength: 8 }).map((text) => new Uint8Array(Buffer.from(text))),
      fc.uint8Array({ maxLength: 8 }).map((tail) => new Uint8Array([0xef, 0xbb, 0xbf, ...tail])),
    );
    fc.assert(
      fc.property(bytes, (array) => {
        let expected: string | undefined;
        try {
          expected = reference.decode(array);
        } catch {
          expected = undefined;
        }
        let actual: string | undefined;
        try {
          actual = decodeUtf8(Buffer.from(array));
        } catch (error) {
          expect(error).toEqual(new PoisonRecordError('not-utf8', 'value is not valid UTF-8'));
          actual = undefined;
        }
        expect(actual).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    // Three characters one byte away from the byte-order mark, which stay; and the mark, which goes.
    expect(decodeUtf8(Buffer.from([0xe0, 0xbb, 0xbf, 0x41]))).toBe('\u0effA');
    expect(decodeUtf8(Buffer.from([0xef, 0x80, 0xbf, 0x41]))).toBe('\uf03fA');
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0x80, 0x41]))).toBe('\ufec0A');
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('A');
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]))).toBe('\ufeff');
  });
});
