/**
 * The op coverage matrix of a run: per model, op type × backend → `ran` (every node of that op
 * stayed on the requested EP), `fallback` (ORT placed at least one on another EP, see
 * `facts.fallbackNodes`) or `unsupported` (the backend refused the model naming that op), each
 * marked observed or assumed by {@link opCoverageEvidence}. Pure:
 * computed from the run's records and each model's op histogram (src/kernel/onnx/inspect.ts), per
 * variant, since compressed variants add ops (DequantizeLinear...). Only ONNX runtimes
 * (`facts.library` onnxruntime-*) are shown: a TF.js twin does not run the ONNX ops.
 */
import type { RunRecord } from '../core/record.ts';

const OP_COVERAGE_CELLS = ['ran', 'fallback', 'unsupported'] as const;
export type OpCoverageCell = (typeof OP_COVERAGE_CELLS)[number];

/** `opCoverage[model][op][backend]`. */
export type OpCoverage = Record<string, Record<string, Record<string, OpCoverageCell>>>;

/** Op histograms per model and variant: `histograms[model][variant][op] = node count`. */
export type OpHistograms = Record<string, Partial<Record<string, Record<string, number>>>>;

const RANK: Record<OpCoverageCell, number> = { ran: 0, fallback: 1, unsupported: 2 };

function fallbackOps(facts: Record<string, unknown>): Set<string> {
  const nodes = facts.fallbackNodes;
  if (!Array.isArray(nodes)) return new Set();
  return new Set(nodes.map((n) => (n as { op?: unknown }).op).filter((op): op is string => typeof op === 'string'));
}

/** Ops a refusal names: `'DequantizeLinear'`, `operator DequantizeLinear`, `op: Foo`. */
function namedOps(reason: string, ops: readonly string[]): string[] {
  return ops.filter((op) => new RegExp(`(['"\`]${op}['"\`]|operator ${op}\\b|op(type)?:? ${op}\\b)`, 'i').test(reason));
}

/** The matrix for every model that has a histogram. Worst cell wins across variants. */
export function opCoverage(records: readonly RunRecord[], histograms: OpHistograms): OpCoverage {
  const out: OpCoverage = {};
  const mark = (model: string, op: string, backend: string, cell: OpCoverageCell) => {
    const row = ((out[model] ??= {})[op] ??= {});
    const prev = row[backend];
    if (prev === undefined || RANK[cell] > RANK[prev]) row[backend] = cell;
  };
  for (const r of records) {
    const { model, variant, backend } = r.target;
    const hist = histograms[model]?.[variant];
    if (!hist || !String(r.facts.library ?? '').startsWith('onnxruntime')) continue;
    const ops = Object.keys(hist);
    if (r.status === 'ok') {
      const fell = fallbackOps(r.facts);
      for (const op of ops) mark(model, op, backend, fell.has(op) ? 'fallback' : 'ran');
      // Ops the runtime made while optimizing (fused or inserted nodes) that fell back.
      for (const op of fell) if (!hist[op]) mark(model, op, backend, 'fallback');
    } else if (r.status === 'skipped' && r.errorCode === 'MODEL_UNSUPPORTED' && r.reason) {
      for (const op of namedOps(r.reason, ops)) mark(model, op, backend, 'unsupported');
    }
  }
  return out;
}

/**
 * How each `ran`/`fallback` cell is known: `observed` — ORT's placement log was read
 * (`facts.placementSource: 'log'`), or the session had a single EP so no node could go elsewhere
 * (`'single-ep'`: onnxruntime-node cpu, onnxruntime-web wasm); `assumed` — the run succeeded but
 * where its nodes ran was not observed (`'unavailable'`, or a record without placement facts).
 * `unsupported` cells are observed (the backend refused the model naming the op).
 */
export type OpCoverageEvidence = Record<string, Record<string, Record<string, 'observed' | 'assumed'>>>;

/** The evidence behind every cell of {@link opCoverage} (same keys). */
export function opCoverageEvidence(records: readonly RunRecord[], histograms: OpHistograms): OpCoverageEvidence {
  const cells = opCoverage(records, histograms);
  const out: OpCoverageEvidence = {};
  for (const [model, ops] of Object.entries(cells))
    for (const [op, backends] of Object.entries(ops))
      for (const [backend, cell] of Object.entries(backends)) {
        const seen =
          cell === 'unsupported' ||
          records.some(
            (r) =>
              r.target.model === model &&
              r.target.backend === backend &&
              r.status === 'ok' &&
              (r.facts.placementSource === 'log' || r.facts.placementSource === 'single-ep'),
          );
        ((out[model] ??= {})[op] ??= {})[backend] = seen ? 'observed' : 'assumed';
      }
  return out;
}

/** Backends that appear anywhere in the matrix of one model, sorted. */
export function coverageBackends(model: Record<string, Record<string, OpCoverageCell>>): string[] {
  return [...new Set(Object.values(model).flatMap((row) => Object.keys(row)))].sort();
}
