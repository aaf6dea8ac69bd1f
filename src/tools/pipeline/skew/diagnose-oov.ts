/**
 * Recognises unseen (out-of-vocabulary) categories encoded differently on the two sides: the
 * mismatching rows of a one-hot group (or a vocabulary-index column) are the rows whose raw value
 * is not in the training vocabulary, and each side maps them to one fixed thing — all zeros, the
 * `<oov>` bucket, the first or the most frequent category, an "other" category. Pure: no Node imports.
 */
import { rawValue } from '../frame.ts';
import { mismatchRows } from './compare.ts';
import type { SkewContext } from './context.ts';
import { num } from './linear.ts';
import type { Diagnosis } from './types.ts';

/** Share of the mismatching rows that must be unseen-value rows. */
const ON_UNSEEN = 0.95;

interface Group {
  cols: number[];
  source: string;
  vocabulary: string[];
  kind: 'onehot' | 'index';
}

function lookupVocabulary(ctx: SkewContext, source: string): string[] | undefined {
  for (const p of [ctx.pipelines?.reference, ctx.pipelines?.candidate]) {
    for (const s of p?.steps ?? []) if (s.op === 'lookup' && s.params[source]) return s.params[source]!.vocabulary;
  }
  return undefined;
}

function groupsOf(ctx: SkewContext, skewed: readonly number[]): Group[] {
  const out = new Map<string, Group>();
  for (const j of skewed) {
    const info = ctx.infos[j];
    if (!info?.source) continue;
    if (info.kind === 'onehot' && info.group !== undefined && !out.has(info.group)) {
      const cols = ctx.infos.map((x, i) => (x.group === info.group ? i : -1)).filter((i) => i >= 0 && i < ctx.candidate.cols);
      const vocabulary = cols.map((i) => ctx.infos[i]!.category!).filter((c) => c !== '<oov>');
      out.set(info.group, { cols, source: info.source, vocabulary, kind: 'onehot' });
    } else if (info.kind === 'index') {
      const vocabulary = lookupVocabulary(ctx, info.source);
      if (vocabulary) out.set(`index:${j}`, { cols: [j], source: info.source, vocabulary, kind: 'index' });
    }
  }
  return [...out.values()];
}

/** What one side produced on row i, in words. */
function mapping(g: Group, ctx: SkewContext, side: Float64Array[], i: number): string {
  if (g.kind === 'index') {
    const v = side[g.cols[0]!]![i]!;
    if (v === -1) return 'index -1 (no category)';
    if (v === g.vocabulary.length) return `index ${v} (the <oov> bucket)`;
    return Number.isInteger(v) && v >= 0 && v < g.vocabulary.length ? `'${g.vocabulary[v]}' (index ${v})` : `index ${num(v)}`;
  }
  const hot = g.cols.filter((c) => side[c]![i] === 1);
  if (hot.length === 0 && g.cols.every((c) => side[c]![i] === 0)) return 'all zeros';
  if (hot.length !== 1) return 'a non-one-hot vector';
  return `'${ctx.infos[hot[0]!]!.category}'`;
}

function describe(g: Group, ctx: SkewContext, m: string): string {
  const cat = /^'(.*)'/.exec(m)?.[1];
  if (m === 'all zeros' || cat === undefined) return m;
  if (cat === '<oov>') return `${m} (the <oov> bucket)`;
  const counts = new Map<string, number>();
  for (const r of ctx.rawRows) {
    const v = rawValue(r[g.source]);
    if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  }
  const top = [...counts].filter(([k]) => g.vocabulary.includes(k)).sort((a, b) => b[1] - a[1])[0]?.[0];
  const notes = [
    cat === g.vocabulary[0] ? 'the first category' : '',
    cat === top ? 'the most frequent category' : '',
    /^(other|unknown|unk|misc|none)$/i.test(cat) ? `an '${cat}' bucket` : '',
  ].filter(Boolean);
  return notes.length ? `${m} (${notes.join(', ')})` : m;
}

/** One fixed mapping per side on the unseen rows, or undefined when it varies. */
function fixed(g: Group, ctx: SkewContext, side: Float64Array[], rows: number[]): string | undefined {
  const seen = new Set(rows.map((i) => mapping(g, ctx, side, i)));
  return seen.size === 1 ? describe(g, ctx, [...seen][0]!) : undefined;
}

/** Diagnoses OOV handling for the skewed columns; returns them and the columns explained. */
export function diagnoseOov(ctx: SkewContext, skewed: readonly number[]): { diagnoses: Diagnosis[]; explained: Set<number> } {
  const diagnoses: Diagnosis[] = [];
  const explained = new Set<number>();
  const skewedSet = new Set(skewed);
  for (const g of groupsOf(ctx, skewed)) {
    const known = new Set(g.vocabulary);
    const unseen: number[] = [];
    const values = new Set<string>();
    ctx.rawRows.forEach((r, i) => {
      const v = rawValue(r[g.source]);
      if (v === null || !known.has(String(v))) {
        unseen.push(i);
        values.add(v === null ? '(missing)' : `'${String(v)}'`);
      }
    });
    const bad = [...new Set(g.cols.filter((c) => skewedSet.has(c)).flatMap((c) => mismatchRows(ctx.ref[c]!, ctx.cand[c]!, ctx.tol)))];
    const isUnseen = new Set(unseen);
    const onUnseen = bad.filter((i) => isUnseen.has(i));
    if (bad.length === 0 || onUnseen.length < ON_UNSEEN * bad.length) continue;
    const refMap = fixed(g, ctx, ctx.ref, onUnseen),
      candMap = fixed(g, ctx, ctx.cand, onUnseen);
    const vals = [...values];
    const fix = refMap === 'all zeros' ? ` (oov: 'ignore')` : refMap?.includes('<oov>') ? ` (oov: 'extra')` : '';
    diagnoses.push({
      kind: 'oov-handling',
      features: g.cols.filter((c) => skewedSet.has(c)).map((c) => ctx.reference.featureNames[c]!),
      message: `unseen categories of '${g.source}' handled differently: ${onUnseen.length} of ${bad.length} mismatching rows hold a value outside the training vocabulary [${g.vocabulary.join(', ')}] (${vals.slice(0, 4).join(', ')}${vals.length > 4 ? ', …' : ''}; ${unseen.length} such rows in all); on them ${ctx.refLabel} gives ${refMap ?? 'varying encodings'} but ${ctx.candLabel} gives ${candMap ?? 'varying encodings'} — encode unseen values at ${ctx.candLabel} the way ${ctx.refLabel} does${fix}`,
      evidence: {
        source: g.source,
        vocabulary: g.vocabulary,
        unseenValues: vals.slice(0, 10),
        unseenRows: unseen.length,
        mismatchRows: bad.length,
        onUnseenRows: onUnseen.length,
        referenceMapsTo: refMap,
        candidateMapsTo: candMap,
      },
    });
    for (const c of g.cols) if (skewedSet.has(c)) explained.add(c);
  }
  return { diagnoses, explained };
}
