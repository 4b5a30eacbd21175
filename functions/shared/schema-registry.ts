// A Confluent-compatible schema registry's REST API (Confluent Schema Registry, Apicurio's
// /apis/ccompat/v7, Redpanda, Karapace): the few calls the pipeline makes. `baseUrl` is the base a
// client appends /subjects to. Plain fetch: no client library, nothing in the zip but this file.
import { describeError, PipelineError } from './errors';

export type RegistryFailure = 'unreachable' | 'not-registered' | 'unknown-id' | 'incompatible' | 'refused';

/** The registry answered no, or did not answer; `failure` says which, the message what to do. */
export class SchemaRegistryError extends PipelineError {
  readonly code = 'SCHEMA_REGISTRY';
  constructor(
    readonly failure: RegistryFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SchemaRegistryError';
  }
}

export interface RegisteredSchema {
  schema: string;
  schemaType: 'AVRO' | 'JSON' | 'PROTOBUF';
}

export interface RegistryOptions {
  /** HTTP Basic credentials, as Lambda's mapping sends them for BASIC_AUTH. */
  credentials?: { username: string; password: string };
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The native stack's registry: port 8081 (the registry convention), Apicurio's ccompat API. */
export const DEFAULT_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class SchemaRegistryClient {
  private readonly base: string;
  private readonly authorization: string | undefined;

  constructor(
    baseUrl: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    const { credentials } = options;
    this.authorization = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
  }

  /** The id the registry gave this exact schema under `subject`; never registers it. */
  async idOf(subject: string, schema: string): Promise<number> {
    const answer = await this.call('POST', `/subjects/${encodeURIComponent(subject)}`, { schema });
    if (answer.status === 404) {
      throw new SchemaRegistryError(
        'not-registered',
        `The schema is not registered under ${subject} at ${this.base} (${errorText(answer.body)}). Register it first (npm run schema -- register, which npm run stack:up runs locally), then retry; producers never register on their own.`,
      );
    }
    return numberField(this.expectOk(answer, `looking up the schema of ${subject}`), 'id');
  }

  /** Registers the schema as the subject's next version (or finds it there); the registry's compatibility rule decides. */
  async register(subject: string, schema: string): Promise<number> {
    const answer = await this.call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema, schemaType: 'AVRO' });
    if (answer.status === 409) {
      throw new SchemaRegistryError(
        'incompatible',
        `${this.base} refused the schema as a new version of ${subject}: ${errorText(answer.body)}. Under ${subject}'s compatibility rule a new field needs a default, and no field may be removed or retyped; see docs/schemas.md.`,
      );
    }
    return numberField(this.expectOk(answer, `registering a version of ${subject}`), 'id');
  }

  async schemaById(id: number): Promise<RegisteredSchema> {
    const answer = await this.call('GET', `/schemas/ids/${id}`);
    if (answer.status === 404) throw new SchemaRegistryError('unknown-id', `${this.base} has no schema with id ${id} (${errorText(answer.body)}).`);
    const body = this.expectOk(answer, `reading schema ${id}`) as { schema?: unknown; schemaType?: unknown };
    if (typeof body.schema !== 'string') throw this.malformed(`schema ${id}`, 'no "schema" text');
    const schemaType = body.schemaType === undefined ? 'AVRO' : body.schemaType;
    if (schemaType !== 'AVRO' && schemaType !== 'JSON' && schemaType !== 'PROTOBUF') throw this.malformed(`schema ${id}`, `schemaType ${String(schemaType)}`);
    return { schema: body.schema, schemaType };
  }

  async setCompatibility(subject: string, level: string): Promise<void> {
    this.expectOk(await this.call('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level }), `setting ${subject}'s compatibility`);
  }

  /** The subject's own compatibility level, or undefined when it has none of its own. */
  async compatibility(subject: string): Promise<string | undefined> {
    const answer = await this.call('GET', `/config/${encodeURIComponent(subject)}`);
    if (answer.status === 404) return undefined;
    const body = this.expectOk(answer, `reading ${subject}'s compatibility`) as { compatibilityLevel?: unknown };
    return typeof body.compatibilityLevel === 'string' ? body.compatibilityLevel : undefined;
  }

  async versions(subject: string): Promise<number[]> {
    const answer = await this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
    if (answer.status === 404) return [];
    return this.expectOk(answer, `listing ${subject}'s versions`) as number[];
  }

  /** True when the registry answers its subjects list. */
  async answers(): Promise<boolean> {
    try {
      return (await this.call('GET', '/subjects')).status === 200;
    } catch {
      return false;
    }
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const fetchImpl = this.options.fetch ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(`${this.base}${path}`, {
        method,
        headers: {
          accept: CONTENT_TYPE,
          ...(body === undefined ? {} : { 'content-type': CONTENT_TYPE }),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new SchemaRegistryError(
        'unreachable',
        `The schema registry at ${this.base} did not answer ${method} ${path} (${describeError(error)}). Check that it runs (npm run status) and SCHEMA_REGISTRY_URL.`,
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Kept as text: a proxy's HTML error page says more than a parse error would.
    }
    return { status: response.status, body: parsed };
  }

  private expectOk(answer: { status: number; body: unknown }, doing: string): unknown {
    if (answer.status >= 200 && answer.status < 300) return answer.body;
    const failure: RegistryFailure = answer.status === 401 || answer.status === 403 ? 'refused' : 'unreachable';
    throw new SchemaRegistryError(
      failure,
      `The schema registry at ${this.base} answered ${answer.status} ${doing} (${errorText(answer.body)}).${failure === 'refused' ? ' Check the registry credentials (SCHEMA_REGISTRY_SECRET_ARN).' : ' Check the registry (npm run status) and retry.'}`,
    );
  }

  private malformed(what: string, detail: string): SchemaRegistryError {
    return new SchemaRegistryError('unreachable', `The schema registry at ${this.base} sent ${what} in a form this client does not read (${detail}).`);
  }
}

function numberField(body: unknown, field: string): number {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (typeof value !== 'number') throw new SchemaRegistryError('unreachable', `The schema registry answered without a numeric "${field}".`);
  return value;
}

function errorText(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, 300) : JSON.stringify(body ?? '').slice(0, 300);
}
