/**
 * Number formatting shared by every report (Markdown, HTML, console, progress lines), so one value
 * reads the same everywhere. Pure: no Node imports.
 *
 * Conventions: a missing value prints as {@link DASH}; `NaN` as `NaN`; ±Infinity as `∞` / `-∞`.
 */

/** What a missing value prints as. */
export const DASH = '—';

type Num = number | null | undefined;

function special(x: Num): string | undefined {
  if (x === null || x === undefined) return DASH;
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  return undefined;
}

/** Drops trailing zeros of a decimal mantissa: `1.500` → `1.5`, `2.000e-5` → `2e-5`. */
function trimZeros(s: string): string {
  const [mantissa = s, exponent] = s.split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? m : `${m}e${exponent.replace(/^\+/, '')}`;
}

/**
 * A number with `digits` significant digits (default 3). Tiny and huge magnitudes (below 1e-3,
 * from 1e6) switch to exponent form (`2.4e-7`) so errors near zero stay readable.
 */
export function fmtNum(x: Num, digits = 3): string {
  const s = special(x);
  if (s !== undefined) return s;
  const v = x as number;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return trimZeros(v.toExponential(Math.max(0, digits - 1)));
  if (a >= 10 ** digits) return String(Math.round(v));
  return trimZeros(v.toPrecision(digits));
}

/** Milliseconds without the unit: 3 decimals below 1 ms, 2 below 10, 1 below 100, else integers. */
export function fmtMs(ms: Num): string {
  const s = special(ms);
  if (s !== undefined) return s;
  const v = ms as number;
  const a = Math.abs(v);
  if (a < 1) return v.toFixed(3);
  if (a < 10) return v.toFixed(2);
  if (a < 100) return v.toFixed(1);
  return v.toFixed(0);
}

/**
 * A fraction as a percentage (`0.999` → `99.9%`). Adds decimals (up to 4) rather than round a
 * value that is not exactly 1 up to `100.0%`, or one that is not 0 down to `0.0%`.
 */
export function fmtPct(frac: Num, decimals = 1): string {
  const s = special(frac);
  if (s !== undefined) return s;
  const p = (frac as number) * 100;
  let d = decimals;
  let out = p.toFixed(d);
  while (d < 4 && ((p !== 100 && Number(out) === 100) || (p !== 0 && Number(out) === 0))) out = p.toFixed(++d);
  return `${out}%`;
}

/** A signed fraction in percentage points with 2 decimals: `-0.004` → `-0.40`. */
function points(frac: number): string {
  const p = frac * 100;
  const out = p.toFixed(2);
  return p > 0 || (p === 0 && !Object.is(p, -0)) ? `+${out}` : out.replace(/^-(0\.00)$/, '$1');
}

/**
 * A fraction delta as percentage points, optionally with its confidence interval:
 * `-0.40 pt [-0.90, +0.10]`.
 */
export function fmtPoints(frac: Num, ci?: { lo: number; hi: number } | null): string {
  const s = special(frac);
  if (s !== undefined) return s;
  const base = `${points(frac as number)} pt`;
  if (!ci || !Number.isFinite(ci.lo) || !Number.isFinite(ci.hi)) return base;
  return `${base} [${points(ci.lo)}, ${points(ci.hi)}]`;
}

/**
 * A cosine similarity near 1 with enough decimals to show how far from 1 it is:
 * `0.99999987` stays `0.99999987` instead of rounding to `1.00`. Exactly 1 prints `1`.
 */
export function fmtCosine(x: Num): string {
  const s = special(x);
  if (s !== undefined) return s;
  const v = x as number;
  if (v === 1) return '1';
  const gap = 1 - v;
  if (gap <= 0 || gap >= 0.01) return v.toFixed(4);
  const nines = Math.floor(-Math.log10(gap));
  return trimZeros(v.toFixed(Math.min(12, nines + 2)));
}

/** Decibels (SQNR): `42.1 dB`; identical outputs give `∞ dB`. */
export function fmtDb(x: Num): string {
  const s = special(x);
  if (s !== undefined) return x === null || x === undefined ? s : `${s} dB`;
  return `${(x as number).toFixed(1)} dB`;
}

/** An integer count with thin grouping: `12345` → `12,345`. */
export function fmtCount(n: Num): string {
  const s = special(n);
  if (s !== undefined) return s;
  return Math.round(n as number)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
