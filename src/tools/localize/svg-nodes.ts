/**
 * The per-node error chart: max |target − reference| of each node output along the topological
 * order, on a log axis, with the tolerance's atol as a dashed line (a node whose maxAbs is below
 * it is within tolerance whatever rtol says; above it, the rtol·|ref| part decides and the point's
 * color tells), the culprit marked in red (the first node out of elementwise tolerance grey, dashed), the dequantized error of re-quantized tensors as
 * hollow orange circles, fp16 range hazards as orange triangles under the axis and NaN/Inf as red
 * crosses at the top. Exact zeros sit on the bottom edge as hollow circles. Pure: returns SVG.
 */
import { escapeXml } from '../../kernel/render/escape.ts';
import { fmtNum } from '../../kernel/render/format.ts';
import { logScale, positiveExtent, px, svgOpen } from '../../kernel/render/svg-scale.ts';
import type { LocalizeReport, NodeRow } from './types.ts';

export interface NodeChartOptions {
  /** Total width in px. Default 900. */
  width?: number;
  /** Plot height in px. Default 260. */
  height?: number;
  /** Add the SVG namespace (for a standalone .svg file). Default false. */
  standalone?: boolean;
}

const LEFT = 64;
const RIGHT = 16;
const TOP = 36;
const COLORS = { ok: '#4e79a7', bad: '#e15759', hazard: '#f28e2b' } as const;

function tip(r: NodeRow): string {
  const e = r.error;
  const parts = [`#${r.index} ${r.node} (${r.op}) → ${r.output}`];
  if (e) parts.push(`maxAbs ${fmtNum(e.maxAbs)}`, `cosine ${fmtNum(e.cosine, 6)}`, `mismatch ${fmtNum(e.mismatchFraction)}`);
  else parts.push(r.reason ?? 'not compared');
  parts.push(`max|ref| ${fmtNum(r.refMaxAbs)}`);
  if (r.flags.length) parts.push(r.flags.join(', '));
  return parts.join('; ');
}

