// What each function did over the last minutes, read from the lines `npm start` routes to its log
// (before any line is dropped as a repeat): invocations and their durations from serverless-offline's
// "(λ: name) … Duration:" line, failed invocations from its "Unhandled exception in handler" report
// (Lambda's Errors metric counts the same), and the schedule's runs from the `event` field of produceUsers'
// own log lines (LOG_EVENTS).
import { LOG_EVENTS } from '../../../functions/shared/observability';

export interface MinuteActivity {
  /** The minute's start, in milliseconds since the epoch. */
  minute: number;
  invocations: number;
  errors: number;
  /** Mean duration of the minute's successful invocations, in ms. */
  meanDurationMs: number | undefined;
}

export interface FunctionSummary {
  invocations: number;
  errors: number;
  meanDurationMs: number | undefined;
  maxDurationMs: number | undefined;
  minutes: MinuteActivity[];
}

export interface ScheduleRun {
  at: number;
  outcome: 'published' | 'failed';
  /** Users published (a run publishes all of them or none). */
  published: number;
  /** The failure's code, for a failed run. */
  code?: string;
}

interface Event {
  at: number;
  kind: 'ok' | 'error';
  durationMs?: number;
}

const DURATION = /^\(λ: ([^)]+)\) RequestId: \S+\s+Duration: ([\d.]+) ms/;
const UNHANDLED = /^× Unhandled exception in handler '([^']+)'\./;

export class FunctionActivity {
  private readonly events = new Map<string, Event[]>();
  private readonly runs: ScheduleRun[] = [];

  constructor(
    private readonly functions: string[],
    private readonly windowMs = 10 * 60_000,
  ) {
    for (const name of functions) this.events.set(name, []);
  }

  observe(line: string, now = Date.now()): void {
    const duration = DURATION.exec(line);
    if (duration && this.events.has(duration[1])) return this.record(duration[1], { at: now, kind: 'ok', durationMs: Number(duration[2]) });
    const failed = UNHANDLED.exec(line)?.[1];
    if (failed && this.events.has(failed)) return this.record(failed, { at: now, kind: 'error' });
    if (line.startsWith('{') && line.includes('"service":"produceUsers"')) this.observeSchedule(line, now);
  }

  summary(now = Date.now()): Record<string, FunctionSummary> {
    const since = now - this.windowMs;
    return Object.fromEntries(
      this.functions.map((name) => {
        const events = this.events.get(name)!.filter((event) => event.at >= since);
        const durations = events.flatMap((event) => (event.durationMs === undefined ? [] : [event.durationMs]));
        const minutes: MinuteActivity[] = [];
        for (let minute = Math.floor(since / 60_000) * 60_000; minute <= now; minute += 60_000) {
          const inMinute = events.filter((event) => event.at >= minute && event.at < minute + 60_000);
          const ok = inMinute.flatMap((event) => (event.durationMs === undefined ? [] : [event.durationMs]));
          minutes.push({ minute, invocations: inMinute.length, errors: inMinute.filter((e) => e.kind === 'error').length, meanDurationMs: mean(ok) });
        }
        const summary: FunctionSummary = {
          invocations: events.length,
          errors: events.filter((event) => event.kind === 'error').length,
          meanDurationMs: mean(durations),
          maxDurationMs: durations.length > 0 ? Math.max(...durations) : undefined,
          minutes,
        };
        return [name, summary];
      }),
    );
  }

  /** The schedule's last runs, newest first. */
  scheduleRuns(limit = 10): ScheduleRun[] {
    return this.runs.slice(-limit).reverse();
  }

  private record(name: string, event: Event): void {
    const events = this.events.get(name)!;
    events.push(event);
    while (events.length > 0 && events[0].at < event.at - this.windowMs) events.shift();
  }

  private observeSchedule(line: string, now: number): void {
    let parsed: { event?: string; published?: number; code?: string; timestamp?: string };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      return;
    }
    const at = parsed.timestamp ? Date.parse(parsed.timestamp) : now;
    if (parsed.event === LOG_EVENTS.usersProduced) this.runs.push({ at, outcome: 'published', published: parsed.published ?? 0 });
    else if (parsed.event === LOG_EVENTS.produceFailed) this.runs.push({ at, outcome: 'failed', published: 0, code: parsed.code });
    if (this.runs.length > 100) this.runs.shift();
  }
}

function mean(values: number[]): number | undefined {
  return values.length > 0 ? values.reduce((sum, v) => sum + v, 0) / values.length : undefined;
}
