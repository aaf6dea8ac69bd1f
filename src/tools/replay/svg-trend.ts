/**
 * A small inline-SVG line chart of one metric over time, one line per series (a slice's env
 * tags, a target of saved reports). Used by replay.html (metrics per time window) and
 * history.html (metrics per saved report). Pure: returns markup.
 */
import { escapeHtml } from '../../kernel/render/escape.ts';

export interface TrendSeries {
  name: string;
  /** Points in time order; `t` is an ISO time or any sortable label, `v` may be NaN (a gap). */
  points: { t: string; v: number }[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const fmt = (x: number) => (Math.abs(x) >= 100 || x === 0 ? x.toFixed(0) : Number(x.toPrecision(3)).toString());

/** An SVG chart of `series` over the union of their times (evenly spaced, in sorted order). */
export function trendSvg(title: string, series: readonly TrendSeries[], opts: { width?: number; height?: number; threshold?: number } = {}): string {
  const W = opts.width ?? 720,
    H = opts.height ?? 240,
    L = 56,
    R = 160,
    T = 24,
    B = 48;
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort();
  const vals = series.flatMap((s) => s.points.map((p) => p.v)).filter(Number.isFinite);
  if (opts.threshold !== undefined) vals.push(opts.threshold);
  if (times.length === 0 || vals.length === 0) return `<p>${escapeHtml(title)}: no data</p>`;
  let lo = Math.min(0, ...vals),
    hi = Math.max(...vals);
  if (hi === lo) hi = lo + 1;
  const x = (t: string) => L + (times.length === 1 ? (W - L - R) / 2 : (times.indexOf(t) * (W - L - R)) / (times.length - 1));
  const y = (v: number) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}" style="font:11px sans-serif">`,
  ];
  parts.push(`<text x="${L}" y="14" font-weight="bold">${escapeHtml(title)}</text>`);
  parts.push(`<line x1="${L}" y1="${y(lo)}" x2="${W - R}" y2="${y(lo)}" stroke="#999"/><line x1="${L}" y1="${T}" x2="${L}" y2="${y(lo)}" stroke="#999"/>`);
  for (const v of [lo, (lo + hi) / 2, hi]) parts.push(`<text x="${L - 4}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  const every = Math.max(1, Math.ceil(times.length / 6));
  times.forEach((t, i) => {
    if (i % every === 0 || i === times.length - 1)
      parts.push(`<text x="${x(t)}" y="${H - B + 16}" text-anchor="middle">${escapeHtml(t.length > 16 ? t.slice(5, 16) : t)}</text>`);
  });
  if (opts.threshold !== undefined)
    parts.push(
      `<line x1="${L}" y1="${y(opts.threshold)}" x2="${W - R}" y2="${y(opts.threshold)}" stroke="#d62728" stroke-dasharray="4 3"/><text x="${W - R + 4}" y="${y(opts.threshold) + 4}" fill="#d62728">gate ${fmt(opts.threshold)}</text>`,
    );
  series.forEach((s, k) => {
    const c = COLORS[k % COLORS.length]!;
    const pts = s.points.filter((p) => Number.isFinite(p.v));
    if (pts.length > 1)
      parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${pts.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts)
      parts.push(
        `<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="2.5" fill="${c}"><title>${escapeHtml(`${s.name} @ ${p.t}: ${fmt(p.v)}`)}</title></circle>`,
      );
    parts.push(`<text x="${W - R + 8}" y="${T + 14 * k + 10}" fill="${c}">${escapeHtml(s.name.length > 26 ? s.name.slice(0, 25) + '…' : s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
