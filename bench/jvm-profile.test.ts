import { poolOf, summariseExecutionSamples } from './jvm-profile';

// As `jfr print --events jdk.ExecutionSample --stack-depth 1` writes them.
const printed = (thread: string, frame: string) => `jdk.ExecutionSample {
  startTime = 07:36:05.804
  sampledThread = "${thread}" (javaThreadId = 39)
  state = "STATE_RUNNABLE"
  stackTrace = [
    ${frame} line: 220
    ...
  ]
}
`;

describe('the JVM profile summary', () => {
  it('names a thread by its pool, without the worker numbers', () => {
    expect(poolOf('Native-Transport-Requests-3')).toBe('Native-Transport-Requests');
    expect(poolOf('Messaging-EventLoop-3-1')).toBe('Messaging-EventLoop');
    expect(poolOf('CompactionExecutor:2')).toBe('CompactionExecutor');
    expect(poolOf('MutationStage-12')).toBe('MutationStage');
    expect(poolOf('COMMIT-LOG-WRITER')).toBe('COMMIT-LOG-WRITER');
  });

  it('counts samples by pool and by the package on top of the stack, most first', () => {
    const text = [
      printed('Native-Transport-Requests-1', 'org.apache.cassandra.transport.Message$Request.execute(long)'),
      printed('Native-Transport-Requests-2', 'org.apache.cassandra.cql3.QueryProcessor.process(String)'),
      printed('MutationStage-4', 'org.apache.cassandra.db.Memtable.put(PartitionUpdate)'),
      printed('Native-Transport-Requests-1', 'io.netty.buffer.ByteBuf.writeBytes(byte[])'),
    ].join('\n');
    expect(summariseExecutionSamples(text)).toEqual({
      pools: [
        ['Native-Transport-Requests', 3],
        ['MutationStage', 1],
      ],
      packages: [
        ['org.apache.cassandra.transport', 1],
        ['org.apache.cassandra.cql3', 1],
        ['org.apache.cassandra.db', 1],
        ['io.netty.buffer', 1],
      ],
      total: 4,
    });
  });

  it('finds nothing in a recording without execution samples', () => {
    expect(summariseExecutionSamples('')).toEqual({ pools: [], packages: [], total: 0 });
  });
});
