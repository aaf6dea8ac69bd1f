/**
 * The op coverage table of report.html: per model, one row per op type and one column per ONNX
 * backend, each cell `ran`, `fallback` (some nodes ORT placed on another EP) or `unsupported`.
 * Pure: no Node imports.
 */
import { coverageBackends, type OpCoverage, type OpCoverageEvidence } from '../judge/op-coverage.ts';
import { escapeHtml as h } from './escape.ts';

const CLASS = { ran: 'st-pass', fallback: 'st-error', unsupported: 'st-fail' } as const;

/** The tables (one per model), or `''` when there is nothing to show. */
export function opCoverageTable(coverage: OpCoverage | undefined, evidence?: OpCoverageEvidence): string {
  if (!coverage) return '';
  return Object.entries(coverage)
    .filter(([, ops]) => Object.keys(ops).length > 0)
    .map(([model, ops]) => {
      const backends = coverageBackends(ops);
      const head = `<tr><th>op</th>${backends.map((b) => `<th><code>${h(b)}</code></th>`).join('')}</tr>`;
      const rows = Object.keys(ops)
        .sort()
        .map(
          (op) =>
            `<tr><td><code>${h(op)}</code></td>${backends
              .map((b) => {
                const cell = ops[op]![b];
                const how = evidence?.[model]?.[op]?.[b];
                return cell
                  ? `<td class="st ${CLASS[cell]}">${h(cell)}${how === 'assumed' ? ' <span class="why">(assumed)</span>' : ''}</td>`
                  : '<td class="why">—</td>';
              })
              .join('')}</tr>`,
        );
      return `<h3>${h(model)}</h3><table>${head}${rows.join('')}</table>`;
    })
    .join('')
    .concat(
      evidence
        ? '<p class="why">Cells are observed (ORT placement log read, or a single-EP session: onnxruntime-node cpu, onnxruntime-web wasm) unless marked (assumed): the run succeeded but where its nodes ran was not observed.</p>'
        : '',
    );
}
