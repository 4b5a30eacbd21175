// `npm run dlq -- <command>`: the dead-letter topic users_created.dlq as something to work with.
//   list    [--reason R] [--since T]           where, when, why and from where; no personal field
//   show    <partition:offset> [--reveal]      one record, personal fields masked unless --reveal
//   redrive [--reason R] [--since T] [--dry-run]
//           republishes the chosen records to users_created with their original key, value and
//           headers, once: a dead letter already redriven is skipped (see redrive.ts)
// T is a duration back from now (30m, 2h, 1d) or an ISO time. KAFKA_BROKERS as everywhere.
import { Kafka, logLevel } from 'kafkajs';
import { USERS_DEAD_LETTER_TOPIC } from '../../../contract/topic-names';
import { stackSettings } from '../stack/stack-settings';
import { maskedValue, select, toDeadLetterEntry, type DeadLetterEntry } from './dead-letter-entry';
import { redrive } from './redrive';
import { readCommandLine, usageFailure, UsageError } from '../../command-line';
import { readTopic } from './topic-reader';

const USAGE = `npm run dlq -- <command>: the dead-letter topic ${USERS_DEAD_LETTER_TOPIC}

  list    [--reason R] [--since T]               where, when, why and from where; no personal field
  show    <partition:offset> [--reveal]          one record, personal fields masked unless --reveal
  redrive [--reason R] [--since T] [--dry-run]   republish the chosen records to users_created, once

T is a duration back from now (30m, 2h, 1d) or an ISO time. KAFKA_BROKERS as everywhere.`;

export function parseSince(raw: string | undefined, now = Date.now()): number | undefined {
  if (raw === undefined) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(raw);
  if (relative) return now - Number(relative[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const absolute = Date.parse(raw);
  if (Number.isNaN(absolute)) throw new UsageError(`--since "${raw}": give a duration back from now (30m, 2h, 1d) or an ISO time (2026-11-27T07:00:00Z)`);
  return absolute;
}

function table(entries: DeadLetterEntry[]): string {
  const rows = entries.map((e) => [
    e.position,
    new Date(Number(e.timestamp)).toISOString(),
    e.reason,
    `${e.source.topic}:${e.source.partition}:${e.source.offset}`,
    e.detail.slice(0, 80),
  ]);
  const header = ['position', 'time', 'reason', 'source', 'detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = readCommandLine(
    {
      usage: USAGE,
      maxPositionals: 2,
      options: {
        reason: { type: 'string' },
        since: { type: 'string' },
        reveal: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
      },
    },
    argv,
  );
  const [command, position] = positionals;
  if (!['list', 'show', 'redrive'].includes(command ?? ''))
    usageFailure(USAGE, command ? `unknown command "${command}"` : 'which command? list, show or redrive');
  const kafka = new Kafka({ clientId: 'dlq-tool', brokers: stackSettings().kafka.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const entries = async () => (await readTopic(kafka, USERS_DEAD_LETTER_TOPIC)).map(toDeadLetterEntry);
  const selection = { reason: values.reason, since: parseSince(values.since) };

  switch (command) {
    case 'list': {
      const chosen = select(await entries(), selection);
      console.log(chosen.length > 0 ? table(chosen) : 'no dead letters match');
      const reasons = Object.entries(chosen.reduce<Record<string, number>>((n, e) => ({ ...n, [e.reason]: (n[e.reason] ?? 0) + 1 }), {}));
      console.log(`\n${chosen.length} record(s) on ${USERS_DEAD_LETTER_TOPIC}${reasons.length ? `: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}` : ''}`);
      return;
    }
    case 'show': {
      if (!position || !/^\d+:\d+$/.test(position)) throw new UsageError('show needs a position partition:offset, as `list` prints it (for example 0:42)');
      const entry = (await entries()).find((e) => e.position === position);
      if (!entry) throw new UsageError(`no record at ${position} on ${USERS_DEAD_LETTER_TOPIC}; \`npm run dlq -- list\` shows the positions`);
      const { original } = entry;
      const value = values.reveal ? (original.value?.toString('utf8') ?? null) : maskedValue(original.value);
      console.log(
        JSON.stringify(
          {
            position: entry.position,
            time: new Date(Number(entry.timestamp)).toISOString(),
            writer: entry.writer,
            traceId: entry.traceId ?? null,
            reason: entry.reason,
            detail: entry.detail,
            source: entry.source,
            key: original.key?.toString('utf8') ?? null,
            headers: original.headers,
            value,
          },
          null,
          2,
        ),
      );
      return;
    }
    case 'redrive': {
      const chosen = select(await entries(), selection);
      const report = await redrive(kafka, chosen, { dryRun: values['dry-run'] });
      const verb = values['dry-run'] ? 'would redrive' : 'redrove';
      console.log(`${report.chosen} chosen, ${verb} ${report.redriven} to users_created, ${report.alreadyRedriven} already redriven before`);
      if (report.positions.length > 0) console.log(`${verb}: ${report.positions.join(' ')}`);
      return;
    }
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    if (error instanceof UsageError) usageFailure(USAGE, `dlq: ${error.message}`);
    console.error(error);
    process.exitCode = 1;
  });
}
