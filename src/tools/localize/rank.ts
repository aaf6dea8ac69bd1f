/**
 * Culprit ranking, put together. 1) Rank by the noise each node adds, in linear terms
 * (`culprits.ts` addedNsr; the QDQ of a tensor counts as a candidate of its own). 2) Prove by
 * recovery (`recovery.ts`): for the top candidates, the share of the final error that disappears
 * when the node runs as the reference runs it; the culprit is what recovers the most, if it
 * recovers at least {@link CULPRIT_SHARE}. A node that creates NaN/Inf but cannot recover alone
 * (its float16 output overflows again) is tried with a growing segment after it. 3) Otherwise the
 * error accumulates: `accumulate.ts` finds the smallest set that restores the gate. 4) Causes by
 * evidence (`weigh.ts`), isolation of the named culprit (backend-kernel evidence, `--repro`).
 * Nothing is named when the final outputs pass. Pure: works with any Backend.
 */
import type { ModelProto } from 'onnx-buf';
import { encodeModel } from '../../kernel/onnx/io.ts';
import { accumulate, recordOf } from './accumulate.ts';
import { constantsEffect } from './constants-effect.ts';
import { calibrationFinding, type QdqFact } from './calibration.ts';
import { convertFeeds } from './convert.ts';
import { nodesByLabel, nsrOf, sqnrDrops, type DropInput } from './culprits.ts';
import { isolateRow, type IsolateContext } from './isolate.ts';
import { sortedNodes } from './pairing.ts';
import { recover, type Recovery, type RecoveryContext } from './recovery.ts';
import type { SideRun } from './run-side.ts';
import { unchangedLabels, weighNode, weighQdq, type WeighInput } from './weigh.ts';
import { nodeLabel } from '../../kernel/onnx/graph-utils.ts';
import {
  MAX_CULPRIT_ISOLATIONS,
  type AccumulationFix,
  type Culprit,
  type Isolation,
  type LocalizeReport,
  type RecoveryRecord,
  type ReproMaterial,
} from './types.ts';

/** A fix that removes at least this share of the final error names a culprit. */
const CULPRIT_SHARE = 0.5;

export interface RankInput extends Omit<DropInput, 'isFloat'> {
  target: ModelProto;
  referenceRun: SideRun;
  /** Isolation context without the row (target side, runs, feeds, policy). */
  isolate: Omit<IsolateContext, 'row' | 'onBuilt'>;
  /** Isolations already run (first divergent / non-finite): reused, not re-run. */
  done: Isolation[];
  recovery: RecoveryContext;
  weigh: WeighInput;
  inputQdq: NonNullable<LocalizeReport['inputQdq']>;
  /** Search the smallest set restoring the gate when no single fix does. Default true. */
  accumulate?: boolean;
  /** Candidates proven by recovery. Default {@link MAX_CULPRIT_ISOLATIONS}. */
  maxIsolations?: number;
  log: (line: string) => void;
}

export interface RankResult {
  culprits: Culprit[];
  rejected: LocalizeReport['rejected'];
  isolations: Isolation[];
  recoveries: RecoveryRecord[];
  accumulation?: AccumulationFix;
  repro?: Omit<ReproMaterial, 'backend' | 'graphOptimizationLevel' | 'precision'>;
}

interface Candidate {
  kind: 'node' | 'qdq';
  row: number;
  label: string;
  addedNsr: number;
  /** qdq: DequantizeLinear output and the tensor it quantizes (target name). */
  dq?: string;
  source?: string;
  reference?: string;
}

/** The calibration finding (`calibration.ts`) as a culprit, when it recovers enough. */
async function calibrationCulprit(input: RankInput, result: RankResult): Promise<Culprit | undefined> {
  const facts: QdqFact[] = [];
  const add = (dq: string, source: string, reference: string, isInput: boolean, quantizeNode: string, observed: number) => {
    const cause = weighQdq(input.weigh, reference, dq, observed);
    if (cause) facts.push({ dq, source, reference, isInput, quantizeNode, cause });
  };
  for (const q of input.inputQdq) add(q.tensor, q.input, q.input, true, q.quantizeNode, q.addedNsr);
  if (!facts.length) return undefined;
  for (const r of input.rows)
    if (r.qdq?.error && r.targetTensor) add(r.qdq.tensor, r.targetTensor, r.output, false, r.qdq.quantizeNode, nsrOf(r.qdq.error.sqnrDb));
  const found = await calibrationFinding(input.recovery, facts, input.weigh.calibration);
  if (!found) return undefined;
  result.recoveries.push(recordOf(found.recovery));
  if (!(found.recovery.share >= CULPRIT_SHARE)) return undefined;
  const q = input.inputQdq.find((x) => x.input === found.input.reference)!;
  return {
    row: -1,
    kind: 'qdq',
    node: found.input.quantizeNode,
    op: 'QuantizeLinear',
    output: found.input.dq,
    inputSqnrDb: Infinity,
    outputSqnrDb: q.error.sqnrDb,
    sqnrDropDb: NaN,
    isolation: 'created',
    addedNsr: q.addedNsr,
    recoveredShare: found.recovery.share,
    passesWhenFixed: found.recovery.error.passes,
    recovery: found.recovery.label,
    cause: found.cause,
  };
}

