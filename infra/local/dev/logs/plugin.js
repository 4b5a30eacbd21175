// Serverless plugin: `sls logs -f <function> --offline [--tail] [--startTime 10m] [--filter text]`
// prints the function's lines from the local run (`npm start` writes .local/logs/functions/), the way
// osls prints CloudWatch events. Only with --offline: without it, osls' own `logs` command runs
// untouched against the stage's CloudWatch log group, so a local read can't pass for an AWS one.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

class LocalLogsPlugin {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options || {};
    this.commands = {
      logs: {
        options: {
          offline: {
            usage: "Read the local run's log (.local/logs/functions/<function>.log, from `npm start`) instead of CloudWatch",
            type: 'boolean',
          },
        },
      },
    };
    this.hooks = {
      initialize: () => this.takeOverLogsWhenOffline(),
      'logs:logs': () => (this.options.offline ? this.showLocalLogs() : undefined),
    };
  }

  /** With --offline, this plugin's hook is the only one on `logs:logs`: AWS's is dropped. */
  takeOverLogsWhenOffline() {
    if (!this.options.offline) return;
    const { keepOnlyHooksOf } = require('tsx/cjs/api').require('../../../framework-internals.ts', __filename);
    keepOnlyHooksOf(this.serverless, 'logs:logs', LocalLogsPlugin.name);
  }

  async showLocalLogs() {
    const tsx = require('tsx/cjs/api');
    const { readLines, selectLines } = tsx.require('./local-log-lines.ts', __filename);
    const { stackSettings } = tsx.require('../../stack/stack-settings.ts', __filename);
    const { oslsLogHelpers } = tsx.require('../../../framework-internals.ts', __filename);
    const { parseTimeInput, subtractTime, formatLogTimestamp, writeText, style, ServerlessError } = oslsLogHelpers();

    const key = this.options.function;
    this.serverless.service.getFunction(key); // refuses a function serverless.yml does not have
    const file = path.join(stackSettings().dirs.logs, 'functions', `${key}.log`);
    if (!fs.existsSync(file) && !this.options.tail) {
      throw new ServerlessError(
        `No local log for ${key} at ${file}: start the pipeline with \`npm start\` first, or drop --offline to read the stage's CloudWatch logs.`,
        'NO_LOCAL_LOG',
      );
    }
    const tail = Boolean(this.options.tail);
    let startTime = this.options.startTime ? parseTimeInput(this.options.startTime, '--startTime') : subtractTime(new Date(), 10, tail ? 's' : 'm').getTime();
    const interval = Number(this.options.interval) || 1000;

    let offset = 0;
    let lastTime;
    const print = () => {
      if (!fs.existsSync(file)) return;
      const size = fs.statSync(file).size;
      if (size < offset) offset = 0; // the file was replaced
      if (size === offset) return;
      const fd = fs.openSync(file, 'r');
      const buffer = Buffer.alloc(size - offset);
      fs.readSync(fd, buffer, 0, buffer.length, offset);
      fs.closeSync(fd);
      // Only whole lines; a line still being written is read on the next poll.
      const complete = buffer.lastIndexOf(0x0a) + 1;
      offset += complete;
      const lines = readLines(buffer.subarray(0, complete).toString('utf8'), lastTime);
      if (lines.length > 0) lastTime = lines[lines.length - 1].time;
      for (const line of selectLines(lines, { startTime, filter: this.options.filter })) {
        const text = line.text.startsWith('(λ:') ? style.aside(line.text) : line.text;
        writeText(`${style.aside(`${formatLogTimestamp(new Date(line.time).toISOString())}\t`)}${text}`);
      }
    };

    print();
    if (!tail) return;
    startTime = 0; // lines appended from now on are shown whatever their time
    await new Promise((resolve) => {
      const timer = setInterval(print, interval);
      const stop = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
}

module.exports = LocalLogsPlugin;
