// The local console `npm start` serves on 127.0.0.1: one page (console-page.ts) and its figures as
// JSON (/api/status). It samples the pipeline's status every few seconds (the same reads as
// `npm run status`), keeps the lag history of the last minutes, and redrives dead letters on request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'cassandra-driver';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { USERS_DEAD_LETTER_TOPIC } from '../../../contract/topic-names';
import { select, toDeadLetterEntry, type DeadLetterEntry } from '../dlq/dead-letter-entry';
import { redrive } from '../dlq/redrive';
import { readTopic } from '../dlq/topic-reader';
import { SchemaRegistryClient } from '../../../functions/shared/schema-registry';
import { mappingStatus, pipelineStatus, type MappingStatus, type PipelineStatus } from './pipeline-status';
import { cassandraClientOptions, type StackSettings } from '../stack/stack-settings';
import type { EventSourceMapping } from '../../mapping/event-source-mapping';
import { renderConsole, type ConsoleView } from './console-page';
import type { FunctionActivity } from './function-activity';
import { checkHost, checkStateChange, newFormToken, readBoundedBody } from './request-guard';

const HISTORY_SAMPLES = 120;

export class PipelineConsole {
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly cassandra: Client;
  private status: PipelineStatus | undefined;
  private statusError: string | undefined;
  private readonly lagHistory: ConsoleView['lagHistory'] = {};
  private deadLetters: DeadLetterEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private port = 0;
  /** Only this process's own page carries it: a redrive without it came from elsewhere. */
  private readonly formToken = newFormToken();

  private readonly registry: SchemaRegistryClient;

  constructor(
    settings: StackSettings,
    private readonly mappings: EventSourceMapping[],
    private readonly activity: FunctionActivity,
    private readonly sampleEveryMs = 5000,
  ) {
    this.kafka = new Kafka({ clientId: 'local-console', brokers: settings.kafka.brokers, logLevel: logLevel.NOTHING, retry: { retries: 1 } });
    this.admin = this.kafka.admin();
    this.cassandra = new Client(cassandraClientOptions(settings.cassandra));
    this.registry = new SchemaRegistryClient(settings.schemaRegistry.url, { timeoutMs: 3000 });
  }

  async start(port: number): Promise<string> {
    await this.admin.connect();
    await this.sampleLag();
    this.timer = setInterval(() => void this.sampleLag(), this.sampleEveryMs);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}/`;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.admin.disconnect().catch(() => undefined);
    await this.cassandra.shutdown().catch(() => undefined);
  }

  /** The figures as they are now: status read afresh, so the page agrees with `npm run status`. */
  async view(notice?: string): Promise<ConsoleView> {
    await this.sample();
    const reasons = this.deadLetters.reduce<Record<string, number>>((n, e) => ({ ...n, [e.reason]: (n[e.reason] ?? 0) + 1 }), {});
    return {
      status: this.status,
      statusError: this.statusError,
      lagHistory: this.lagHistory,
      functions: this.activity.summary(),
      scheduleRuns: this.activity.scheduleRuns(),
      deadLetters: this.deadLetters.slice(-20).reverse(),
      deadLetterReasons: reasons,
      notice,
    };
  }

  /** Everything `npm run status` reads, for a page view: the row count scans the table, so only then. */
  private async sample(): Promise<void> {
    try {
      this.status = await pipelineStatus(this.admin, this.cassandra, this.registry, this.mappings);
      this.statusError = undefined;
      this.remember(this.status.at, this.status.mappings);
      // Dead letters are read again only when their count changed.
      if (this.status.deadLetters !== this.deadLetters.length) this.deadLetters = (await readTopic(this.kafka, USERS_DEAD_LETTER_TOPIC)).map(toDeadLetterEntry);
    } catch (error) {
      this.statusError = (error as Error).message;
    }
  }

  /** The lag history, between page views: offsets only, cheap for Kafka and nothing for Cassandra. */
  private async sampleLag(): Promise<void> {
    try {
      this.remember(Date.now(), await Promise.all(this.mappings.map((mapping) => mappingStatus(this.admin, mapping))));
    } catch {
      // The next sample or page view reports what is wrong.
    }
  }

  private remember(at: number, mappings: MappingStatus[]): void {
    for (const m of mappings) {
      const history = (this.lagHistory[m.functionKey] ??= []);
      history.push({ at, lag: m.totalLag });
      if (history.length > HISTORY_SAMPLES) history.shift();
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const host = checkHost(req.headers.host, this.port);
      if (!host.ok) return refuse(res, host.status, host.reason);
      const url = new URL(req.url ?? '/', 'http://console');
      if (req.method === 'GET' && url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(renderConsole(await this.view(url.searchParams.get('notice') ?? undefined), this.formToken));
      } else if (req.method === 'GET' && url.pathname === '/api/status') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(await this.view()));
      } else if (req.method === 'POST' && url.pathname === '/dead-letters/redrive') {
        const body = await readBoundedBody(req);
        if (!body.ok) return refuse(res, body.status, body.reason);
        const form = new URLSearchParams(body.text);
        const allowed = checkStateChange(req.headers, this.port, form.get('token'), this.formToken);
        if (!allowed.ok) return refuse(res, allowed.status, allowed.reason);
        const reason = form.get('reason') ?? undefined;
        const report = await redrive(this.kafka, select(this.deadLetters, { reason }));
        const notice = `Redrive${reason ? ` of ${reason}` : ''}: ${report.chosen} chosen, ${report.redriven} redriven to users_created, ${report.alreadyRedriven} already redriven before.`;
        res.writeHead(303, { location: `/?notice=${encodeURIComponent(notice)}` });
        res.end();
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`The console failed: ${(error as Error).message}`);
    }
  }
}

function refuse(res: http.ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`Refused: ${reason}.`);
}