/** Ranks and proves culprits; names none when the final outputs pass. */
export async function rankCulprits(input: RankInput): Promise<RankResult> {
  // Numeric tensors count (an integer Cast's output carries error like a float's); bool does not.
  const numeric = (name: string) => ((t) => t !== undefined && t !== 'bool')(input.referenceRun.dtypes.get(name));
  const drops = sqnrDrops({ ...input, isFloat: numeric });
  for (const d of drops) Object.assign(input.rows[d.row]!, { sqnrDropDb: d.sqnrDropDb, addedNsr: d.addedNsr });
  const result: RankResult = { culprits: [], rejected: [], isolations: [...input.done], recoveries: [] };
  if (input.recovery.baseline.passes) return result;
  const unchanged = unchangedLabels(input.reference, input.target);
  input.recovery.unchanged = (l) => unchanged.has(l);
  // On the reference's own backend a node the target holds unchanged, at the same precision,
  // only passes error on (amplifies it): candidates are the nodes the target changed.
  const sameBackend = input.recovery.reference.backend.id === input.recovery.target.backend.id;
  const candidate = (row: number) => {
    const r = input.rows[row]!;
    return !sameBackend || !unchanged.has(r.node) || (r.targetDtype !== undefined && r.targetDtype !== input.referenceRun.dtypes.get(r.output));
  };
  const cands: Candidate[] = drops
    .filter((d) => d.addedNsr > 0 && candidate(d.row))
    .map((d) => ({ kind: 'node', row: d.row, label: input.rows[d.row]!.node, addedNsr: d.addedNsr }));
  for (const r of input.rows) {
    if (!r.qdq?.error || !r.error || !r.targetTensor) continue;
    const added = Math.max(0, nsrOf(r.qdq.error.sqnrDb) - nsrOf(r.error.sqnrDb));
    if (added > 0)
      cands.push({ kind: 'qdq', row: r.index, label: `QDQ of '${r.output}'`, addedNsr: added, dq: r.qdq.tensor, source: r.targetTensor, reference: r.output });
  }
  for (const q of input.inputQdq)
    if (q.addedNsr > 0)
      cands.push({ kind: 'qdq', row: -1, label: `QDQ of input '${q.input}'`, addedNsr: q.addedNsr, dq: q.tensor, source: q.input, reference: q.input });
  cands.sort((a, b) => b.addedNsr - a.addedNsr || a.row - b.row);
  // Most added noise first; a share of the budget goes to the largest dB drops, so a node that
  // takes a clean signal far down is tried even when amplifiers downstream add more in linear
  // terms. Recovery, not either ranking, decides.
  const budget = input.maxIsolations ?? MAX_CULPRIT_ISOLATIONS;
  const dropOf = (c: Candidate) => (c.kind === 'node' ? (drops.find((d) => d.row === c.row)?.sqnrDropDb ?? -Infinity) : -Infinity);
  const byDrop = [...cands].sort((a, b) => dropOf(b) - dropOf(a) || a.row - b.row);
  const top = [...new Set([...cands.slice(0, Math.ceil(budget / 2)), ...byDrop.slice(0, Math.floor(budget / 2)), ...cands])].slice(0, budget);
  const proven = new Map<Candidate, Recovery>();
  for (const c of top) {
    input.log(`recovery: ${c.label} (adds noise ${c.addedNsr.toPrecision(2)} of its signal)`);
    const r = await recover(
      input.recovery,
      c.kind === 'qdq' ? { kind: 'qdq', cuts: [{ tensor: c.dq!, source: c.source! }] } : { kind: 'nodes', nodes: [c.label] },
      c.label,
    );
    result.recoveries.push(recordOf(r));
    proven.set(c, r);
  }
  const order = sortedNodes(input.reference)
    .filter((n) => n.opType !== 'Constant')
    .map(nodeLabel);
  // A node that creates NaN/Inf may overflow again at its own output: fix a growing segment after it.
  for (const c of top) {
    if (c.kind !== 'node' || c.addedNsr !== Infinity || proven.get(c)!.share >= CULPRIT_SHARE) continue;
    const at = order.indexOf(c.label);
    for (let len = 2; at >= 0 && len <= 2 * order.length; len *= 2) {
      const nodes = order.slice(at, at + len);
      const r = await recover(input.recovery, { kind: 'nodes', nodes }, `'${c.label}' and the ${nodes.length - 1} node(s) after it`);
      result.recoveries.push(recordOf(r));
      if (r.share >= CULPRIT_SHARE || at + len >= order.length) {
        proven.set(c, r);
        break;
      }
    }
  }
  const calibration = await calibrationCulprit(input, result);
  const named = top.filter((c) => (proven.get(c)!.share ?? 0) >= CULPRIT_SHARE).sort((a, b) => proven.get(b)!.share - proven.get(a)!.share || a.row - b.row);
  const refNodes = nodesByLabel(input.reference);
  for (const [k, c] of named.entries()) {
    const r = proven.get(c)!;
    const base = { addedNsr: c.addedNsr, recoveredShare: r.share, passesWhenFixed: r.error.passes, recovery: r.label };
    if (c.kind === 'qdq') {
      const row = c.row >= 0 ? input.rows[c.row] : undefined;
      const cause = weighQdq(input.weigh, c.reference!, c.dq!, c.addedNsr);
      result.culprits.push({
        row: c.row,
        kind: 'qdq',
        node: row?.qdq?.quantizeNode ?? input.inputQdq.find((q) => q.input === c.reference)?.quantizeNode ?? c.label,
        op: 'QuantizeLinear',
        output: c.dq!,
        inputSqnrDb: Infinity,
        outputSqnrDb: -10 * Math.log10(c.addedNsr),
        sqnrDropDb: NaN,
        isolation: 'created',
        ...base,
        ...(cause?.explains ? { cause } : { otherFacts: cause ? [cause] : [] }),
      });
      continue;
    }
    const row = input.rows[c.row]!;
    const d = drops.find((x) => x.row === c.row)!;
    let iso = result.isolations.find((i) => i.row === row.index);
    let material: RankResult['repro'];
    if (k === 0 || !iso) {
      input.log(`isolating culprit ${row.node} (${row.op})`);
      const fresh = await isolateRow({
        ...input.isolate,
        row,
        onBuilt: (g, feeds) =>
          (material = {
            node: row.node,
            op: row.op,
            output: row.targetTensor!,
            model: encodeModel(g.model),
            inputs: feeds.map((f) => convertFeeds(f, input.isolate.targetRun.dtypes)),
            expected: input.referenceRun.runs.map((x) => x[row.output]!),
            inGraph: row.error!,
          }),
      });
      if (!iso) result.isolations.push(fresh);
      iso = fresh;
      if (material && fresh.isolated) material.isolated = fresh.isolated;
      if (k === 0 && material) result.repro = material;
    }
    const node = refNodes.get(row.node);
    const measured = unchanged.has(row.node)
      ? undefined
      : await constantsEffect({
          reference: input.reference,
          target: input.target,
          backend: input.recovery.reference.backend,
          referenceRun: input.referenceRun,
          feeds: input.isolate.feeds,
          node: row.node,
        });
    const weighed = weighNode(input.weigh, row, node, c.addedNsr, iso, unchanged.has(row.node), measured);
    result.culprits.push({
      row: row.index,
      kind: 'node',
      node: row.node,
      op: row.op,
      output: row.output,
      inputSqnrDb: d.inputSqnrDb,
      outputSqnrDb: d.outputSqnrDb,
      sqnrDropDb: d.sqnrDropDb,
      isolation: iso.verdict,
      ...(iso.isolated ? { isolatedSqnrDb: iso.isolated.sqnrDb } : {}),
      ...base,
      ...weighed,
    });
  }
  if (calibration && calibration.recoveredShare! >= (result.culprits[0]?.recoveredShare ?? 0)) result.culprits.unshift(calibration);
  else if (calibration) result.culprits.push(calibration);
  for (const c of top)
    if (!named.includes(c) && c.kind === 'node')
      result.rejected.push({ row: c.row, node: c.label, sqnrDropDb: drops.find((x) => x.row === c.row)!.sqnrDropDb });
  // No culprit, or none whose fix alone restores the gate: find the smallest set that does.
  if ((input.accumulate ?? true) && !result.culprits.some((c) => c.passesWhenFixed)) {
    const rewritten = order.filter((l) => !unchanged.has(l));
    // The same model on another backend: every node is a candidate (run on the reference backend).
    const changed = new Set(rewritten.length ? rewritten : order);
    const acc = await accumulate({
      ctx: input.recovery,
      order,
      changed,
      addedNsr: new Map(drops.map((d) => [input.rows[d.row]!.node, d.addedNsr])),
      log: input.log,
    });
    result.recoveries.push(...acc.trials);
    if (acc.fix) result.accumulation = acc.fix;
  }
  return result;
}
