/**
 * Recognises columns that moved: a candidate column equal to a *different* reference column.
 * Inside one one-hot vocabulary that is a category-order shift; elsewhere a swap or a shift.
 * Pure: no Node imports.
 */
import { mismatchRows } from './compare.ts';
import { isConstant, label, type SkewContext } from './context.ts';
import type { Diagnosis } from './types.ts';

/** Share of rows that must agree for two columns to count as the same. */
const AGREE = 0.99;

/** candidate column j → the reference column k (≠ j) it reproduces, for each skewed j. */
export function matchColumns(ctx: SkewContext, skewed: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const n = ctx.reference.rows;
  for (const j of skewed) {
    const c = ctx.cand[j]!;
    if (n === 0 || isConstant(c)) continue;
    let best = -1,
      bestAgree = AGREE;
    ctx.ref.forEach((r, k) => {
      if (k === j || isConstant(r)) return;
      const agree = 1 - mismatchRows(r, c, ctx.tol).length / n;
      if (agree >= bestAgree) {
        best = k;
        bestAgree = agree;
      }
    });
    if (best >= 0) out.set(j, best);
  }
  return out;
}

/** Turns matches into diagnoses; returns them and the candidate columns they explain. */
export function diagnoseMatches(ctx: SkewContext, matches: Map<number, number>): { diagnoses: Diagnosis[]; explained: Set<number> } {
  const diagnoses: Diagnosis[] = [];
  const explained = new Set<number>();
  const { refLabel, candLabel } = ctx;
  const names = ctx.reference.featureNames;

  // One-hot permutations, per vocabulary group.
  const groups = new Map<string, [number, number][]>();
  for (const [j, k] of matches) {
    const g = ctx.infos[j]?.group;
    if (g !== undefined && g === ctx.infos[k]?.group) groups.set(g, [...(groups.get(g) ?? []), [j, k]]);
  }
  for (const [group, pairs] of groups) {
    const cols = ctx.infos.map((info, i) => (info.group === group ? i : -1)).filter((i) => i >= 0);
    const held = new Map(pairs);
    const refOrder = cols.map((i) => ctx.infos[i]!.category ?? names[i]!);
    const candOrder = cols.map((i) => ctx.infos[held.get(i) ?? i]!.category ?? names[i]!);
    const source = ctx.infos[cols[0]!]!.source ?? group;
    const moves = pairs.map(([j, k]) => `'${names[j]}' holds '${ctx.infos[k]!.category}'`).join(', ');
    diagnoses.push({
      kind: 'category-order',
      features: pairs.map(([j]) => names[j]!),
      message: `category order shifted for '${source}': ${candLabel} one-hot ${moves}; the ${candLabel} vocabulary order is [${candOrder.join(', ')}] but ${refLabel} uses [${refOrder.join(', ')}] — encode with the training vocabulary (fitted step ${group.split(':')[0]})`,
      evidence: {
        source,
        referenceOrder: refOrder,
        candidateOrder: candOrder,
        permutation: pairs.map(([j, k]) => ({ candidateColumn: j, referenceColumn: k })),
      },
    });
    for (const [j] of pairs) explained.add(j);
  }

  // Swaps and shifts between unrelated columns.
  for (const [j, k] of matches) {
    if (explained.has(j)) continue;
    if (matches.get(k) === j) {
      if (j > k) continue;
      diagnoses.push({
        kind: 'columns-swapped',
        features: [names[j]!, names[k]!],
        message: `columns swapped: ${candLabel} ${label(ctx, j, 'cand')} matches ${refLabel} ${label(ctx, k)} and ${candLabel} ${label(ctx, k, 'cand')} matches ${refLabel} ${label(ctx, j)} — fix the feature order in the ${candLabel} assembly`,
        evidence: {
          pairs: [
            { candidateColumn: j, referenceColumn: k },
            { candidateColumn: k, referenceColumn: j },
          ],
        },
      });
      explained.add(j).add(k);
    } else {
      diagnoses.push({
        kind: 'column-shifted',
        features: [names[j]!],
        message: `${candLabel} ${label(ctx, j, 'cand')} matches ${refLabel} ${label(ctx, k)} — a feature is in the wrong position (shifted or duplicated)`,
        evidence: { candidateColumn: j, referenceColumn: k },
      });
      explained.add(j);
    }
  }
  return { diagnoses, explained };
}
