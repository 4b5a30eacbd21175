// `npm start`: the whole pipeline on this machine. Brings the native stack up when nothing answers,
// then runs `sls offline start` (the produceUsers schedule, and the Kafka event-source emulator for
// writeUsers), with one log file per function under .local/logs/functions.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { FunctionLogRouter } from './function-log-router';
import { LocalStack } from '../stack/local-stack';
import { PipelineConsole } from './console-server';
import { FunctionActivity } from './function-activity';
import { resolvedMappings, resolvedService } from './resolved-service';
import { projectRoot } from '../stack/stack-settings';
import { StackError } from '../stack/stack-error';
import { readCommandLine } from '../../command-line';
import { offlineNodeOptions } from './offline-node-options';

/** CONSOLE_PORT, default 3100; 0 picks a free port (the banner prints it). */
function consolePort(): number {
  const raw = process.env.CONSOLE_PORT ?? '3100';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StackError(`CONSOLE_PORT="${raw}" is not a TCP port (0-65535; 0 picks a free one).`);
  return port;
}

const USAGE = `npm start: the whole pipeline on this machine

Starts Kafka and Cassandra when nothing answers, then sls offline: produceUsers every minute, writeUsers
fed from users_created by the Kafka event-source emulator, one log per function under .local/logs/functions,
and the console on http://127.0.0.1:3100/ (CONSOLE_PORT). Ctrl-C stops it (the stack stays up:
npm run stack:down). Without internet: npm run users-api, then USERS_API_URL=http://127.0.0.1:8089/api/ npm start.`;

async function main(): Promise<void> {
  readCommandLine({ usage: USAGE });
  const stack = new LocalStack();
  const { kafka, cassandra, dirs } = stack.settings;
  // KAFKA_AUTH=scram on a stack with a SCRAM listener: the functions and the emulated mapping log in
  // there with the secret of KAFKA_SASL_SECRET_ARN, as they do in AWS. Checked before anything starts.
  const scram = process.env.KAFKA_AUTH?.trim() === 'scram' ? (kafka.scram ?? 'missing') : undefined;
  if (scram === 'missing') {
    throw new StackError(
      'KAFKA_AUTH=scram needs the stack’s SASL/SCRAM listener: set KAFKA_SCRAM_LISTENER, KAFKA_SCRAM_USERNAME and KAFKA_SCRAM_PASSWORD (docs/deploying.md), or unset KAFKA_AUTH.',
    );
  }
  if (await stack.isReady()) {
    await stack.provision();
    console.log('[start] Kafka and Cassandra already answer: using them');
  } else {
    await stack.up();
  }

  // The functions of serverless.yml, as sls offline will run them: one log file each.
  const service = resolvedService();
  const functions = Object.keys(service.functions);
  const activity = new FunctionActivity(functions);
  const logs = new FunctionLogRouter(path.join(dirs.logs, 'functions'), functions, undefined, (line) => activity.observe(line));
  const pipelineConsole = new PipelineConsole(stack.settings, resolvedMappings(service), activity);
  const consoleUrl = await pipelineConsole.start(consolePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: scram ? scram.broker : kafka.brokers.join(','),
    CASSANDRA_CONTACT_POINTS: cassandra.contactPoints.join(','),
    CASSANDRA_LOCAL_DC: cassandra.localDc,
  };
  console.log(
    [
      '',
      '  realtime-data-streaming, running locally',
      `  Kafka          ${env.KAFKA_BROKERS}   topics users_created, users_created.dlq${scram ? ` (SASL/SCRAM, ${env.KAFKA_SASL_SECRET_ARN})` : ''}`,
      `  Cassandra      ${env.CASSANDRA_CONTACT_POINTS}   spark_streams.created_users (${cassandra.localDc})`,
      `  produceUsers   every minute: ${env.USERS_PER_RUN ?? '100'} users from ${env.USERS_API_URL ?? 'https://randomuser.me/api/'}`,
      '  writeUsers     users_created → Cassandra, through the Kafka event-source emulator',
      `  logs           ${path.relative(projectRoot, logs.fileOf('<function>'))} (tail -f), stack logs in ${path.relative(projectRoot, dirs.logs)}`,
      `  console        ${consoleUrl}`,
      '  status         npm run status          stop: Ctrl-C (the stack keeps running; npm run stack:down)',
      '',
    ].join('\n'),
  );

  const sls = path.join(projectRoot, 'node_modules', '.bin', 'sls');
  const child = spawn(sls, ['offline', 'start', '--noSponsor'], {
    cwd: projectRoot,
    env: { ...env, NODE_OPTIONS: offlineNodeOptions(env.NODE_OPTIONS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => logs.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => logs.write(chunk));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.on('exit', (exitCode) => resolve(exitCode ?? 0)));
  logs.close();
  await pipelineConsole.stop();
  process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(error instanceof StackError ? `[stack] ${error.message}` : error);
  process.exitCode = 1;
});
