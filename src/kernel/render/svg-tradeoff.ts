/**
 * The trade-off picture: each timed target (variant × backend × settings) as a circle at its
 * median latency (the 95% CI of the median as a horizontal whisker) against its quality delta
 * vs the reference — accuracy Δ with labels, else top-1 agreement − 100% — the circle's area
 * proportional to the model's bytes. The Pareto front (no other target both faster and at least
 * as good) is joined by a line and its circles outlined; `--budget-ms` draws a vertical budget
 * line. So a person sees which variant to ship for a latency budget. Pure: returns SVG markup,
 * reused by report.html and the harness page.
 */
import type { TargetVerdict } from '../judge/types.ts';
import { escapeXml } from './escape.ts';
import { fmtMs } from './format.ts';
import { fitLabel, linearScale, logScale, positiveExtent, px, svgOpen, xAxis, type ChartOptions } from './svg-scale.ts';

/** One point of the picture. */
export interface TradeoffPoint {
  id: string;
  p50Ms: number;
  ci: { lo: number; hi: number };
  /** Quality delta vs the reference, percentage points (0 = as good as the reference). */
  deltaPt: number;
  /** What `deltaPt` measures. */
  metric: 'accuracy' | 'agreement';
  modelBytes?: number;
  isReference: boolean;
  onFront: boolean;
}

/** Targets that can be placed (a latency and a quality figure), with their Pareto flag. */
export function tradeoffPoints(targets: readonly TargetVerdict[]): TradeoffPoint[] {
  const pts: TradeoffPoint[] = [];
  for (const t of targets) {
    if (!t.latency || !(t.latency.p50Ms > 0)) continue;
    const delta = t.isReference ? 0 : t.task ? t.task.accuracyDelta : t.decision ? t.decision.top1Agreement - 1 : undefined;
    if (delta === undefined || !Number.isFinite(delta)) continue;
    pts.push({
      id: t.id,
      p50Ms: t.latency.p50Ms,
      ci: { lo: t.latency.ci50.lo, hi: t.latency.ci50.hi },
      deltaPt: delta * 100,
      metric: t.task || (t.isReference && !t.decision) ? 'accuracy' : 'agreement',
      ...(t.modelBytes !== undefined ? { modelBytes: t.modelBytes } : {}),
      isReference: t.isReference,
      onFront: false,
    });
  }
  for (const p of pts) p.onFront = !pts.some((q) => q !== p && q.p50Ms <= p.p50Ms && q.deltaPt >= p.deltaPt && (q.p50Ms < p.p50Ms || q.deltaPt > p.deltaPt));
  return pts;
}

const LEFT = 56;
const TOP = 16;
const PLOT_H = 260;
const MAX_R = 16;
const MIN_R = 3;

/**
 * The chart as SVG, or '' when fewer than two targets can be placed. Every circle carries a short
 * label (shown on the front, on hover elsewhere, by the report's CSS) and its full id as a tooltip.
 */
