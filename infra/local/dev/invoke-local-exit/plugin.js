// Serverless plugin: ends `sls invoke local` once the invocation has printed its result, or its error.
// osls waits for Node's event loop to drain, and the functions keep their Kafka and Cassandra
// connections open across invocations (as a warm Lambda container does), and serverless-esbuild
// keeps its esbuild service running, so without this the command would wait until the broker closes
// idle connections (ten minutes), or forever after a failure. Lambda itself freezes the container at
// that point; exiting is the local equivalent.
'use strict';

/** Time for osls to print the error before the process ends. */
const PRINT_ERROR_MS = 500;

class InvokeLocalExitPlugin {
  constructor(serverless) {
    this.hooks = {
      'after:invoke:local:invoke': () => {
        setImmediate(() => process.exit(process.exitCode ?? 0));
      },
    };
    // A failing invocation (a bad setting at cold start, a handler that throws) never reaches the hook
    // above: end the process after osls has reported the failure, with a failing exit code. Wrapped
    // when the invocation starts, so every plugin that hooks it is already registered.
    this.hooks['before:invoke:local:invoke'] = () => {
      const { wrapHooks } = require('tsx/cjs/api').require('../../../framework-internals.ts', __filename);
      wrapHooks(serverless, 'invoke:local:invoke', (original) => async (...args) => {
        try {
          return await original(...args);
        } catch (error) {
          setTimeout(() => process.exit(1), PRINT_ERROR_MS).unref();
          throw error;
        }
      });
    };
  }
}

module.exports = InvokeLocalExitPlugin;