/** Draws the per-node error chart of a report. */
export function nodeErrorSvg(report: LocalizeReport, options: NodeChartOptions = {}): string {
  const width = options.width ?? 900;
  const plotH = options.height ?? 260;
  const bottom = TOP + plotH;
  const rows = report.rows;
  const n = Math.max(1, rows.length);
  const { atol } = report.tolerance;
  const values = rows.flatMap((r) => [r.error?.maxAbs ?? 0, r.qdq?.error?.maxAbs ?? 0]);
  const [lo, hi] = positiveExtent([...values, atol]) ?? [1e-8, 1];
  const y = logScale([lo, hi], [bottom, TOP]);
  const step = (width - LEFT - RIGHT) / n;
  const x = (i: number) => LEFT + (i + 0.5) * step;
  const r0 = Math.max(1.5, Math.min(4, step / 2.5));
  const parts: string[] = [];
  for (const t of y.ticks) {
    parts.push(
      `<line x1="${LEFT}" x2="${width - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="currentColor" stroke-opacity="0.12"/>` +
        `<text x="${LEFT - 6}" y="${px(y(t) + 4)}" text-anchor="end" fill="currentColor">${escapeXml(fmtNum(t, 2))}</text>`,
    );
  }
  if (atol > 0)
    parts.push(`<line class="atol" x1="${LEFT}" x2="${width - RIGHT}" y1="${px(y(atol))}" y2="${px(y(atol))}" stroke="currentColor" stroke-dasharray="4 3"/>`);
  // The culprit (proven by recovery) is the red marker; the first node out of elementwise
  // tolerance is a grey dashed one, labelled only when no culprit is named.
  const culprit = (report.culprits ?? []).find((c) => c.row >= 0);
  const marker = (i: number, label: string, color: string, cls: string, dash: string) => {
    const fx = px(x(i));
    parts.push(
      `<line class="${cls}" x1="${fx}" x2="${fx}" y1="${TOP - 4}" y2="${bottom}" stroke="${color}" stroke-width="1.5"${dash}/>` +
        (label
          ? `<text x="${fx}" y="${TOP - 8}" text-anchor="${i > n / 2 ? 'end' : 'start'}" fill="${color}" font-weight="bold">${escapeXml(label)}</text>`
          : ''),
    );
  };
  if (report.firstDivergent !== undefined && report.firstDivergent !== culprit?.row)
    marker(
      report.firstDivergent,
      culprit ? '' : `first out of elementwise tolerance: ${rows[report.firstDivergent]!.node}`,
      'currentColor',
      'first',
      ' stroke-dasharray="3 3" stroke-opacity="0.6"',
    );
  if (culprit) marker(culprit.row, `culprit: ${culprit.node}`, COLORS.bad, 'culprit', '');
  const line = rows.map((r, i) => (r.error && Number.isFinite(r.error.maxAbs) ? `${px(x(i))},${px(y(r.error.maxAbs))}` : '')).filter(Boolean);
  if (line.length > 1) parts.push(`<polyline points="${line.join(' ')}" fill="none" stroke="${COLORS.ok}" stroke-opacity="0.5"/>`);
  rows.forEach((r, i) => {
    const cx = px(x(i));
    const title = `<title>${escapeXml(tip(r))}</title>`;
    if (r.flags.includes('fp16-range')) {
      parts.push(`<path class="hazard" d="M${cx} ${px(bottom + 4)} l4 8 h-8 z" fill="${COLORS.hazard}">${title}</path>`);
    }
    const e = r.error;
    if (!e) return;
    // Out of elementwise tolerance is amber, not red: only the verdict and the culprit are red.
    const color = e.leaves ? COLORS.hazard : COLORS.ok;
    if (!Number.isFinite(e.maxAbs)) {
      parts.push(`<g class="nonfinite">${title}<path d="M${px(x(i) - 4)} ${TOP - 2} l8 8 m0 -8 l-8 8" stroke="${COLORS.bad}" stroke-width="2"/></g>`);
    } else if (!(e.maxAbs > 0)) {
      parts.push(`<circle class="zero" cx="${cx}" cy="${bottom}" r="${px(r0)}" fill="none" stroke="${color}">${title}</circle>`);
    } else {
      parts.push(`<circle class="${e.leaves ? 'out' : 'in'}" cx="${cx}" cy="${px(y(e.maxAbs))}" r="${px(r0)}" fill="${color}">${title}</circle>`);
    }
    const q = r.qdq?.error?.maxAbs;
    if (q !== undefined && q > 0 && Number.isFinite(q))
      parts.push(`<circle class="qdq" cx="${cx}" cy="${px(y(q))}" r="${px(r0)}" fill="none" stroke="${COLORS.hazard}"/>`);
  });
  const every = Math.max(1, Math.ceil(n / 12));
  const ticks = rows
    .filter((_, i) => i % every === 0)
    .map((r) => `<text x="${px(x(r.index))}" y="${bottom + 24}" text-anchor="middle" fill="currentColor">${r.index}</text>`);
  const legendY = bottom + 58;
  const legend = [
    `<circle cx="${LEFT}" cy="${legendY - 4}" r="4" fill="${COLORS.ok}"/><text x="${LEFT + 8}" y="${legendY}">within tolerance</text>`,
    `<circle cx="${LEFT + 120}" cy="${legendY - 4}" r="4" fill="${COLORS.hazard}"/><text x="${LEFT + 128}" y="${legendY}">out of elementwise tol.</text>`,
    `<circle cx="${LEFT + 240}" cy="${legendY - 4}" r="4" fill="none" stroke="${COLORS.hazard}"/><text x="${LEFT + 248}" y="${legendY}">after QDQ</text>`,
    `<path d="M${LEFT + 335} ${legendY - 8} l4 8 h-8 z" fill="${COLORS.hazard}"/><text x="${LEFT + 344}" y="${legendY}">fp16 range hazard</text>`,
    `<line x1="${LEFT + 460}" x2="${LEFT + 480}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="currentColor" stroke-dasharray="4 3"/><text x="${LEFT + 484}" y="${legendY}">atol ${escapeXml(fmtNum(atol))}</text>`,
  ];
  return [
    svgOpen({ width, height: legendY + 12, label: 'Max absolute error per node along the topological order', standalone: options.standalone }),
    `<line x1="${LEFT}" x2="${width - RIGHT}" y1="${bottom}" y2="${bottom}" stroke="currentColor" stroke-opacity="0.5"/>`,
    `<text x="${LEFT}" y="12" fill="currentColor" fill-opacity="0.7">max |target − reference| per node (log scale)</text>`,
    `<text x="${width - RIGHT}" y="${bottom + 38}" text-anchor="end" fill="currentColor" fill-opacity="0.7">node # (topological order)</text>`,
    ...parts,
    ...ticks,
    `<g font-size="10" fill="currentColor">${legend.join('')}</g>`,
    '</svg>',
  ].join('');
}
