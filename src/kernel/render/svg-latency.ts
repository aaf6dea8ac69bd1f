/**
 * Latency chart: one row per target on a shared time axis. Each row is a strip of the warm-run
 * samples (`latency.samplesMs`) over a box (quartiles) with whiskers (min..max), the p50 marked
 * by a thick bar and the p99 by a red tick. The axis turns logarithmic when the plotted values
 * span more than 20×, so a 1 ms WASM target and a 60 ms WebGL target both stay readable.
 * Pure: returns SVG markup; reused by the HTML report and the browser harness page.
 */
import { quantileSorted } from '../core/order-stats.ts';
import type { LatencyStats } from '../latency/summarize.ts';
import { escapeXml } from './escape.ts';
import { fmtMs } from './format.ts';
import { fitLabel, linearScale, logScale, positiveExtent, px, svgOpen, xAxis, type ChartOptions, type Scale } from './svg-scale.ts';

export type { ChartOptions } from './svg-scale.ts';

export interface LatencySeries {
  /** Row label, usually the target id. */
  label: string;
  stats: Pick<LatencyStats, 'p50Ms' | 'p99Ms' | 'samplesMs'>;
  /** Draws the label in bold (the reference). Default `false`. */
  emphasize?: boolean;
}

/** Above this max/min ratio of plotted values, the axis is logarithmic. */
export const LOG_SCALE_RATIO = 20;
/** At most this many strip points per row; more are evenly thinned (the box still uses all). */
const MAX_POINTS = 300;
const LABEL_W = 250;
const ROW_H = 34;
const TOP = 10;

function chooseScale(series: readonly LatencySeries[], range: [number, number]): Scale {
  const values = series.flatMap((s) => [...s.stats.samplesMs, s.stats.p50Ms, s.stats.p99Ms]);
  const ext = positiveExtent(values) ?? [0.1, 1];
  if (ext[1] / ext[0] > LOG_SCALE_RATIO) return logScale(ext, range);
  return linearScale([0, ext[1]], range);
}

function row(s: LatencySeries, i: number, x: Scale): string {
  const cy = TOP + i * ROW_H + ROW_H / 2;
  const finite = s.stats.samplesMs.filter((v) => Number.isFinite(v));
  const sorted = [...finite].sort((a, b) => a - b);
  const parts: string[] = [];
  const tip = `${s.label}: p50 ${fmtMs(s.stats.p50Ms)} ms, p99 ${fmtMs(s.stats.p99Ms)} ms, ${sorted.length} samples`;
  parts.push(`<title>${escapeXml(tip)}</title>`);
  parts.push(`<text x="0" y="${px(cy - 2)}" fill="currentColor"${s.emphasize ? ' font-weight="bold"' : ''}>${escapeXml(fitLabel(s.label))}</text>`);
  parts.push(
    `<text x="0" y="${px(cy + 11)}" fill="currentColor" fill-opacity="0.65" font-size="10">p50 ${escapeXml(fmtMs(s.stats.p50Ms))} · p99 ${escapeXml(fmtMs(s.stats.p99Ms))} ms</text>`,
  );
  if (sorted.length > 0) {
    const [lo, hi] = [sorted[0]!, sorted[sorted.length - 1]!];
    const [q1, q3] = [quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75)];
    parts.push(`<line x1="${px(x(lo))}" x2="${px(x(hi))}" y1="${px(cy)}" y2="${px(cy)}" stroke="currentColor" stroke-opacity="0.45"/>`);
    parts.push(
      `<rect x="${px(x(q1))}" y="${px(cy - 7)}" width="${px(Math.max(1, x(q3) - x(q1)))}" height="14" fill="#4e79a7" fill-opacity="0.25" stroke="#4e79a7"/>`,
    );
    const step = Math.max(1, Math.ceil(finite.length / MAX_POINTS));
    const dots: string[] = [];
    for (let k = 0; k < finite.length; k += step) {
      const jitter = ((k * 7919) % 11) - 5;
      dots.push(`<circle cx="${px(x(finite[k]!))}" cy="${px(cy + jitter)}" r="1.6"/>`);
    }
    parts.push(`<g fill="#4e79a7" fill-opacity="0.45">${dots.join('')}</g>`);
  }
  if (Number.isFinite(s.stats.p50Ms)) {
    const p50 = px(x(s.stats.p50Ms));
    parts.push(`<line class="p50" x1="${p50}" x2="${p50}" y1="${px(cy - 10)}" y2="${px(cy + 10)}" stroke="currentColor" stroke-width="3"/>`);
  }
  if (Number.isFinite(s.stats.p99Ms)) {
    const p99 = x(s.stats.p99Ms);
    parts.push(`<path class="p99" d="M${px(p99)} ${px(cy - 4)} l-4 -7 h8 z" fill="#e15759"/>`);
    parts.push(`<line x1="${px(p99)}" x2="${px(p99)}" y1="${px(cy - 4)}" y2="${px(cy + 9)}" stroke="#e15759" stroke-width="1.5"/>`);
  }
  return `<g class="row">${parts.join('')}</g>`;
}

/** Draws the latency distributions of `series` (rows in the given order) as one SVG. */
export function latencySvg(series: readonly LatencySeries[], options: ChartOptions = {}): string {
  const width = options.width ?? 760;
  const height = TOP + series.length * ROW_H + 40;
  const x = chooseScale(series, [LABEL_W + 10, width - 16]);
  const axisY = TOP + series.length * ROW_H + 4;
  const legend =
    `<g font-size="10" fill="currentColor" fill-opacity="0.75" transform="translate(${LABEL_W + 10} ${px(axisY + 28)})">` +
    '<rect x="0" y="-8" width="10" height="9" fill="#4e79a7" fill-opacity="0.25" stroke="#4e79a7"/><text x="14" y="0">quartiles, whiskers min–max, dots = warm runs</text>' +
    '<rect x="270" y="-9" width="3" height="11" fill="currentColor"/><text x="278" y="0">p50</text>' +
    '<path d="M314 -2 l-4 -7 h8 z" fill="#e15759"/><text x="322" y="0">p99</text></g>';
  return [
    svgOpen({ width, height: height + 8, label: options.title ?? 'Warm-run latency per target', standalone: options.standalone }),
    xAxis(x, axisY, TOP, 'ms'),
    ...series.map((s, i) => row(s, i, x)),
    legend,
    '</svg>',
  ].join('');
}
