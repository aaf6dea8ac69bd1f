/**
 * Scales, ticks and the axis shared by the hand-drawn SVG charts. Pure: no Node imports, no DOM.
 */
import { escapeXml } from './escape.ts';
import { fmtNum } from './format.ts';

/** Options every chart takes. */
export interface ChartOptions {
  /** Total width in px. Default 760. */
  width?: number;
  /** Add the SVG namespace, for use outside an HTML page (a saved .svg). Default `false`. */
  standalone?: boolean;
  /** Accessible title. Default chart-specific. */
  title?: string;
}

/** Maps a data value to a pixel coordinate. */
export interface Scale {
  (value: number): number;
  readonly log: boolean;
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/** A linear scale whose domain is widened to nice tick boundaries (~5 ticks). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [lo, hi] = domain;
  if (!(hi > lo)) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / 5);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  const [r0, r1] = range;
  const f = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  return Object.assign(f, { log: false, domain: [lo, hi] as const, ticks });
}

/** A base-10 log scale over positive values, widened to whole decades. Values ≤ 0 map to the start. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let lo = Math.floor(Math.log10(domain[0]));
  let hi = Math.ceil(Math.log10(domain[1]));
  if (hi <= lo) {
    lo -= 1;
    hi += 1;
  }
  const every = Math.ceil((hi - lo) / 8);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) ticks.push(10 ** e);
  const [r0, r1] = range;
  const f = ((v: number) => {
    if (!(v > 0)) return r0;
    const t = (Math.log10(v) - lo) / (hi - lo);
    return r0 + Math.min(1, Math.max(0, t)) * (r1 - r0);
  }) as Scale;
  return Object.assign(f, { log: true, domain: [10 ** lo, 10 ** hi] as const, ticks });
}

/** Finite values > 0 among `values`, with their min and max (undefined when there are none). */
export function positiveExtent(values: Iterable<number>): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v > 0 && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Longest row label drawn in full (the chart's label column is 250 px at 11 px type). */
export const MAX_LABEL_CHARS = 42;

/**
 * Shortens a label so it stays in the label column; the tooltip keeps it whole. A target id
 * (`model:variant@backend/env`) loses its model prefix (the chart names the model) and then its
 * tail, never the variant, so `int8-weight` and `int8-dynamic` stay apart; other labels get a
 * middle ellipsis.
 */
export function fitLabel(label: string, max = MAX_LABEL_CHARS): string {
  if (label.length <= max) return label;
  const target = /^[^:@]+:([^@]+@.+)$/.exec(label);
  if (target) return target[1]!.length <= max ? target[1]! : `${target[1]!.slice(0, max - 1)}…`;
  const head = Math.ceil((max - 1) / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (max - 1 - head))}`;
}

/** Rounds a pixel coordinate to keep the markup short. */
export const px = (v: number): string => String(Math.round(v * 10) / 10);

/** Opening `<svg>` tag. `standalone` adds the namespace needed outside an HTML page. */
export function svgOpen(options: { width: number; height: number; label: string; standalone?: boolean }): string {
  const ns = options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  return (
    `<svg${ns} viewBox="0 0 ${options.width} ${options.height}" width="${options.width}" height="${options.height}" ` +
    `role="img" aria-label="${escapeXml(options.label)}" font-family="system-ui,sans-serif" font-size="11">` +
    `<title>${escapeXml(options.label)}</title>`
  );
}

/** A horizontal axis at `y` with tick marks, labels and faint grid lines up to `gridTop`. */
export function xAxis(scale: Scale, y: number, gridTop: number, unit: string): string {
  const parts = scale.ticks.map((t) => {
    const x = px(scale(t));
    return (
      `<line x1="${x}" x2="${x}" y1="${px(gridTop)}" y2="${px(y)}" stroke="currentColor" stroke-opacity="0.12"/>` +
      `<text x="${x}" y="${px(y + 14)}" text-anchor="middle" fill="currentColor">${escapeXml(fmtNum(t, 2))}</text>`
    );
  });
  const [x0, x1] = [scale(scale.domain[0]), scale(scale.domain[1])];
  return (
    `<g class="axis"><line x1="${px(x0)}" x2="${px(x1)}" y1="${px(y)}" y2="${px(y)}" stroke="currentColor" stroke-opacity="0.5"/>${parts.join('')}` +
    `<text x="${px(x1)}" y="${px(y + 28)}" text-anchor="end" fill="currentColor" fill-opacity="0.7">${escapeXml(unit)}${scale.log ? ' (log scale)' : ''}</text></g>`
  );
}
