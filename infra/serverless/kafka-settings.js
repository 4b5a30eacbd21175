// Resolves Kafka settings for serverless.yml from the same environment the functions read:
// `${file(infra/serverless/kafka-settings.js):bootstrapServers}` turns KAFKA_BROKERS into the list
// the kafka event wants.
'use strict';

module.exports = {
  bootstrapServers: () =>
    (process.env.KAFKA_BROKERS || '127.0.0.1:9092')
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
};
