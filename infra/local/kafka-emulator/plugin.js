// Serverless plugin: the Kafka event-source mapping emulator for `sls offline start`.
// serverless-offline ignores `kafka` and `msk` events; this consumes their topics from the local Kafka
// and invokes the functions in serverless-offline's Lambda runtime (`serverless-offline/lambda`, given
// custom.serverless-offline and the command line's options, not serverless-offline's defaults: those the
// runtime reads are off when absent, or feed an idle timer only serverless-offline's server starts).
// List it before serverless-offline so its shutdown runs before serverless-offline exits the process.
'use strict';

class KafkaEmulatorPlugin {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = {
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
    };
  }

  async start() {
    const { OfflineKafkaEmulation } = require('tsx/cjs/api').require('./offline-kafka-emulation.ts', __filename);
    const log = (line) => process.stdout.write(`${new Date().toISOString()} [kafka-esm] ${line}\n`);
    // An ES module: imported here, where Node (not tsx's CommonJS hook) loads it.
    const { default: Lambda } = await import('serverless-offline/lambda');
    const offlineOptions = { ...this.serverless.service.custom?.['serverless-offline'], ...this.options };
    this.emulation = new OfflineKafkaEmulation(this.serverless, this.options, log, new Lambda(this.serverless, offlineOptions));
    try {
      await this.emulation.start();
    } catch (error) {
      // A setting that cannot work is shown as osls shows its own configuration errors.
      if (error.name === 'SettingsError') throw new this.serverless.classes.Error(error.message, 'KAFKA_EMULATOR_SETTINGS_INVALID');
      throw error;
    }
  }

  async stop() {
    await this.emulation?.stop();
  }
}

module.exports = KafkaEmulatorPlugin;
