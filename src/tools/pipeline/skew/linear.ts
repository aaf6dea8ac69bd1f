/**
 * Least-squares line fits and the unit conversions a fitted slope may reveal. Pure: no Node imports.
 */

export interface LineFit {
  slope: number;
  offset: number;
  /** Coefficient of determination; 1 for an exact line. */
  r2: number;
  /** Rows used. */
  n: number;
}

/** Fits y = slope * x + offset on the rows `use` (all when omitted), skipping non-finite pairs. */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>, use?: readonly number[]): LineFit | undefined {
  const rows = use ?? Array.from({ length: x.length }, (_, i) => i);
  let n = 0,
    sx = 0,
    sy = 0;
  for (const i of rows) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
    n++;
    sx += x[i]!;
    sy += y[i]!;
  }
  if (n < 3) return undefined;
  const mx = sx / n,
    my = sy / n;
  let sxx = 0,
    sxy = 0,
    syy = 0;
  for (const i of rows) {
    if (!Number.isFinite(x[i]!) || !Number.isFinite(y[i]!)) continue;
    const dx = x[i]! - mx,
      dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const offset = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, offset, r2, n };
}

/** A conversion `to = factor * from + shift`. */
interface Unit {
  from: string;
  to: string;
  factor: number;
  shift?: number;
}

const UNITS: readonly Unit[] = [
  { from: 'mm', to: 'cm', factor: 0.1 },
  { from: 'cm', to: 'mm', factor: 10 },
  { from: 'cm', to: 'm', factor: 0.01 },
  { from: 'm', to: 'cm', factor: 100 },
  { from: 'mm', to: 'm', factor: 0.001 },
  { from: 'm', to: 'mm', factor: 1000 },
  { from: 'g', to: 'kg', factor: 0.001 },
  { from: 'kg', to: 'g', factor: 1000 },
  { from: 'in', to: 'cm', factor: 2.54 },
  { from: 'cm', to: 'in', factor: 1 / 2.54 },
  { from: 'in', to: 'mm', factor: 25.4 },
  { from: 'mm', to: 'in', factor: 1 / 25.4 },
  { from: 'kg', to: 'lb', factor: 2.20462262 },
  { from: 'lb', to: 'kg', factor: 0.45359237 },
  { from: 'g', to: 'lb', factor: 0.00220462262 },
  { from: 'lb', to: 'g', factor: 453.59237 },
  { from: 'km', to: 'mi', factor: 0.621371192 },
  { from: 'mi', to: 'km', factor: 1.609344 },
  { from: 's', to: 'ms', factor: 1000 },
  { from: 'ms', to: 's', factor: 0.001 },
  { from: 'C', to: 'F', factor: 1.8, shift: 32 },
  { from: 'F', to: 'C', factor: 5 / 9, shift: -160 / 9 },
  { from: 'fraction', to: 'percent', factor: 100 },
  { from: 'percent', to: 'fraction', factor: 0.01 },
];

/**
 * Unit conversions matching raw = factor * rawBefore + shift (within 1% of the factor and a
 * small shift), best first: conversions whose source unit appears in the column name lead.
 */
export function guessUnits(column: string, factor: number, shift: number, scale: number): string[] {
  const tokens = new Set(
    column
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean),
  );
  const hits = UNITS.filter(
    (u) => Math.abs(factor / u.factor - 1) < 0.01 && Math.abs(shift - (u.shift ?? 0)) <= 0.02 * Math.max(1, Math.abs(u.shift ?? 0), scale),
  );
  const named = hits.filter((u) => tokens.has(u.from.toLowerCase()));
  return (named.length ? named : hits).map((u) => `${u.from}→${u.to}`);
}

/** Shortest readable number for messages: 4 significant digits. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, 'e');
}
