/**
 * Culprit ranking, step one: the SQNR each node *creates*. Per reference node in topological
 * order, the SQNR of its output against the reference minus the SQNR of its activation inputs
 * (constants left out: a node that reads a damaged constant creates the damage; graph inputs are
 * fed identically, +∞). A node is a candidate when that drop exceeds the precision's expected
 * noise (`EXPECTED_NOISE`, src/kernel/judge/precision-noise.ts); isolation then confirms or rejects it
 * (`localize.ts`). Ranking by created error, not by the first elementwise miss, is what keeps
 * fp16 rounding at the first Conv from hiding the BatchNormalization 300 nodes later. Pure.
 */
import type { ModelProto, NodeProto } from 'onnx-buf';
import { EXPECTED_NOISE } from '../../kernel/judge/precision-noise.ts';
import type { Precision } from '../../kernel/core/record.ts';
import { nodeLabel } from '../../kernel/onnx/graph-utils.ts';
import { sortedNodes } from './pairing.ts';
import type { Tolerance } from '../../kernel/judge/types.ts';
import type { NodeRow } from './types.ts';

/** One row's SQNR bookkeeping. */
export interface RowDrop {
  row: number;
  inputSqnrDb: number;
  outputSqnrDb: number;
  sqnrDropDb: number;
  /**
   * Noise power the node adds, as a share of its output's signal power: 10^(−out/10) − 10^(−in/10)
   * (0 when it removes noise; Infinity when NaN/Inf appear). Linear, so a node taking ∞ → 58 dB adds
   * 1.7e-6 and one taking 40 → 1.4 dB adds 0.72 — the dB drop ranks them the other way round.
   */
  addedNsr: number;
  /** The drop exceeds the precision's expected noise. */
  beyondNoise: boolean;
}

/**
 * The highest input SQNR a drop is measured from: `minSqnrDb + maxNodeSqnrDropDb`. Above it the
 * input is as clean as the precision gets, so only an output below `minSqnrDb` can count as a
 * drop beyond noise (the first fp16 Conv at 70 dB does not; a BatchNormalization at −20 dB does).
 */
export function dropCeiling(precision: Precision): number {
  const noise = EXPECTED_NOISE[precision];
  return noise.minSqnrDb + noise.maxNodeSqnrDropDb;
}

/** The SQNR of a row's output, or undefined when it cannot be measured. */
function rowSqnr(r: NodeRow, atol: number, isFloat: (name: string) => boolean): number | undefined {
  const e = r.error;
  if (!e || e.reason || !isFloat(r.output)) return undefined;
  if (e.newNonFinite > 0) return -Infinity;
  // A reference at or below the absolute floor compares noise with noise (the comparator's rule).
  if (e.referenceRms !== undefined && !(e.referenceRms > atol)) return undefined;
  return Number.isNaN(e.sqnrDb) ? undefined : e.sqnrDb;
}

/** Values of the reference computed from constants only (initializers, Constant nodes and what they feed). */
export function constantValues(model: ModelProto): Set<string> {
  const g = model.graph!;
  const inputs = new Set(g.input.map((v) => v.name));
  const out = new Set(g.initializer.map((t) => t.name).filter((n) => !inputs.has(n)));
  for (const n of sortedNodes(model)) {
    const reads = n.input.filter(Boolean);
    const hasGraphs = n.attribute.some((a) => a.g || a.graphs.length);
    if (n.opType === 'Constant' || (!hasGraphs && reads.length > 0 && reads.every((x) => out.has(x)))) for (const o of n.output) if (o) out.add(o);
  }
  return out;
}

export interface DropInput {
  reference: ModelProto;
  rows: readonly NodeRow[];
  precision: Precision;
  tolerance: Tolerance;
  /** True when the reference tensor is float. */
  isFloat: (name: string) => boolean;
}

/**
 * The SQNR drop of every measurable row. A tensor that was not compared (fused away, unpaired)
 * passes its producer's input SQNR on, so the drop is measured across it.
 */
export function sqnrDrops(d: DropInput): RowDrop[] {
  const noise = EXPECTED_NOISE[d.precision];
  const ceiling = dropCeiling(d.precision);
  const byOutput = new Map(d.rows.map((r) => [r.output, r]));
  const graphInputs = new Set(d.reference.graph!.input.map((v) => v.name));
  const constants = constantValues(d.reference);
  const sqnr = new Map<string, number>();
  const drops: RowDrop[] = [];
  for (const node of sortedNodes(d.reference)) {
    if (node.opType === 'Constant') continue;
    let input = Infinity;
    for (const x of node.input) {
      if (!x || constants.has(x) || graphInputs.has(x)) continue;
      const s = sqnr.get(x);
      if (s !== undefined) input = Math.min(input, s);
    }
    for (const o of node.output) {
      if (!o) continue;
      const r = byOutput.get(o);
      const out = r ? rowSqnr(r, d.tolerance.atol, d.isFloat) : undefined;
      if (out === undefined) {
        if (d.isFloat(o)) sqnr.set(o, input);
        continue;
      }
      sqnr.set(o, out);
      const drop = Math.min(input, ceiling) - out;
      const beyondNoise = Number.isFinite(noise.maxNodeSqnrDropDb) && drop > noise.maxNodeSqnrDropDb;
      drops.push({ row: r!.index, inputSqnrDb: input, outputSqnrDb: out, sqnrDropDb: drop, addedNsr: addedNsr(input, out), beyondNoise });
    }
  }
  return drops;
}

/** Noise-to-signal power of an SQNR in dB (∞ dB → 0, −∞ dB → ∞). */
export const nsrOf = (db: number): number => (db === Infinity ? 0 : db === -Infinity ? Infinity : 10 ** (-db / 10));

/** Noise power added between an input SQNR and an output SQNR, as a share of the output's signal (≥ 0). */
export function addedNsr(inputDb: number, outputDb: number): number {
  // NaN/Inf already on the way in: what comes out is inherited, not added.
  if (inputDb === -Infinity) return 0;
  const out = nsrOf(outputDb);
  return out === Infinity ? Infinity : Math.max(0, out - nsrOf(inputDb));
}

/** Candidates beyond noise, most damaging first (ties: earlier node first). */
export function candidates(drops: readonly RowDrop[]): RowDrop[] {
  return drops.filter((x) => x.beyondNoise).sort((a, b) => b.sqnrDropDb - a.sqnrDropDb || a.row - b.row);
}

/** Reference nodes by label (`nodeLabel`), for causes and repro. */
export function nodesByLabel(model: ModelProto): Map<string, NodeProto> {
  return new Map(sortedNodes(model).map((n) => [nodeLabel(n), n]));
}
