import { connectorJars } from './spark-drain';

describe('connectorJars', () => {
  it('keeps the connectors’ jars pyspark lacks, whatever the versions of those it ships, and nothing but jars', () => {
    const connectors = [
      '.resolved',
      'scala-library-2.12.19.jar',
      'slf4j-api-1.7.36.jar',
      'spark-cassandra-connector_2.12-3.5.1.jar',
      'kafka-clients-3.4.1.jar',
      'java-driver-shaded-guava-25.1-jre-graal-sub-1.jar',
      'HdrHistogram-2.1.12.jar',
    ];
    const pyspark = ['scala-library-2.12.18.jar', 'slf4j-api-2.0.7.jar', 'spark-core_2.12-3.5.7.jar', 'HdrHistogram-2.1.9.jar'];
    expect(connectorJars(connectors, pyspark)).toEqual([
      'spark-cassandra-connector_2.12-3.5.1.jar',
      'kafka-clients-3.4.1.jar',
      'java-driver-shaded-guava-25.1-jre-graal-sub-1.jar',
    ]);
  });
});
