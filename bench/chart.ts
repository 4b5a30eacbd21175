// The benchmark's chart as a self-contained SVG: on the left each ratio to its baseline (1.0 = as
// fast as the baseline) with its spread and goal; on the right the end-to-end latency percentiles
// against the 1,000 ms goal. Plain SVG, so the README shows it without a library.
export interface RatioBar {
  label: string;
  median: number;
  min: number;
  max: number;
  goal?: number;
}

export interface LatencyBar {
  label: string;
  ms: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(ratios: RatioBar[], latencies: LatencyBar[], latencyGoalMs: number, caption: string): string {
  const width = 900;
  const rowHeight = 34;
  const height = Math.max(ratios.length, latencies.length) * rowHeight + 110;
  const left = { x: 190, width: 290, scale: Math.max(1.2, ...ratios.map((r) => r.max), ...ratios.map((r) => r.goal ?? 0)) * 1.05 };
  const right = { x: 610, width: 250, scale: Math.max(latencyGoalMs, ...latencies.map((l) => l.ms)) * 1.1 };
  const lx = (value: number) => left.x + (value / left.scale) * left.width;
  const rx = (value: number) => right.x + (value / right.scale) * right.width;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="20" y="24" font-size="15" font-weight="bold">Ratio to the baseline, same run (median, min–max)</text>`,
    `<text x="560" y="24" font-size="15" font-weight="bold">End-to-end latency</text>`,
  ];
  ratios.forEach((bar, i) => {
    const y = 50 + i * rowHeight;
    parts.push(
      `<text x="${left.x - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${left.x}" y="${y + 4}" width="${lx(bar.median) - left.x}" height="16" fill="${bar.goal !== undefined && bar.median < bar.goal ? '#d9822b' : '#2b7bd9'}"/>`,
      `<line x1="${lx(bar.min)}" x2="${lx(bar.max)}" y1="${y + 12}" y2="${y + 12}" stroke="#222"/>`,
      `<text x="${lx(Math.max(bar.median, bar.max)) + 6}" y="${y + 16}">×${bar.median.toFixed(2)}</text>`,
    );
    if (bar.goal !== undefined) parts.push(`<line x1="${lx(bar.goal)}" x2="${lx(bar.goal)}" y1="${y}" y2="${y + 24}" stroke="#c00" stroke-dasharray="3,2"/>`);
  });
  parts.push(
    `<line x1="${lx(1)}" x2="${lx(1)}" y1="40" y2="${height - 50}" stroke="#888"/><text x="${lx(1)}" y="${height - 36}" text-anchor="middle">1.0</text>`,
  );
  latencies.forEach((bar, i) => {
    const y = 50 + i * rowHeight;
    parts.push(
      `<text x="${right.x - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${right.x}" y="${y + 4}" width="${rx(bar.ms) - right.x}" height="16" fill="${bar.ms > latencyGoalMs ? '#d9822b' : '#2b7bd9'}"/>`,
      `<text x="${rx(bar.ms) + 6}" y="${y + 16}">${Math.round(bar.ms)} ms</text>`,
    );
  });
  parts.push(
    `<line x1="${rx(latencyGoalMs)}" x2="${rx(latencyGoalMs)}" y1="40" y2="${height - 50}" stroke="#c00" stroke-dasharray="3,2"/>`,
    `<text x="${rx(latencyGoalMs)}" y="${height - 36}" text-anchor="middle" fill="#c00">goal ${latencyGoalMs} ms</text>`,
    `<text x="20" y="${height - 14}" fill="#555">${escape(caption)}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