function tradeoffSvg(targets: readonly TargetVerdict[], options: ChartOptions & { budgetMs?: number } = {}): string {
  const pts = tradeoffPoints(targets);
  if (pts.length < 2) return '';
  const width = options.width ?? 760;
  const xs = positiveExtent(pts.flatMap((p) => [p.p50Ms, p.ci.lo, p.ci.hi, ...(options.budgetMs ? [options.budgetMs] : [])])) ?? [0.1, 1];
  const x = xs[1] / xs[0] > 20 ? logScale(xs, [LEFT, width - 20]) : linearScale([0, xs[1]], [LEFT, width - 20]);
  const ds = pts.map((p) => p.deltaPt);
  const y = linearScale([Math.min(0, ...ds), Math.max(0, ...ds)], [TOP + PLOT_H, TOP]);
  const maxBytes = Math.max(1, ...pts.map((p) => p.modelBytes ?? 0));
  const radius = (b: number | undefined) => Math.max(MIN_R, MAX_R * Math.sqrt((b ?? 0) / maxBytes));
  const yTicks = y.ticks
    .map(
      (t) =>
        `<line x1="${LEFT}" x2="${width - 20}" y1="${px(y(t))}" y2="${px(y(t))}" stroke="currentColor" stroke-opacity="0.12"/>` +
        `<text x="${LEFT - 6}" y="${px(y(t) + 4)}" text-anchor="end" fill="currentColor">${t > 0 ? '+' : ''}${escapeXml(String(t))}</text>`,
    )
    .join('');
  const metric = pts.some((p) => p.metric === 'agreement' && !p.isReference) ? 'Δ top-1 agreement / accuracy, pt' : 'Δ accuracy vs reference, pt';
  const front = pts.filter((p) => p.onFront).sort((a, b) => a.p50Ms - b.p50Ms);
  const frontLine =
    front.length > 1
      ? `<polyline class="pareto" points="${front.map((p) => `${px(x(p.p50Ms))},${px(y(p.deltaPt))}`).join(' ')}" fill="none" stroke="#1a7f37" stroke-width="2" stroke-dasharray="5 3"/>`
      : '';
  const budget = options.budgetMs
    ? `<g class="budget"><line x1="${px(x(options.budgetMs))}" x2="${px(x(options.budgetMs))}" y1="${TOP}" y2="${TOP + PLOT_H}" stroke="#cf222e" stroke-width="1.5"/>` +
      `<text x="${px(x(options.budgetMs) + 4)}" y="${TOP + 10}" fill="#cf222e">budget ${escapeXml(fmtMs(options.budgetMs))} ms</text></g>`
    : '';
  const circles = pts
    .map((p) => {
      const cx = px(x(p.p50Ms));
      const cy = px(y(p.deltaPt));
      const tip = `${p.id}: p50 ${fmtMs(p.p50Ms)} ms [${fmtMs(p.ci.lo)}, ${fmtMs(p.ci.hi)}], Δ ${p.deltaPt.toFixed(2)} pt${p.modelBytes !== undefined ? `, ${p.modelBytes} bytes` : ''}${p.onFront ? ', Pareto front' : ''}`;
      return (
        `<g class="point${p.onFront ? ' front' : ''}"><title>${escapeXml(tip)}</title>` +
        `<line x1="${px(x(p.ci.lo))}" x2="${px(x(p.ci.hi))}" y1="${cy}" y2="${cy}" stroke="currentColor" stroke-opacity="0.6"/>` +
        `<circle cx="${cx}" cy="${cy}" r="${px(radius(p.modelBytes))}" fill="${p.isReference ? '#8250df' : '#0969da'}" fill-opacity="0.35" stroke="${p.onFront ? '#1a7f37' : 'currentColor'}" stroke-width="${p.onFront ? 2.5 : 0.8}"/>` +
        // Every point has its label; off the front it shows on hover (report CSS: .point:hover .lbl).
        `<text class="lbl" x="${cx}" y="${px(y(p.deltaPt) - radius(p.modelBytes) - 3)}" text-anchor="middle" fill="currentColor">${escapeXml(fitLabel(p.id.replace(/^[^:]*:/, ''), 34))}</text>` +
        '</g>'
      );
    })
    .join('');
  const height = TOP + PLOT_H + 36;
  return (
    svgOpen({ width, height, label: options.title ?? 'Latency vs quality trade-off', ...(options.standalone ? { standalone: true } : {}) }) +
    yTicks +
    `<text x="12" y="${px(TOP + PLOT_H / 2)}" transform="rotate(-90 12 ${px(TOP + PLOT_H / 2)})" text-anchor="middle" fill="currentColor" fill-opacity="0.7">${escapeXml(metric)}</text>` +
    xAxis(x, TOP + PLOT_H, TOP, 'p50 latency, ms (whisker: 95% CI)') +
    budget +
    frontLine +
    circles +
    '</svg>'
  );
}

/**
 * The figure for report.html and the page, for one model's targets (a Pareto front compares a
 * model's own variants): `<figure id="tradeoff">` by default, or '' when nothing can be placed.
 */
export function tradeoffFigure(targets: readonly TargetVerdict[], budgetMs?: number, id = 'tradeoff'): string {
  const svg = tradeoffSvg(targets, budgetMs !== undefined ? { budgetMs } : {});
  if (!svg) return '';
  const front = tradeoffPoints(targets)
    .filter((p) => p.onFront)
    .sort((a, b) => a.p50Ms - b.p50Ms)
    .map((p) => `<code>${escapeXml(p.id)}</code>`);
  return (
    `<figure id="${escapeXml(id)}"><figcaption>Latency vs quality (circle area ∝ model bytes; dashed green: Pareto front; hover a circle for its target)</figcaption>${svg}` +
    `<p class="why">Pareto front, fastest first: ${front.join(', ')}</p></figure>`
  );
}
