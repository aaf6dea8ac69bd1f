/**
 * The one-line verdict of a localization and the notes under it, shared by the console, JSON and
 * HTML reports. Pure: no Node imports.
 */
import { fmtDb, fmtNum, fmtPct } from '../../kernel/render/format.ts';
import type { Culprit, LocalizeReport, NodeRow } from './types.ts';

/** `'conv2' (Conv) → conv2_out`. */
export function rowLabel(r: NodeRow): string {
  return `'${r.node}' (${r.op})${r.output !== r.node ? ` → ${r.output}` : ''}`;
}

/** How far a row is off, in words: max abs, mismatch share and the tolerance. */
export function rowErrorText(r: NodeRow, report: Pick<LocalizeReport, 'tolerance'>): string {
  const e = r.error;
  if (!e) return r.reason ?? 'not compared';
  if (e.reason) return e.reason;
  const tol = `atol ${fmtNum(report.tolerance.atol)} + rtol ${fmtNum(report.tolerance.rtol)}·|ref|`;
  const nonFinite = e.newNonFinite ? `, ${e.newNonFinite} NaN/Inf where the reference is finite` : '';
  return `maxAbs ${fmtNum(e.maxAbs)}, ${fmtPct(e.mismatchFraction)} of ${e.elements} elements outside ${tol}${nonFinite}`;
}

/** How a culprit is named: a node row, or the quantization of a tensor. */
export function culpritName(c: Culprit, report: Pick<LocalizeReport, 'rows'>): string {
  if (c.kind === 'qdq') return `the quantization of '${c.output.replace(/_dequantized$|_DequantizeLinear_Output$/, '')}' (${c.op} '${c.node}')`;
  const r = report.rows[c.row];
  return r ? rowLabel(r) : `'${c.node}' (${c.op})`;
}

/** Noise added, linear and in dB: `adds noise 0.59 of its signal (SQNR 29.4 → 2.3 dB)`. */
function addedText(c: Culprit): string {
  const add = c.addedNsr === undefined ? '' : c.addedNsr === Infinity ? 'creates NaN/Inf' : `adds noise ${fmtNum(c.addedNsr)} of its signal`;
  const db = Number.isFinite(c.sqnrDropDb)
    ? ` (SQNR ${Number.isFinite(c.inputSqnrDb) ? fmtDb(c.inputSqnrDb) : 'exact inputs'} → ${fmtDb(c.outputSqnrDb)})`
    : '';
  return add + db;
}

/** `'conv7' (Conv) → y: fixing it recovers 96% of the final error (outputs still fail); adds noise 0.59 …; cause: …`. */
function culpritText(c: Culprit, report: Pick<LocalizeReport, 'rows'>): string {
  const share =
    c.recoveredShare === undefined
      ? ''
      : `: ${c.recovery && c.recovery !== c.node ? `fixing ${c.recovery}` : 'running it as the reference does'} recovers ${fmtPct(c.recoveredShare)} of the final error (outputs then ${c.passesWhenFixed ? 'pass' : 'still fail'})`;
  const cause = c.cause
    ? `cause: ${c.cause.text}`
    : `cause unexplained${c.otherFacts?.length ? ` (facts that cannot explain its size: ${c.otherFacts.map((f) => f.text).join('; ')})` : ''}`;
  const added = addedText(c);
  return `${culpritName(c, report)}${share}${added ? `; ${added}` : ''}; ${cause}`;
}

function outputsText(report: LocalizeReport): string {
  return report.finalOutputs.map((o) => `${o.output} SQNR ${fmtDb(o.sqnrDb)}, maxAbs ${fmtNum(o.maxAbs)}`).join('; ');
}

