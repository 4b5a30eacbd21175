// Serverless plugin: completes the packaged CloudFormation template for the stage
// (infra/deploy/aws-deployment.ts) and refuses deployments that could only go wrong: an example
// stage, or a stage on a local Kafka sent anywhere but an AWS API emulator (AWS_ENDPOINT_URL).
'use strict';

class DeploymentPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.hooks = {
      initialize: () => this.nameFunctionServices(),
      'after:package:compileEvents': () => this.completeTemplate(),
      'before:deploy:deploy': () => this.refuseUnsafeDeploy(),
      'before:deploy:function:initialize': () => this.refuseUnsafeDeploy(),
      'before:remove:remove': () => this.skipEcrProbe(),
    };
  }

  /**
   * osls' remove asks ECR whether the service's image repository exists. This service deploys no
   * images, so osls never created one; and an AWS API emulator without ECR (LocalStack's free image
   * answers 501) would fail the whole removal on the question.
   */
  skipEcrProbe() {
    if (this.serverless.service.provider.ecr?.images) return;
    const { replacePluginMethod } = require('tsx/cjs/api').require('../framework-internals.ts', __filename);
    replacePluginMethod(this.serverless, 'AwsRemove', 'checkIfEcrRepositoryExists', () => async () => false);
  }

  /** Each function's logs and metrics carry its key in serverless.yml, stated nowhere else. */
  nameFunctionServices() {
    const { service } = this.serverless;
    for (const key of service.getAllFunctions()) {
      const fn = service.getFunction(key);
      fn.environment = { POWERTOOLS_SERVICE_NAME: key, ...fn.environment };
    }
  }

  completeTemplate() {
    const tsx = require('tsx/cjs/api');
    const { completeTemplate } = tsx.require('./aws-deployment.ts', __filename);
    const { readCqlTable } = tsx.require('../../contract/cql-table.ts', __filename);
    const { METRICS_NAMESPACE } = tsx.require('../../functions/shared/metrics-namespace.ts', __filename);
    const { service } = this.serverless;
    const naming = this.provider.naming;
    const fn = (key) => ({
      key,
      name: service.getFunction(key).name,
      logicalId: naming.getLambdaLogicalId(key),
      events: service.getFunction(key).events || [],
    });
    try {
      completeTemplate(service.provider.compiledCloudFormationTemplate, {
        settings: service.custom.stage,
        controls: service.custom.eventSourceMappings || {},
        functions: { produceUsers: fn('produceUsers'), writeUsers: fn('writeUsers') },
        topics: { usersCreated: service.custom.topics.usersCreated.name, usersDeadLetter: service.custom.topics.usersDeadLetter.name },
        table: readCqlTable(),
        namespace: METRICS_NAMESPACE,
      });
    } catch (error) {
      throw new this.serverless.classes.Error(error.message, 'DEPLOYMENT_SETTINGS_INVALID');
    }
  }

  refuseUnsafeDeploy() {
    const stage = this.provider.getStage();
    const { kafkaSource } = this.serverless.service.custom.stage;
    if (stage.startsWith('example-')) {
      throw new this.serverless.classes.Error(
        `Stage "${stage}" is an example: its ARNs, subnets and security groups are placeholders. Copy its params into a stage of your own (params.<stage> in serverless.yml, or --param) and deploy that.`,
        'EXAMPLE_STAGE_NOT_DEPLOYABLE',
      );
    }
    if (kafkaSource === 'local' && !process.env.AWS_ENDPOINT_URL) {
      throw new this.serverless.classes.Error(
        `Stage "${stage}" uses the Kafka on this machine (kafka: local), which AWS cannot reach. Deploy it only to an AWS API emulator (AWS_ENDPOINT_URL=http://127.0.0.1:5000, see the README), or deploy an AWS stage: sls deploy --stage <name> with its params.`,
        'LOCAL_STAGE_NOT_DEPLOYABLE',
      );
    }
  }
}

module.exports = DeploymentPlugin;
