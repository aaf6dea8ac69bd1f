/**
 * Explains one skewed feature on its own: constant at the candidate, missing values handled
 * differently, a linear relation (standardize ↔ min-max, unit change, other scale/offset), or
 * nothing recognisable. Pure: no Node imports.
 */
import { mismatchRows } from './compare.ts';
import { isConstant, moments, nullRows, snap, toRaw, type SkewContext } from './context.ts';
import { fitLine, guessUnits, num } from './linear.ts';
import type { Diagnosis } from './types.ts';

const R2_LINEAR = 0.9999;

function looksStandardized(m: { mean: number; sd: number }): boolean {
  return Math.abs(m.mean) < 0.35 && m.sd > 0.7 && m.sd < 1.3;
}
function looksMinmax(m: { min: number; max: number }): boolean {
  return m.min >= -0.1 && m.max <= 1.1 && m.max - m.min >= 0.5;
}

function distinct(xs: number[]): string {
  const u = [...new Set(xs.map((x) => num(x)))];
  return u.length <= 3 ? u.join(', ') : `${u.slice(0, 3).join(', ')}, … (${u.length} distinct)`;
}

function constant(ctx: SkewContext, j: number, name: string): Diagnosis | undefined {
  const c = ctx.cand[j]!,
    r = ctx.ref[j]!;
  if (!isConstant(c) || isConstant(r) || c.length === 0) return undefined;
  const raw = toRaw(ctx.infos[j], c[0]!);
  const rawNote = raw === undefined ? '' : ` (raw ${num(raw)}${ctx.infos[j]?.affine && Math.abs(c[0]!) < 1e-6 ? ', the training mean' : ''})`;
  return {
    kind: 'constant',
    features: [name],
    message: `feature '${name}' is constant at ${ctx.candLabel} (always ${num(c[0]!)}${rawNote}) but varies at ${ctx.refLabel} (sd ${num(moments(r).sd)}) — the ${ctx.candLabel} side probably never receives raw '${ctx.infos[j]?.source ?? name}' (missing column, default value or stale cache)`,
    evidence: { value: c[0], rawValue: raw, referenceSd: moments(r).sd },
  };
}

function missing(ctx: SkewContext, j: number, name: string, bad: number[]): Diagnosis | undefined {
  const nulls = nullRows(ctx, j);
  if (nulls.length === 0 || bad.length === 0) return undefined;
  const isNull = new Set(nulls);
  const onNull = bad.filter((i) => isNull.has(i));
  if (onNull.length < 0.95 * bad.length) return undefined;
  const info = ctx.infos[j];
  const source = info?.source ?? name;
  const refVals = onNull.map((i) => ctx.ref[j]![i]!),
    candVals = onNull.map((i) => ctx.cand[j]![i]!);
  const rawOf = (xs: number[]): string => (info?.affine ? ` (raw ${distinct(xs.map((x) => toRaw(info, x)!))})` : '');
  const how = info?.ops.find((o) => o.startsWith('impute:'));
  const candRaw = info?.affine ? [...new Set(candVals.map((x) => toRaw(info, x)!))] : [];
  const fills =
    candRaw.length === 1
      ? ` — ${ctx.candLabel} looks like it fills nulls with ${num(candRaw[0]!)}${how ? ` instead of the ${how.slice(7).replace('_', ' ')}` : ''}`
      : '';
  return {
    kind: 'missing-handling',
    features: [name],
    message: `missing values handled differently in '${name}': ${onNull.length} of ${bad.length} mismatching rows have a null raw '${source}' (${nulls.length} null rows in all); there ${ctx.refLabel} gives ${distinct(refVals)}${rawOf(refVals)}${how ? ` [${how}]` : ''} but ${ctx.candLabel} gives ${distinct(candVals)}${rawOf(candVals)}${fills}`,
    evidence: {
      mismatchRows: bad.length,
      onNullRows: onNull.length,
      nullRows: nulls.length,
      referenceValues: [...new Set(refVals)].slice(0, 5),
      candidateValues: [...new Set(candVals)].slice(0, 5),
      candidateRawFill: candRaw.length === 1 ? candRaw[0] : undefined,
    },
  };
}