/** Headline and notes for a finished report. */
export function headline(report: LocalizeReport): { text: string; notes: string[] } {
  const notes: string[] = [];
  const compared = report.rows.filter((r) => r.error).length;
  const unpaired = report.rows.filter((r) => !r.error);
  const precision = report.target.precision;
  const failing = report.finalOutputs.filter((o) => !o.passed);
  const fails = `final output(s) fail ${precision}: ${failing.map((o) => `${o.output} (${o.failures.join('; ') || 'failed'})`).join('; ')}`;
  const best = [...(report.recoveries ?? [])].filter((r) => r.nodes.length === 1 && Number.isFinite(r.share)).sort((a, b) => b.share - a.share)[0];
  let text: string;
  if (report.culprits.length) {
    text = `culprit: ${culpritText(report.culprits[0]!, report)}`;
    const acc = report.accumulation;
    if (acc && failing.length) text += acc.passes ? `; to pass the gate: ${acc.note}: ${acc.command}` : `; ${acc.note}`;
    for (const c of report.culprits.slice(1, 4)) notes.push(`also recovers ≥ 50% alone: ${culpritText(c, report)}`);
  } else if (failing.length) {
    const acc = report.accumulation;
    text =
      `${fails}; no single node recovers half of the final error${best ? ` (best: ${best.label}, ${fmtPct(best.share)})` : ''}: it accumulates` +
      (acc ? (acc.passes ? `; fix: ${acc.note}: ${acc.command}` : `; ${acc.note}`) : '');
  } else {
    const top = report.rows.filter((r) => r.addedNsr! > 0).sort((a, b) => b.addedNsr! - a.addedNsr!)[0];
    text = `outputs pass ${precision} (${outputsText(report) || 'no float outputs'}): no culprit (${compared} tensors compared${top ? `; most noise added at ${rowLabel(top)}, ${fmtNum(top.addedNsr!)} of its signal` : ''})`;
  }
  if (report.culprits.length && failing.length) notes.push(fails);
  if (report.firstDivergent !== undefined) {
    const r = report.rows[report.firstDivergent]!;
    const iso = report.isolations.find((i) => i.row === r.index);
    const isCulprit = report.culprits.some((c) => c.row === r.index);
    notes.push(
      `first node out of elementwise tolerance: ${rowLabel(r)} — ${rowErrorText(r, report)}` +
        (r.error && Number.isFinite(r.error.sqnrDb) ? `, SQNR ${fmtDb(r.error.sqnrDb)}` : '') +
        (isCulprit ? '' : failing.length ? ' (not the culprit: fixing it recovers less)' : ' (informational: the final outputs pass)') +
        (iso ? `; alone: ${iso.verdict === 'failed' ? 'isolation failed' : iso.explanation.split(':')[0]}` : ''),
    );
  }
  if (report.rejected.length) {
    notes.push(
      `${report.rejected.length} candidate(s) add noise but recover < 50% of the final error when fixed: ${report.rejected
        .slice(0, 3)
        .map((x) => `'${x.node}'`)
        .join(', ')}`,
    );
  }
  if (report.firstNonFinite !== undefined && report.firstNonFinite !== report.firstDivergent) {
    notes.push(`NaN/Inf first appears at ${rowLabel(report.rows[report.firstNonFinite]!)}`);
  }
  if (report.hazards.length) {
    const first = report.rows[report.hazards[0]!]!;
    notes.push(
      `${report.hazards.length} fp16 range hazard(s); first at ${rowLabel(first)} with |x| up to ${fmtNum(first.refMaxAbs)} (threshold ${fmtNum(report.hazardThreshold)}, float16 max 65504)`,
    );
  }
  for (const iso of report.isolations) notes.push(`isolation of '${iso.node}' [${iso.nodes.join(', ')}]: ${iso.explanation}`);
  if (unpaired.length) {
    const shown = unpaired
      .slice(0, 3)
      .map((r) => `${r.output} (${r.reason ?? 'unpaired'})`)
      .join('; ');
    notes.push(`${unpaired.length} reference tensor(s) not compared: ${shown}${unpaired.length > 3 ? '; …' : ''}`);
  }
  if (report.marking) {
    notes.push(report.marking.note);
    const exact = Object.values(report.marking.unmarkedVsReference);
    if (report.target.precision !== 'fp32' && exact.length && exact.every((v) => v === 0)) {
      notes.push(
        `the unmarked ${report.target.precision} target reproduces the reference bit for bit on ${report.target.backend}: the runtime computes it in float32 (onnxruntime's CPU and wasm EPs run float16 nodes that lack float16 kernels in float32 and drop the Cast pairs between them), so its precision problems only show on backends with real ${report.target.precision} arithmetic (e.g. WebGPU) — the per-node rows and hazards show where`,
      );
    }
  }
  notes.push(`reference at optimization level '${report.reference.graphOptimizationLevel}', target at '${report.target.graphOptimizationLevel}'`);
  return { text, notes };
}
