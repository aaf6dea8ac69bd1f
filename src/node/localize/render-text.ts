/**
 * The terminal view of a localization: the per-node table in topological order (culprits marked
 * `✖1`, `✖2`… in red, the first row out of elementwise tolerance `▶`, other flagged rows yellow), then the headline, isolation and notes. Long runs of
 * unremarkable rows collapse into one line unless `allRows` is set. Returns a string.
 */
import Table from 'cli-table3';
import { sanitizeText } from '../../kernel/render/escape.ts';
import { fmtCosine, fmtDb, fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { fitLabel } from '../../kernel/render/svg-scale.ts';
import type { LocalizeReport, NodeRow } from '../../tools/localize/types.ts';

export interface TextOptions {
  /** ANSI colors. Default false. */
  color?: boolean;
  /** Print every row instead of collapsing long runs of rows within tolerance. Default false. */
  allRows?: boolean;
}

/** Rows kept around each remarkable row when collapsing. */
const CONTEXT = 2;
/** Shortest run of unremarkable rows that collapses. */
const MIN_RUN = 4;

const FLAG_SHORT: Record<string, string> = {
  'fp16-range': 'fp16-range',
  'fp16-overflow': 'fp16-overflow',
  'nonfinite-new': 'NaN/Inf',
  'leaves-tolerance': 'OUT',
};

/** Which rows to print: remarkable ones, their neighbours, the first and last rows. */
export function visibleRows(report: LocalizeReport, allRows: boolean): boolean[] {
  const n = report.rows.length;
  const show = new Array<boolean>(n).fill(allRows);
  if (allRows) return show;
  const mark = (i: number) => {
    for (let k = Math.max(0, i - CONTEXT); k <= Math.min(n - 1, i + CONTEXT); k++) show[k] = true;
  };
  report.rows.forEach((r, i) => {
    if (r.flagged || r.flags.length || !r.error) mark(i);
  });
  for (const i of [0, n - 1, report.firstDivergent, report.firstNonFinite, ...(report.culprits ?? []).map((c) => c.row)])
    if (i !== undefined && i >= 0) mark(i);
  // Runs too short to be worth a summary line are shown whole.
  for (let i = 0; i < n;) {
    if (show[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && !show[j]) j++;
    if (j - i < MIN_RUN) for (let k = i; k < j; k++) show[k] = true;
    i = j;
  }
  return show;
}

function cells(r: NodeRow, qdq: boolean): string[] {
  const e = r.error;
  const out = [
    String(r.index),
    fitLabel(r.node, 28),
    r.op,
    fitLabel(r.output === r.node ? '' : r.output, 28),
    e ? fmtNum(e.maxAbs) : '—',
    e ? fmtCosine(e.cosine) : '—',
    e ? fmtDb(e.sqnrDb) : '—',
    r.addedNsr !== undefined ? fmtNum(r.addedNsr) : '—',
    e ? fmtPct(e.mismatchFraction) : '—',
    fmtNum(r.refMaxAbs),
  ];
  if (qdq) out.push(r.qdq?.error ? fmtNum(r.qdq.error.maxAbs) : '');
  out.push(e ? r.flags.map((f) => FLAG_SHORT[f] ?? f).join(' ') : sanitizeText(r.reason ?? 'not compared'));
  return out;
}

/** Renders the table and the verdict for a terminal. */
export function renderLocalizeText(report: LocalizeReport, options: TextOptions = {}): string {
  const paint = options.color ? (code: number, s: string) => `\u001b[${code}m${s}\u001b[0m` : (_: number, s: string) => s;
  const qdq = report.rows.some((r) => r.qdq);
  const head = ['#', 'node', 'op', 'output', 'maxAbs', 'cosine', 'SQNR', 'added', 'mismatch', 'max|ref|', ...(qdq ? ['after QDQ'] : []), 'flags'];
  const numeric = new Set([0, 4, 5, 6, 7, 8, 9, ...(qdq ? [10] : [])]);
  const table = new Table({
    head,
    colAligns: head.map((_, i) => (numeric.has(i) ? 'right' : 'left')),
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['gray'] : [], compact: true },
  });
  const show = visibleRows(report, options.allRows ?? false);
  const culprits = new Map((report.culprits ?? []).map((c, k) => [c.row, k]));
  for (let i = 0; i < report.rows.length;) {
    if (!show[i]) {
      let j = i,
        worst = 0;
      while (j < report.rows.length && !show[j]) worst = Math.max(worst, report.rows[j++]!.error?.maxAbs ?? 0);
      table.push([{ colSpan: head.length, content: paint(90, `… ${j - i} rows within tolerance (largest maxAbs ${fmtNum(worst)}) …`) }]);
      i = j;
      continue;
    }
    const r = report.rows[i]!;
    const c = cells(r, qdq);
    const culprit = culprits.get(i);
    if (culprit !== undefined) c[0] = `✖${culprit + 1} ${c[0]}`;
    else if (i === report.firstDivergent) c[0] = `▶ ${c[0]}`;
    table.push(culprit !== undefined ? c.map((s) => paint(31, s)) : r.flagged ? c.map((s) => paint(33, s)) : c);
    i++;
  }
  const t = report.target;
  const lines = [
    `reference: ${report.reference.model} on ${report.reference.backend} (optimization ${report.reference.graphOptimizationLevel})`,
    `target:    ${t.model} on ${t.backend} (optimization ${t.graphOptimizationLevel}, ${t.precision}); ${report.samples} sample(s) from ${report.feedsSource}`,
    `tolerance: atol ${fmtNum(report.tolerance.atol)}, rtol ${fmtNum(report.tolerance.rtol)} (${report.tolerance.stat ?? 'elemwise'}), max mismatch ${fmtPct(report.maxMismatchFraction)}`,
    table.toString(),
    paint(1, paint(report.flagged ? 31 : 32, report.headline)),
    ...(report.finalOutputs ?? []).map(
      (o) =>
        `  final output ${o.output} (${o.source}): SQNR ${fmtDb(o.sqnrDb)}, maxAbs ${fmtNum(o.maxAbs)} — ${o.passed ? `passes ${t.precision}` : `FAILS ${t.precision}: ${o.failures.join('; ')}`}`,
    ),
    ...report.notes.map((n) => `  - ${sanitizeText(n)}`),
    `  (added: noise power a node adds as a share of its output's signal, linear; culprits are proven by recovery${report.accumulation?.passes ? `; fix: ${report.accumulation.command}` : ''})`,
  ];
  if (report.marking) {
    const entries = Object.entries(report.marking.unmarkedVsReference);
    if (entries.length) lines.push(`  - unmarked target vs reference (max abs): ${entries.map(([k, v]) => `${k} ${fmtNum(v)}`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
