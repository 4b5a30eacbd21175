// Serverless plugin: ends `sls invoke local` once the invocation has printed its result.
// osls waits for Node's event loop to drain, and the functions keep their Kafka and Cassandra
// connections open across invocations (as a warm Lambda container does), so without this the
// command would wait until the broker closes idle connections, ten minutes later. Lambda itself
// freezes the container at that point; exiting is the local equivalent.
'use strict';

class InvokeLocalExitPlugin {
  constructor() {
    this.hooks = {
      'after:invoke:local:invoke': () => {
        setImmediate(() => process.exit(process.exitCode ?? 0));
      },
    };
  }
}

module.exports = InvokeLocalExitPlugin;
