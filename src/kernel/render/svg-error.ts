/**
 * Error chart for one output: per target, bars of max / p99 / mean absolute error on a log axis,
 * with the target's atol as a dashed mark. Exact zeros (bit-identical outputs) have no bar on a
 * log axis, so they get a hollow marker and the label `0`; NaN and Infinity get a full-width red
 * bar labelled `NaN` / `∞`. Pure: returns SVG markup; reused by the HTML report and harness page.
 */
import type { OutputMetrics } from '../judge/types.ts';
import { escapeXml } from './escape.ts';
import { fmtNum } from './format.ts';
import { fitLabel, logScale, positiveExtent, px, svgOpen, xAxis, type ChartOptions, type Scale } from './svg-scale.ts';

export interface ErrorGroup {
  /** Row label, usually the target id. */
  label: string;
  metrics: Pick<OutputMetrics, 'maxAbs' | 'meanAbs' | 'p99Abs'> & { tolerance?: { atol: number } };
  /** Marks a group whose output failed its tolerance (label in red). Default `false`. */
  failed?: boolean;
}

/** The bars of each group, top to bottom, with their colors. */
export const ERROR_BARS = [
  { key: 'maxAbs', label: 'max abs', color: '#e15759' },
  { key: 'p99Abs', label: 'p99 abs', color: '#f28e2b' },
  { key: 'meanAbs', label: 'mean abs', color: '#4e79a7' },
] as const;

const LABEL_W = 250;
const BAR_H = 8;
const GROUP_H = ERROR_BARS.length * (BAR_H + 2) + 12;
const TOP = 10;

function bar(value: number, y: number, x: Scale, color: string, right: number): string {
  const x0 = x(x.domain[0]);
  if (Number.isNaN(value) || value === Infinity) {
    const text = Number.isNaN(value) ? 'NaN' : '∞';
    return (
      `<rect x="${px(x0)}" y="${px(y)}" width="${px(right - x0)}" height="${BAR_H}" fill="${color}" fill-opacity="0.35" stroke="#e15759" stroke-dasharray="3 2"/>` +
      `<text x="${px(right - 4)}" y="${px(y + BAR_H - 1)}" text-anchor="end" font-weight="bold" fill="#e15759">${text}</text>`
    );
  }
  if (!(value > 0)) {
    return (
      `<circle cx="${px(x0 + 4)}" cy="${px(y + BAR_H / 2)}" r="3.5" fill="none" stroke="${color}"/>` +
      `<text x="${px(x0 + 11)}" y="${px(y + BAR_H - 1)}" fill="currentColor" font-size="10">0</text>`
    );
  }
  const x1 = x(value);
  return (
    `<rect x="${px(x0)}" y="${px(y)}" width="${px(Math.max(1, x1 - x0))}" height="${BAR_H}" fill="${color}"/>` +
    `<text x="${px(x1 + 4)}" y="${px(y + BAR_H - 1)}" fill="currentColor" font-size="10">${escapeXml(fmtNum(value))}</text>`
  );
}

function group(g: ErrorGroup, i: number, x: Scale, right: number): string {
  const y0 = TOP + i * GROUP_H;
  const m = g.metrics;
  const tip =
    `${g.label}: max ${fmtNum(m.maxAbs)}, p99 ${fmtNum(m.p99Abs)}, mean ${fmtNum(m.meanAbs)}` + (m.tolerance ? `, atol ${fmtNum(m.tolerance.atol)}` : '');
  const parts = [
    `<title>${escapeXml(tip)}</title>`,
    `<text x="0" y="${px(y0 + GROUP_H / 2)}" fill="${g.failed ? '#e15759' : 'currentColor'}">${escapeXml(fitLabel(g.label))}</text>`,
    ...ERROR_BARS.map((b, k) => bar(m[b.key], y0 + k * (BAR_H + 2), x, b.color, right)),
  ];
  const atol = m.tolerance?.atol;
  if (atol !== undefined && atol > 0 && Number.isFinite(atol)) {
    const ax = px(x(atol));
    parts.push(
      `<line class="atol" x1="${ax}" x2="${ax}" y1="${px(y0 - 3)}" y2="${px(y0 + GROUP_H - 9)}" stroke="currentColor" stroke-dasharray="2 2" stroke-width="1.5"/>`,
    );
  }
  return `<g class="group">${parts.join('')}</g>`;
}

/** Draws the absolute-error bars of one output across targets as one SVG. */
export function errorSvg(output: string, groups: readonly ErrorGroup[], options: ChartOptions = {}): string {
  const width = options.width ?? 760;
  const right = width - 50;
  const values = groups.flatMap((g) => [g.metrics.maxAbs, g.metrics.meanAbs, g.metrics.p99Abs, g.metrics.tolerance?.atol ?? 0]);
  const x = logScale(positiveExtent(values) ?? [1e-8, 1], [LABEL_W + 10, right]);
  const axisY = TOP + groups.length * GROUP_H;
  const legend =
    ERROR_BARS.map((b, k) => `<rect x="${k * 90}" y="-8" width="10" height="9" fill="${b.color}"/><text x="${k * 90 + 14}" y="0">${b.label}</text>`).join('') +
    '<line x1="272" x2="272" y1="-9" y2="1" stroke="currentColor" stroke-dasharray="2 2" stroke-width="1.5"/><text x="278" y="0">atol</text>';
  return [
    svgOpen({ width, height: axisY + 52, label: options.title ?? `Absolute error of output ${output} per target`, standalone: options.standalone }),
    xAxis(x, axisY, TOP - 4, `|target − reference| of ${output}`),
    ...groups.map((g, i) => group(g, i, x, right)),
    `<g font-size="10" fill="currentColor" fill-opacity="0.75" transform="translate(${LABEL_W + 10} ${px(axisY + 44)})">${legend}</g>`,
    '</svg>',
  ].join('');
}
