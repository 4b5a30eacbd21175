// The console's one page, rendered on the server from the same figures `npm run status` prints and
// the functions' log lines: no script, no client library; charts are inline SVG. It reloads itself
// every 5 seconds. Dead letters show position, time, reason, detail and source, never a field of
// the record.
import type { DeadLetterEntry } from '../dlq/dead-letter-entry';
import { describeRegistry, type PipelineStatus } from './pipeline-status';
import type { FunctionSummary, ScheduleRun } from './function-activity';

export interface ConsoleView {
  status: PipelineStatus | undefined;
  statusError: string | undefined;
  /** Per mapping (function key), samples of the total lag over time. */
  lagHistory: Record<string, Array<{ at: number; lag: number }>>;
  functions: Record<string, FunctionSummary>;
  scheduleRuns: ScheduleRun[];
  deadLetters: DeadLetterEntry[];
  deadLetterReasons: Record<string, number>;
  notice: string | undefined;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** A line chart of (x, y) points as inline SVG, y from 0. */
export function sparkline(points: Array<[number, number]>, width = 360, height = 60): string {
  if (points.length < 2) return `<svg width="${width}" height="${height}" role="img" aria-label="not enough samples yet"></svg>`;
  const [x0, x1] = [points[0][0], points[points.length - 1][0]];
  const yMax = Math.max(1, ...points.map(([, y]) => y));
  const path = points
    .map(
      ([x, y], i) =>
        `${i === 0 ? 'M' : 'L'}${(((x - x0) / (x1 - x0 || 1)) * (width - 4) + 2).toFixed(1)},${(height - 2 - (y / yMax) * (height - 4)).toFixed(1)}`,
    )
    .join(' ');
  return `<svg width="${width}" height="${height}" role="img" aria-label="max ${yMax}"><path d="${path}" fill="none" stroke="#2563eb" stroke-width="2"/><text x="${width - 2}" y="12" text-anchor="end" font-size="10">${yMax}</text></svg>`;
}

function mappings(view: ConsoleView): string {
  if (!view.status) return `<p class="error">Status unavailable: ${escape(view.statusError ?? 'not read yet')}</p>`;
  return view.status.mappings
    .map(
      (m) => `<section data-mapping="${escape(m.functionKey)}">
  <h2>${escape(m.functionKey)} ← ${escape(m.topic)} <small>group ${escape(m.consumerGroupId)}</small></h2>
  <table><tr><th>partition</th><th>committed</th><th>end</th><th>lag</th></tr>
  ${m.partitions.map((p) => `<tr data-partition="${p.partition}"><td>${p.partition}</td><td>${p.committed ?? 'none'}</td><td>${p.end}</td><td data-testid="lag-${escape(m.functionKey)}-${p.partition}">${p.lag}</td></tr>`).join('\n  ')}
  <tr><th colspan="3">total lag</th><td data-testid="total-lag-${escape(m.functionKey)}">${m.totalLag}</td></tr></table>
  <p>lag, last minutes</p>${sparkline((view.lagHistory[m.functionKey] ?? []).map((s) => [s.at, s.lag]))}
</section>`,
    )
    .join('\n');
}

function functions(view: ConsoleView): string {
  return Object.entries(view.functions)
    .map(
      ([name, f]) => `<section data-function="${escape(name)}">
  <h2>${escape(name)}</h2>
  <p>last 10 minutes: <span data-testid="invocations-${escape(name)}">${f.invocations}</span> invocations, <span data-testid="errors-${escape(name)}">${f.errors}</span> errors, mean duration ${f.meanDurationMs === undefined ? '–' : `${f.meanDurationMs.toFixed(0)} ms`}, max ${f.maxDurationMs === undefined ? '–' : `${f.maxDurationMs.toFixed(0)} ms`}</p>
  <p>invocations per minute</p>${sparkline(f.minutes.map((m) => [m.minute, m.invocations]))}
</section>`,
    )
    .join('\n');
}

function schedule(view: ConsoleView): string {
  if (view.scheduleRuns.length === 0) return '<p>No run yet: the first comes at the next minute.</p>';
  return `<table><tr><th>time</th><th>outcome</th><th>published</th></tr>
${view.scheduleRuns.map((r) => `<tr><td>${time(r.at)}</td><td>${r.outcome}${r.code ? ` (${escape(r.code)})` : ''}</td><td>${r.published}</td></tr>`).join('\n')}</table>`;
}

function deadLetters(view: ConsoleView, formToken: string): string {
  const reasons = Object.entries(view.deadLetterReasons);
  return `<p>${reasons.length ? reasons.map(([r, n]) => `${escape(r)} ${n}`).join(', ') : 'none'}</p>
<form method="post" action="/dead-letters/redrive">
  <input type="hidden" name="token" value="${escape(formToken)}">
  <label>reason <select name="reason">${reasons.map(([r]) => `<option>${escape(r)}</option>`).join('')}</select></label>
  <button type="submit" ${reasons.length ? '' : 'disabled'}>Redrive to users_created</button>
</form>
<table><tr><th>position</th><th>time</th><th>reason</th><th>detail</th><th>source</th><th>trace</th></tr>
${view.deadLetters.map((e) => `<tr><td>${e.position}</td><td>${time(Number(e.timestamp))}</td><td>${escape(e.reason)}</td><td>${escape(e.detail.slice(0, 100))}</td><td>${escape(`${e.source.topic}:${e.source.partition}:${e.source.offset}`)}</td><td>${escape(e.traceId ?? '')}</td></tr>`).join('\n')}</table>`;
}

/** The page; `formToken` goes into its one form, the token the server asks of a redrive. */
export function renderConsole(view: ConsoleView, formToken: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>realtime-data-streaming · local console</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #ddd}section{margin-bottom:1.5rem}.notice{background:#ecfdf5;padding:.5rem}.error{color:#b91c1c}small{color:#666;font-weight:normal}</style>
</head><body>
<h1>realtime-data-streaming, running locally</h1>
${view.notice ? `<p class="notice" data-testid="notice">${escape(view.notice)}</p>` : ''}
<p>spark_streams.created_users: <strong data-testid="rows">${view.status?.rows ?? '–'}</strong> rows · users_created.dlq: <strong data-testid="dead-letters">${view.status?.deadLetters ?? '–'}</strong> records · read ${view.status ? time(view.status.at) : '–'}</p>
<p>Schema registry: <span data-testid="registry">${view.status ? escape(describeRegistry(view.status.registry)) : '–'}</span></p>
<h2>Event-source mappings</h2>
${mappings(view)}
<h2>Functions</h2>
${functions(view)}
<h2>Schedule (produceUsers)</h2>
${schedule(view)}
<h2>Dead letters (latest ${view.deadLetters.length})</h2>
${deadLetters(view, formToken)}
</body></html>`;
}
