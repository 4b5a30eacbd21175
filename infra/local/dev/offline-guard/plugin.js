// Serverless plugin: sls offline's servers refuse what does not come from a program on this machine
// (guard-servers.ts says why). List it before serverless-offline, whose servers start in its own
// `offline:start:init`.
'use strict';

class OfflineGuardPlugin {
  constructor() {
    const guard = () => {
      const { guardHapiServers } = require('tsx/cjs/api').require('./guard-servers.ts', __filename);
      guardHapiServers(require('@hapi/hapi'), (line) => process.stdout.write(`${new Date().toISOString()} [offline-guard] ${line}\n`));
    };
    this.hooks = { 'offline:start:init': guard, 'before:offline:start': guard };
  }
}

module.exports = OfflineGuardPlugin;