function linear(ctx: SkewContext, j: number, name: string): Diagnosis | undefined {
  const nulls = new Set(nullRows(ctx, j));
  const use = Array.from({ length: ctx.reference.rows }, (_, i) => i).filter((i) => !nulls.has(i));
  const r = ctx.ref[j]!,
    c = ctx.cand[j]!;
  const fit = fitLine(r, c, use);
  if (!fit || fit.r2 < R2_LINEAR) return undefined;
  const { slope: a, offset: b } = fit;
  const line = `${ctx.candLabel} = ${num(a)}·${ctx.refLabel} ${b < 0 ? '−' : '+'} ${num(Math.abs(b))} (R² ${fit.r2.toFixed(4)})`;
  const info = ctx.infos[j];
  const cinfo = ctx.candidateInfos?.[j];
  const mr = moments(use.map((i) => r[i]!)),
    mc = moments(use.map((i) => c[i]!));
  const refStd = info?.ops.includes('standardize') || (!info?.ops.includes('minmax') && looksStandardized(mr));
  const candMm = cinfo ? cinfo.ops.includes('minmax') : looksMinmax(mc) && !looksStandardized(mc);
  const refMm = info?.ops.includes('minmax') || (!info?.ops.includes('standardize') && looksMinmax(mr) && !looksStandardized(mr));
  const candStd = cinfo ? cinfo.ops.includes('standardize') : looksStandardized(mc);
  const evidence = { slope: a, offset: b, r2: fit.r2, rows: fit.n, referenceMean: mr.mean, referenceSd: mr.sd, candidateMin: mc.min, candidateMax: mc.max };
  if (refStd && candMm && info?.affine) {
    const s = info.affine.scale,
      o = info.affine.offset;
    const span = 1 / (a * s),
      lo = -(a * o + b) * span;
    return {
      kind: 'standardize-vs-minmax',
      features: [name],
      message: `standardization replaced by min-max in '${name}': ${ctx.candLabel} values lie in [${num(mc.min)}, ${num(mc.max)}] (min-max over raw [${num(lo)}, ${num(lo + span)}]) while ${ctx.refLabel} is standardized (mean ${num(-o / s)}, std ${num(1 / s)}); ${line} — apply the fitted standardize step at ${ctx.candLabel}`,
      evidence: { ...evidence, impliedMin: lo, impliedMax: lo + span, mean: -o / s, std: 1 / s },
    };
  }
  if ((refStd && candMm) || (refMm && candStd)) {
    const [was, now] = refStd ? ['standardization', 'min-max'] : ['min-max', 'standardization'];
    return {
      kind: 'standardize-vs-minmax',
      features: [name],
      message: `${was} replaced by ${now} in '${name}': ${ctx.refLabel} mean ${num(mr.mean)} sd ${num(mr.sd)} range [${num(mr.min)}, ${num(mr.max)}], ${ctx.candLabel} mean ${num(mc.mean)} sd ${num(mc.sd)} range [${num(mc.min)}, ${num(mc.max)}]; ${line}`,
      evidence,
    };
  }
  if (info?.affine) {
    // Read the line in raw units: rawCandidate = a * raw + shift.
    const s = info.affine.scale,
      o = info.affine.offset;
    const shift = (a * o + b - o) / s;
    const rawScale = Math.abs(o / s) + Math.abs(1 / s);
    const units = guessUnits(info.source ?? name, a, shift, rawScale);
    const pureScale = Math.abs(shift) <= 1e-3 * rawScale;
    if (units.length || pureScale) {
      const guess = units.length ? ` (${units.join(' or ')}?)` : ' (unit change?)';
      const sh = pureScale ? '' : ` ${shift < 0 ? '−' : '+'} ${num(Math.abs(shift))}`;
      return {
        kind: 'unit-change',
        features: [name],
        message: `feature ${name} looks scaled by ${num(a)}${sh}${guess}: raw '${info.source}' at ${ctx.candLabel} ≈ ${num(a)} × the training values${sh}; ${line} — convert the input to training units or refit`,
        evidence: { ...evidence, rawFactor: a, rawShift: shift, units },
      };
    }
    // Candidate = (x - m') / s' in raw terms: read its statistics off the line.
    const s2 = 1 / (a * s),
      m2 = -(a * o + b) * s2;
    const nullNote = nullDeviation(ctx, j, (v) => v * s2 + m2);
    if (refStd && candStd) {
      return {
        kind: 'scaling-stats',
        features: [name],
        message: `standardization statistics differ in '${name}': ${ctx.candLabel} standardizes with mean ${num(m2)}, std ${num(s2)} where ${ctx.refLabel} uses mean ${num(-o / s)}, std ${num(1 / s)}; ${line}${nullNote} — use the fitted statistics (were they refit on other data, or after filling nulls differently?)`,
        evidence: { ...evidence, candidateMean: m2, candidateStd: s2, referenceMean: -o / s, referenceStd: 1 / s },
      };
    }
    return {
      kind: 'linear',
      features: [name],
      message: `'${name}' is a linear function of ${ctx.refLabel}: ${line}; in raw units ×${num(a)} ${shift < 0 ? '−' : '+'} ${num(Math.abs(shift))}${nullNote} — the two sides scale this feature differently`,
      evidence: { ...evidence, rawFactor: a, rawShift: shift },
    };
  }
  return {
    kind: 'linear',
    features: [name],
    message: `'${name}' is a linear function of ${ctx.refLabel}: ${line} — scaling differs between the two sides`,
    evidence,
  };
}

