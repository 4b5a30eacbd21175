// The lines of a function's local log file (.local/logs/functions/<function>.log, written by
// `npm start`), with the time of each, filtered as `sls logs` filters CloudWatch events: from a start
// time, and by a filter pattern's terms. Lines carry their time in different places (Powertools
// JSON "timestamp", EMF "_aws.Timestamp", the emulator's leading ISO time); a line without one
// (serverless-offline's "(λ: …)" report, a stack trace) takes the time of the line before it.

export interface LocalLogLine {
  /** Milliseconds since the epoch, or undefined before the first line that carries a time. */
  time: number | undefined;
  text: string;
}

const LEADING_ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\s/;

export function timeOf(text: string): number | undefined {
  const leading = LEADING_ISO.exec(text)?.[1];
  if (leading) return Date.parse(leading);
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as { timestamp?: unknown; _aws?: { Timestamp?: unknown } };
    if (typeof parsed.timestamp === 'string' && !Number.isNaN(Date.parse(parsed.timestamp))) return Date.parse(parsed.timestamp);
    if (typeof parsed._aws?.Timestamp === 'number') return parsed._aws.Timestamp;
  } catch {
    // Not JSON after all: a line like any other.
  }
  return undefined;
}

/** Each line with its own time, or the time of the line before it. */
export function readLines(content: string, previousTime?: number): LocalLogLine[] {
  let time = previousTime;
  return content
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => {
      time = timeOf(text) ?? time;
      return { time, text };
    });
}

/**
 * CloudWatch's unstructured filter pattern, as `sls logs --filter` passes it: every term must appear
 * (case-sensitive); a "quoted phrase" is one term; a term starting with - must not appear.
 */
export function matchesFilter(text: string, pattern: string | undefined): boolean {
  if (!pattern?.trim()) return true;
  const terms = [...pattern.matchAll(/(-?)"([^"]*)"|(-?)(\S+)/g)].map((m) => ({ exclude: (m[1] ?? m[3]) === '-', term: m[2] ?? m[4] }));
  return terms.every(({ exclude, term }) => text.includes(term) !== exclude);
}

export function selectLines(lines: LocalLogLine[], { startTime, filter }: { startTime: number; filter?: string }): LocalLogLine[] {
  return lines.filter((line) => line.time !== undefined && line.time >= startTime && matchesFilter(line.text, filter));
}
