/**
 * Culprit ranking, put together: the SQNR drop of every row (`culprits.ts`), isolation of the
 * candidates beyond the precision's noise (`isolate.ts`: created or inherited?), and the variant
 * facts behind each confirmed culprit (`causes.ts`). Confirmed culprits come first (`created`,
 * then `mixed`), then candidates whose isolation failed, each group by SQNR drop. Pure: works with
 * any Backend.
 */
import type { ModelProto } from 'onnx-buf';
import { concatFloat, toFloatArray } from '../../kernel/judge/float-data.ts';
import { encodeModel } from '../../kernel/onnx/io.ts';
import { convertFeeds } from './convert.ts';
import { constantCauses, qdqCauses } from './causes.ts';
import { candidates, nodesByLabel, sqnrDrops, type DropInput } from './culprits.ts';
import { isolateRow, type IsolateContext } from './isolate.ts';
import type { SideRun } from './run-side.ts';
import { MAX_CULPRIT_ISOLATIONS, type Culprit, type CulpritCause, type Isolation, type LocalizeReport, type NodeRow, type ReproMaterial } from './types.ts';

export interface RankInput extends Omit<DropInput, 'isFloat'> {
  target: ModelProto;
  referenceRun: SideRun;
  /** Isolation context without the row (target side, runs, feeds, policy). */
  isolate: Omit<IsolateContext, 'row' | 'onBuilt'>;
  /** Isolations already run (first divergent / non-finite): reused, not re-run. */
  done: Isolation[];
  maxIsolations?: number;
  log: (line: string) => void;
}

export interface RankResult {
  culprits: Culprit[];
  rejected: LocalizeReport['rejected'];
  /** Every isolation run here, new ones appended to `done`'s. */
  isolations: Isolation[];
  /** The top culprit's one-node model and data, when it was isolated here. */
  repro?: Omit<ReproMaterial, 'backend' | 'graphOptimizationLevel' | 'precision'>;
}

const ORDER: Record<Isolation['verdict'], number> = { created: 0, mixed: 1, failed: 2, inherited: 3 };

/** The cause of a culprit that matters most: clamped, then flushed, then a QDQ fact. */
function causeOf(row: NodeRow, input: RankInput): CulpritCause | undefined {
  const node = nodesByLabel(input.reference).get(row.node);
  const facts: CulpritCause[] = node ? constantCauses(node, input.reference, input.target) : [];
  if (row.targetTensor) {
    facts.push(
      ...qdqCauses(input.target, row.targetTensor, (name) => {
        const samples = input.referenceRun.runs.map((r) => r[name]);
        return samples.every(Boolean) ? concatFloat(samples.map((t) => toFloatArray(t!))) : undefined;
      }),
    );
  }
  const rank = { clamped: 0, flushed: 1, 'qdq-zero-point': 2, 'qdq-scale': 3 } as const;
  return facts.sort((a, b) => rank[a.kind] - rank[b.kind])[0];
}

/** Ranks the culprits of a finished table; isolates at most `maxIsolations` new candidates. */
export async function rankCulprits(input: RankInput): Promise<RankResult> {
  const drops = sqnrDrops({ ...input, isFloat: (name) => input.referenceRun.dtypes.get(name)?.startsWith('float') ?? false });
  for (const d of drops) input.rows[d.row]!.sqnrDropDb = d.sqnrDropDb;
  const isolations = [...input.done];
  const materials = new Map<number, RankResult['repro']>();
  const culprits: Culprit[] = [];
  const rejected: RankResult['rejected'] = [];
  const budget = input.maxIsolations ?? MAX_CULPRIT_ISOLATIONS;
  for (const [k, c] of candidates(drops).entries()) {
    if (k >= budget) break;
    const row = input.rows[c.row]!;
    let iso = isolations.find((i) => i.row === row.index);
    if (!iso || !materials.has(row.index)) {
      input.log(`isolating candidate ${row.node} (${row.op}): SQNR ${c.inputSqnrDb.toFixed(1)} → ${c.outputSqnrDb.toFixed(1)} dB`);
      const fresh = await isolateRow({
        ...input.isolate,
        row,
        onBuilt: (g, feeds) =>
          materials.set(row.index, {
            node: row.node,
            op: row.op,
            output: row.targetTensor!,
            model: encodeModel(g.model),
            inputs: feeds.map((f) => convertFeeds(f, input.isolate.targetRun.dtypes)),
            expected: input.referenceRun.runs.map((r) => r[row.output]!),
            inGraph: row.error!,
          }),
      });
      if (!iso) isolations.push(fresh);
      iso = iso ?? fresh;
      const m = materials.get(row.index);
      if (m && fresh.isolated) m.isolated = fresh.isolated;
    }
    if (iso.verdict === 'inherited') {
      rejected.push({ row: row.index, node: row.node, sqnrDropDb: c.sqnrDropDb });
      continue;
    }
    const cause = causeOf(row, input);
    culprits.push({
      row: row.index,
      node: row.node,
      op: row.op,
      output: row.output,
      inputSqnrDb: c.inputSqnrDb,
      outputSqnrDb: c.outputSqnrDb,
      sqnrDropDb: c.sqnrDropDb,
      isolation: iso.verdict,
      ...(iso.isolated ? { isolatedSqnrDb: iso.isolated.sqnrDb } : {}),
      ...(cause ? { cause } : {}),
    });
  }
  culprits.sort((a, b) => ORDER[a.isolation] - ORDER[b.isolation] || b.sqnrDropDb - a.sqnrDropDb || a.row - b.row);
  const top = culprits[0];
  const repro = top ? materials.get(top.row) : undefined;
  return { culprits, rejected, isolations, ...(repro ? { repro } : {}) };
}