/**
 * When rows with a null raw value fall off the line fitted on the others, says what the candidate
 * filled them with (in raw units, through `candRaw`).
 */
function nullDeviation(ctx: SkewContext, j: number, candRaw: (v: number) => number): string {
  const nulls = nullRows(ctx, j);
  if (nulls.length === 0) return '';
  const a = ctx.infos[j]?.affine;
  if (!a) return '';
  const mag = Math.abs(a.offset / a.scale) + Math.abs(1 / a.scale);
  const fills = [...new Set(nulls.map((i) => snap(candRaw(ctx.cand[j]![i]!), mag)))];
  const refFills = [...new Set(nulls.map((i) => toRaw(ctx.infos[j], ctx.ref[j]![i]!)!))];
  if (fills.length !== 1 || refFills.length !== 1 || Math.abs(fills[0]! - refFills[0]!) <= 1e-3 * Math.max(1, Math.abs(refFills[0]!))) return '';
  return `; on the ${nulls.length} rows with a null raw value ${ctx.candLabel} fills ${num(fills[0]!)} where ${ctx.refLabel} fills ${num(refFills[0]!)}`;
}

/** The single best explanation of skewed feature j. */
export function diagnoseColumn(ctx: SkewContext, j: number): Diagnosis {
  const name = ctx.reference.featureNames[j] ?? `#${j}`;
  const bad = mismatchRows(ctx.ref[j]!, ctx.cand[j]!, ctx.tol);
  const found = constant(ctx, j, name) ?? missing(ctx, j, name, bad) ?? linear(ctx, j, name);
  if (found) return found;
  const nulls = new Set(nullRows(ctx, j));
  const onNull = bad.filter((i) => nulls.has(i)).length;
  const worst = bad
    .slice(0, 3)
    .map((i) => `row ${i + 1}: ${num(ctx.ref[j]![i]!)} vs ${num(ctx.cand[j]![i]!)}`)
    .join('; ');
  return {
    kind: 'unexplained',
    features: [name],
    message: `'${name}' differs on ${bad.length} of ${ctx.reference.rows} rows${onNull ? ` (${onNull} of them with a null raw value)` : ''} with no swap, line or missing-value pattern; ${worst}`,
    evidence: { mismatchRows: bad.length, onNullRows: onNull, examples: bad.slice(0, 5) },
  };
}
