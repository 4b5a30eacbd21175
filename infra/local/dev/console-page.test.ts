import { renderConsole, sparkline, type ConsoleView } from './console-page';

const view: ConsoleView = {
  status: {
    at: 0,
    rows: 12,
    deadLetters: 3,
    mappings: [
      {
        functionKey: 'writeUsers',
        topic: 'users_created',
        consumerGroupId: 'g',
        totalLag: 5,
        partitions: [{ partition: 0, committed: undefined, end: 5, lag: 5 }],
      },
    ],
    registry: { subject: 'users_created-value', versions: [1, 2], compatibility: 'FULL_TRANSITIVE' },
  },
  statusError: undefined,
  lagHistory: {
    writeUsers: [
      { at: 0, lag: 0 },
      { at: 5000, lag: 5 },
    ],
  },
  functions: {},
  scheduleRuns: [],
  deadLetters: [],
  deadLetterReasons: { '<script>': 1 },
  notice: 'done <b>',
};

describe('the console page', () => {
  it('shows the figures under the test ids the browser test reads', () => {
    const html = renderConsole(view, 'page-token');
    expect(html).toContain('<strong data-testid="rows">12</strong>');
    expect(html).toContain('<strong data-testid="dead-letters">3</strong>');
    expect(html).toContain('<td data-testid="lag-writeUsers-0">5</td>');
    expect(html).toContain('<td>none</td>');
    expect(html).toContain('<span data-testid="registry">users_created-value: version(s) 1, 2, FULL_TRANSITIVE compatibility</span>');
  });

  it('says when the registry could not be read, and when the subject is not registered', () => {
    const down = { ...view.status!, registry: { subject: 'users_created-value', error: 'did not answer' } };
    expect(renderConsole({ ...view, status: down }, 't')).toContain('users_created-value: did not answer');
    const empty = { ...view.status!, registry: { subject: 'users_created-value', versions: [], compatibility: undefined } };
    expect(renderConsole({ ...view, status: empty }, 't')).toContain('users_created-value: not registered (npm run stack:up registers it)');
  });

  it('escapes what it did not write itself', () => {
    const html = renderConsole(view, 'page-token');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt; 1');
    expect(html).toContain('done &lt;b&gt;');
  });

  it('says when the status cannot be read, instead of showing stale figures', () => {
    expect(renderConsole({ ...view, status: undefined, statusError: 'Kafka is down' }, 'page-token')).toContain('Status unavailable: Kafka is down');
  });

  it('draws a line from the first sample to the last, scaled to the highest', () => {
    expect(
      sparkline(
        [
          [0, 0],
          [10, 5],
        ],
        104,
        24,
      ),
    ).toContain('d="M2.0,22.0 L102.0,2.0"');
    expect(sparkline([[0, 1]])).toContain('not enough samples yet');
  });

  it('carries the server’s form token in its redrive form, and nowhere else', () => {
    const html = renderConsole(view, 'page-token');
    expect(html).toContain('<input type="hidden" name="token" value="page-token">');
    expect(html.split('page-token')).toHaveLength(2);
  });
});
