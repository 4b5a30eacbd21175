// Fetches users from the Random User API in as few requests as it allows (5,000 a request), with a
// timeout on every request, retries with back-off on network errors, 5xx, 429 and overload bodies,
// and one time budget for the whole fetch. All pages arrive or the fetch fails: never half a run.
import type { UsersApiConfig } from '../shared/config';
import { UsersApiUnavailableError, type UsersApiFailure } from '../shared/errors';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter, type BackoffPolicy } from './backoff';

export const MAX_RESULTS_PER_REQUEST = 5000;

export interface UsersApiObserver {
  /** A request failed and will be retried after delayMs. */
  retrying(failure: UsersApiFailure, attempt: number, delayMs: number, detail: string): void;
  /** A request completed (successfully or not) after latencyMs. */
  requestCompleted(latencyMs: number, status: number | undefined): void;
}

export interface RandomUserClientDeps {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  observer?: UsersApiObserver;
}

/** The raw `results` entries, unvalidated: checking them is the caller's job, record by record. */
export interface FetchedUsers {
  records: unknown[];
  requests: number;
  retries: number;
}

class AttemptFailure {
  constructor(
    readonly failure: UsersApiFailure,
    readonly detail: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {}
}

const noopObserver: UsersApiObserver = { retrying: () => undefined, requestCompleted: () => undefined };

export class RandomUserClient {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly observer: UsersApiObserver;

  constructor(
    private readonly config: UsersApiConfig,
    deps: RandomUserClientDeps = {},
  ) {
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
    this.observer = deps.observer ?? noopObserver;
  }

  async fetchUsers(count: number = this.config.usersPerRun): Promise<FetchedUsers> {
    const deadline = this.now() + this.config.budgetMs;
    const records: unknown[] = [];
    let retries = 0;
    let requests = 0;
    for (let remaining = count; remaining > 0; remaining -= MAX_RESULTS_PER_REQUEST) {
      const page = await this.fetchPage(Math.min(remaining, MAX_RESULTS_PER_REQUEST), deadline);
      records.push(...page.records);
      retries += page.retries;
      requests += 1;
    }
    return { records, requests, retries };
  }

  private async fetchPage(results: number, deadline: number): Promise<{ records: unknown[]; retries: number }> {
    const url = new URL(this.config.url);
    url.searchParams.set('results', String(results));
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, deadline);
      if (!(outcome instanceof AttemptFailure)) return { records: outcome, retries: attempt - 1 };

      const delay = outcome.retryAfterMs ?? backoffDelay(attempt, this.backoff, this.random);
      const outOfAttempts = attempt >= this.config.maxAttempts;
      const outOfTime = this.now() + delay >= deadline;
      if (!outcome.retryable || outOfAttempts || outOfTime) {
        const why = !outcome.retryable ? '' : outOfAttempts ? '; no attempts left' : '; time budget spent';
        throw new UsersApiUnavailableError(outcome.failure, this.config.url, attempt, `${outcome.detail}${why}`);
      }
      this.observer.retrying(outcome.failure, attempt, delay, outcome.detail);
      await this.sleep(delay);
    }
  }

  private async attempt(url: URL, deadline: number): Promise<unknown[] | AttemptFailure> {
    const timeoutMs = Math.max(1, Math.min(this.config.requestTimeoutMs, deadline - this.now()));
    const started = this.now();
    let response: Response;
    let body: string;
    try {
      response = await this.fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      body = await response.text();
    } catch (error) {
      this.observer.requestCompleted(this.now() - started, undefined);
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return new AttemptFailure('timeout', `no complete response within ${timeoutMs} ms`, true);
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      if (cause === 'ENOTFOUND' || cause === 'EAI_AGAIN') {
        // Most often: no internet, as on this project's CI machines. Say how to run without it.
        return new AttemptFailure(
          'network',
          `${cause}: the host ${url.hostname} could not be resolved (no internet? \`npm run users-api\` serves users locally; then set USERS_API_URL=http://127.0.0.1:8089/api/)`,
          true,
        );
      }
      return new AttemptFailure('network', cause ?? (error as Error).message, true);
    }
    this.observer.requestCompleted(this.now() - started, response.status);
    return interpret(response, body, this.now());
  }
}

function interpret(response: Response, body: string, now: number): unknown[] | AttemptFailure {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  const parsed = parseJson(body);
  const apiError = (parsed as { error?: unknown } | undefined)?.error;
  if (response.status === 429 || response.status >= 500) {
    const detail = typeof apiError === 'string' ? `HTTP ${response.status} "${apiError.slice(0, 120)}"` : `HTTP ${response.status}`;
    return new AttemptFailure('http-status', detail, true, retryAfterMs);
  }
  if (!response.ok) {
    return new AttemptFailure('http-status', `HTTP ${response.status}: the request itself was refused; check USERS_API_URL`, false);
  }
  // The API answers 200 with {"error": "..."} when it is overloaded: a transient state.
  if (typeof apiError === 'string') return new AttemptFailure('overloaded', `"${apiError.slice(0, 120)}"`, true, retryAfterMs);
  const results = (parsed as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) {
    const what = parsed === undefined ? 'not JSON' : 'JSON without a results array';
    return new AttemptFailure('malformed-body', `HTTP ${response.status} body is ${what}`, true);
  }
  return results;
}

/** The body as JSON, or undefined when it is not JSON (a truncated or HTML error page, say). */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // not JSON: undefined below
  }
  return undefined;
}
