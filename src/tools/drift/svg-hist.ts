/**
 * Inline SVG charts for the drift report: overlaid histograms (numeric) and paired bars
 * (categories). Self-contained markup, no scripts, no external assets. Pure: no Node imports.
 */
import { escapeXml } from '../../kernel/render/escape.ts';
import { fmtNum, fmtPct } from '../../kernel/render/format.ts';
import type { Histogram } from './binning.ts';

const W = 360,
  H = 150,
  PAD = { l: 36, r: 8, t: 8, b: 22 };
export const REF_COLOR = '#3b6fd4';
export const CUR_COLOR = '#e8742c';

function frame(inner: string, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(label)}">${inner}</svg>`;
}

function yAxis(max: number): string {
  const y0 = H - PAD.b,
    y1 = PAD.t;
  return (
    `<line x1="${PAD.l}" y1="${y0}" x2="${W - PAD.r}" y2="${y0}" stroke="#999"/>` +
    `<text x="${PAD.l - 4}" y="${y1 + 8}" font-size="9" text-anchor="end" fill="#555">${fmtPct(max, 0)}</text>` +
    `<text x="${PAD.l - 4}" y="${y0}" font-size="9" text-anchor="end" fill="#555">0</text>`
  );
}

/** Overlaid histograms of proportions: reference as filled bars, current as an outlined step. */
export function histogramSvg(h: Histogram, label: string): string {
  const bins = h.reference.length;
  const max = Math.max(1e-9, ...h.reference, ...h.current);
  const pw = W - PAD.l - PAD.r,
    ph = H - PAD.t - PAD.b;
  const x = (k: number) => PAD.l + (pw * k) / bins;
  const y = (p: number) => PAD.t + ph * (1 - p / max);
  let bars = '';
  h.reference.forEach((p, k) => {
    if (p > 0)
      bars += `<rect x="${x(k).toFixed(1)}" y="${y(p).toFixed(1)}" width="${(pw / bins).toFixed(1)}" height="${(H - PAD.b - y(p)).toFixed(1)}" fill="${REF_COLOR}" fill-opacity="0.45"><title>reference ${fmtPct(p)}</title></rect>`;
  });
  let path = `M${x(0).toFixed(1)},${y(0).toFixed(1)}`;
  h.current.forEach((p, k) => (path += ` L${x(k).toFixed(1)},${y(p).toFixed(1)} L${x(k + 1).toFixed(1)},${y(p).toFixed(1)}`));
  path += ` L${x(bins).toFixed(1)},${y(0).toFixed(1)}`;
  const cur = `<path d="${path}" fill="${CUR_COLOR}" fill-opacity="0.25" stroke="${CUR_COLOR}" stroke-width="1.5"/>`;
  const ticks = [0, bins / 2, bins]
    .map(
      (k, i) =>
        `<text x="${x(k).toFixed(1)}" y="${H - 8}" font-size="9" text-anchor="${['start', 'middle', 'end'][i]}" fill="#555">${escapeXml(fmtNum(h.edges[k]!))}</text>`,
    )
    .join('');
  return frame(bars + cur + yAxis(max) + ticks, label);
}

/** Paired bars per category (reference left, current right), as proportions of each side. */
export function categoriesSvg(cats: readonly { name: string; reference: number; current: number }[], label: string): string {
  const rn = cats.reduce((s, c) => s + c.reference, 0) || 1,
    cn = cats.reduce((s, c) => s + c.current, 0) || 1;
  const shown = cats.slice(0, 12);
  const max = Math.max(1e-9, ...shown.map((c) => Math.max(c.reference / rn, c.current / cn)));
  const pw = W - PAD.l - PAD.r,
    ph = H - PAD.t - PAD.b;
  const slot = pw / Math.max(1, shown.length),
    bw = Math.max(2, slot * 0.38);
  const y = (p: number) => PAD.t + ph * (1 - p / max);
  let out = '';
  shown.forEach((c, i) => {
    const x0 = PAD.l + i * slot + slot * 0.1;
    const pr = c.reference / rn,
      pc = c.current / cn;
    out += `<rect x="${x0.toFixed(1)}" y="${y(pr).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - PAD.b - y(pr)).toFixed(1)}" fill="${REF_COLOR}" fill-opacity="0.6"><title>${escapeXml(c.name)}: reference ${fmtPct(pr)}</title></rect>`;
    out += `<rect x="${(x0 + bw).toFixed(1)}" y="${y(pc).toFixed(1)}" width="${bw.toFixed(1)}" height="${(H - PAD.b - y(pc)).toFixed(1)}" fill="${CUR_COLOR}" fill-opacity="0.7"><title>${escapeXml(c.name)}: current ${fmtPct(pc)}</title></rect>`;
    const name = c.name.length > 10 ? `${c.name.slice(0, 9)}…` : c.name;
    out += `<text x="${(x0 + bw).toFixed(1)}" y="${H - 8}" font-size="9" text-anchor="middle" fill="#555">${escapeXml(name)}</text>`;
  });
  return frame(out + yAxis(max), label);
}
