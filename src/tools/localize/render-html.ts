/**
 * localize.html: one self-contained page (inline CSS and SVG, no scripts) with the verdict, the
 * culprits proven by recovery (or the accumulation set), the final outputs, the recovery runs, the
 * per-node error chart (culprit marked), the isolation result, the marking check and the full
 * per-node table with every column explained. Red is for a failing verdict and the culprit only.
 * {@link localizeSection} gives the same content as a section for `renderHtml`'s
 * `extraSections`, so report.html can carry it too. Pure: no Node imports.
 */
import type { HtmlSection } from '../../kernel/render/html.ts';
import { REPORT_CSS } from '../../kernel/render/html.ts';
import { escapeHtml as h } from '../../kernel/render/escape.ts';
import { fmtCosine, fmtDb, fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { nodeErrorSvg } from './svg-nodes.ts';
import { culpritName } from './headline.ts';
import type { Isolation, LocalizeReport, NodeRow } from './types.ts';

const EXTRA_CSS =
  'tr.out td{color:#9a6700}tr.culprit td{font-weight:700;color:var(--fail);background:rgba(207,34,46,.08)}.legend dd{margin-bottom:2px}.flag{font-size:11px;border:1px solid currentColor;border-radius:8px;padding:0 5px;margin-right:3px;white-space:nowrap}';

function row(r: NodeRow, report: LocalizeReport, qdq: boolean): string {
  const e = r.error;
  const culprit = (report.culprits ?? []).some((c) => c.row === r.index);
  // Red is for the verdict and the culprit only; a row out of elementwise tolerance is amber.
  const cls = [r.flagged ? 'out' : '', culprit ? 'culprit' : ''].filter(Boolean).join(' ');
  const num = (s: string) => `<td class="num">${h(s)}</td>`;
  const flags = e ? r.flags.map((f) => `<span class="flag">${h(f)}</span>`).join('') : `<span class="why">${h(r.reason ?? 'not compared')}</span>`;
  return (
    `<tr${cls ? ` class="${cls}"` : ''}>${num(String(r.index))}<td><code>${h(r.node)}</code></td><td>${h(r.op)}</td>` +
    `<td><code>${h(r.output)}</code>${r.targetTensor && r.targetTensor !== r.output ? ` → <code>${h(r.targetTensor)}</code>` : ''}</td>` +
    `<td>${h(r.targetDtype ?? '')}</td>${num(e ? fmtNum(e.maxAbs) : '—')}${num(e ? fmtCosine(e.cosine) : '—')}${num(e ? fmtDb(e.sqnrDb) : '—')}${num(r.addedNsr !== undefined ? fmtNum(r.addedNsr) : '—')}` +
    `${num(e ? fmtPct(e.mismatchFraction) : '—')}${num(fmtNum(r.refMaxAbs))}` +
    (qdq ? num(r.qdq?.error ? `${fmtNum(r.qdq.error.maxAbs)}${r.qdq.scale !== undefined ? ` (scale ${fmtNum(r.qdq.scale)})` : ''}` : '') : '') +
    `<td>${flags}</td></tr>`
  );
}

/** The per-node table, every row. */
export function nodeTable(report: LocalizeReport): string {
  const qdq = report.rows.some((r) => r.qdq);
  const heads = [
    '#',
    'node',
    'op',
    'output',
    'target dtype',
    'maxAbs',
    'cosine',
    'SQNR',
    'noise added',
    'mismatch',
    'max|ref|',
    ...(qdq ? ['after QDQ'] : []),
    'flags',
  ];
  const numeric = new Set(['#', 'maxAbs', 'cosine', 'SQNR', 'noise added', 'mismatch', 'max|ref|', 'after QDQ']);
  const head = heads.map((c) => `<th${numeric.has(c) ? ' class="num"' : ''}>${h(c)}</th>`).join('');
  return `${legend(qdq)}<table class="nodes"><thead><tr>${head}</tr></thead><tbody>${report.rows.map((r) => row(r, report, qdq)).join('')}</tbody></table>`;
}

/** What every column of the per-node table means. */
function legend(qdq: boolean): string {
  const item = (k: string, v: string) => `<dt>${h(k)}</dt><dd>${h(v)}</dd>`;
  return (
    '<dl class="facts legend">' +
    item('#', "position in the reference's topological order (Constant nodes left out)") +
    item('node, op, output', 'the reference node, its op type and the output compared (→ the target tensor it is paired with, when renamed)') +
    item('target dtype', 'element type of that tensor in the target (float16 in fp16 graphs)') +
    item('maxAbs', 'max |target − reference| over every sample and element') +
    item('cosine', 'cosine similarity of target and reference (1 = same direction)') +
    item('SQNR', 'signal-to-noise of the target against the reference at this output, dB (higher is closer; ∞ = identical)') +
    item(
      'noise added',
      "noise power this node adds, as a share of its output's signal power: 10^(−SQNR out/10) − 10^(−SQNR in/10), never negative (∞ when NaN/Inf appear). Culprit candidates are ranked by it; recovery then proves them",
    ) +
    item('mismatch', 'share of elements outside atol + rtol·|ref| (rows with any are amber)') +
    item('max|ref|', 'largest |reference| value (fp16 overflows above 65504)') +
    (qdq ? item('after QDQ', 'maxAbs of the re-quantized tensor its consumers read, and the QuantizeLinear scale') : '') +
    item(
      'flags',
      'fp16-range: |ref| near the float16 max; fp16-overflow: beyond it; nonfinite-new: NaN/Inf in the target only; leaves-tolerance: outside the elementwise tolerance',
    ) +
    '</dl>'
  );
}

function isolationBlock(iso: Isolation): string {
  const fact = (k: string, v: string) => `<dt>${h(k)}</dt><dd>${v}</dd>`;
  return (
    `<h3>Isolation of <code>${h(iso.node)}</code>: ${h(iso.verdict)}</h3><dl class="facts">` +
    fact('one-node model', iso.nodes.map((n) => `<code>${h(n)}</code>`).join(', ') || '—') +
    fact('fed reference values', iso.inputs.map((n) => `<code>${h(n)}</code>`).join(', ') || '—') +
    fact(
      'inputs off in the graph',
      iso.upstream.map((u) => `<code>${h(u.output)}</code> ${h(fmtNum(u.maxAbs))}${u.leaves ? ' (out)' : ''}`).join(', ') || '—',
    ) +
    fact('in-graph maxAbs', h(fmtNum(iso.inGraph.maxAbs))) +
    fact('isolated maxAbs', h(iso.isolated ? fmtNum(iso.isolated.maxAbs) : '—')) +
    fact('ratio', h(iso.ratio !== undefined ? fmtNum(iso.ratio) : '—')) +
    `</dl><p>${h(iso.explanation)}</p>`
  );
}

/** Culprits (best first) and the final outputs' verdict. */
function culpritBlock(report: LocalizeReport): string {
  const outs = (report.finalOutputs ?? [])
    .map(
      (o) =>
        `<tr><td><code>${h(o.output)}</code> (${h(o.source)})</td><td class="num">${h(fmtDb(o.sqnrDb))}</td>` +
        `<td class="num">${h(fmtNum(o.maxAbs))}</td><td>${o.passed ? 'passes' : `<b>fails</b>: ${h(o.failures.join('; '))}`}${o.decidingMetric ? ` (${h(o.role ?? '')}: ${h(o.decidingMetric)})` : ''}</td></tr>`,
    )
    .join('');
  const final = outs
    ? `<h3>Final outputs (${h(report.target.precision)}, judged as parity run judges them)</h3><table><thead><tr><th>output</th><th class="num">SQNR</th><th class="num">maxAbs</th><th>verdict</th></tr></thead><tbody>${outs}</tbody></table>`
    : '';
  const cs = report.culprits ?? [];
  const acc = report.accumulation;
  const accumulation = acc
    ? `<h3>Accumulation: the smallest node set that restores the gate</h3><p>${h(acc.note)}</p>` +
      (acc.passes ? `<p>Paste into <code>parity quantize</code>: <code>${h(acc.command)}</code></p>` : '') +
      `<p>${acc.nodes.length} node(s) at reference precision: ${acc.excludeNodes.map((n) => `<code>${h(n)}</code>`).join(', ')}</p>`
    : '';
  const recs = (report.recoveries ?? [])
    .map(
      (r) =>
        `<tr><td>${h(r.label)}</td><td class="num">${h(Number.isFinite(r.share) ? fmtPct(r.share) : '—')}</td><td>${r.failed ? `could not run: ${h(r.failed)}` : r.passes ? 'pass' : 'fail'}</td></tr>`,
    )
    .join('');
  const recTable = recs
    ? `<h3>Recovery runs</h3><p>Each fix runs the named node(s) as the reference does (float32, reference constants, the target's own inputs — so the QDQ on their inputs is dropped) or bypasses a QDQ; <b>recovered</b> is the share of the final error (noise-to-signal of the final outputs) that disappears; <b>outputs</b> is the final gate with the fix.</p>` +
      `<table><thead><tr><th>fix</th><th class="num">recovered</th><th>outputs</th></tr></thead><tbody>${recs}</tbody></table>`
    : '';
  if (!cs.length) return final + accumulation + recTable;
  const rows = cs
    .map(
      (c, k) =>
        `<tr class="culprit"><td class="num">${k + 1}</td><td>${h(culpritName(c, report))}</td>` +
        `<td class="num">${h(c.addedNsr !== undefined ? fmtNum(c.addedNsr) : '—')}</td><td class="num">${Number.isFinite(c.sqnrDropDb) ? `${h(fmtDb(c.inputSqnrDb))} → ${h(fmtDb(c.outputSqnrDb))}` : '—'}</td>` +
        `<td class="num">${h(c.recoveredShare !== undefined ? fmtPct(c.recoveredShare) : '—')}</td><td>${c.passesWhenFixed ? 'pass' : 'still fail'}</td>` +
        `<td>${c.cause ? h(c.cause.text) : `unexplained${c.otherFacts?.length ? `: facts too small to explain it — ${h(c.otherFacts.map((f) => f.text).join('; '))}` : ''}`}</td></tr>`,
    )
    .join('');
  return (
    `<h3>Culprits, proven by recovery</h3><p><b>noise added</b>: noise power the node adds as a share of its output's signal (linear); <b>SQNR in → out</b>: the same in dB; <b>recovered</b>: share of the final error that disappears when it runs as the reference runs it; <b>with fix</b>: the final gate then; <b>cause</b>: the first fact able to explain the error's size.</p>` +
    `<table><thead><tr><th class="num">#</th><th>culprit</th><th class="num">noise added</th>` +
    `<th class="num">SQNR in → out</th><th class="num">recovered</th><th>with fix</th><th>cause</th></tr></thead><tbody>${rows}</tbody></table>${final}${accumulation}${recTable}`
  );
}

function markingBlock(report: LocalizeReport): string {
  const m = report.marking;
  if (!m) return '';
  const rows = Object.keys({ ...m.targetMaxAbs, ...m.unmarkedVsReference }).map(
    (k) =>
      `<tr><td><code>${h(k)}</code></td><td class="num">${h(fmtNum(m.targetMaxAbs[k]))}</td><td class="num">${h(fmtNum(m.unmarkedVsReference[k]))}</td></tr>`,
  );
  return (
    `<h3>Effect of marking outputs</h3><p>${h(m.note)}</p><table><thead><tr><th>output</th><th class="num">max |unmarked − marked|</th>` +
    `<th class="num">max |unmarked − reference|</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

/** Everything but the page shell: verdict, facts, chart, isolation, marking, table. */
export function localizeBody(report: LocalizeReport): string {
  const t = report.target;
  const facts =
    `<dl class="facts"><dt>reference</dt><dd><code>${h(report.reference.model)}</code> on ${h(report.reference.backend)} (optimization ${h(report.reference.graphOptimizationLevel)})</dd>` +
    `<dt>target</dt><dd><code>${h(t.model)}</code> on ${h(t.backend)} (optimization ${h(t.graphOptimizationLevel)}, ${h(t.precision)})</dd>` +
    `<dt>inputs</dt><dd>${report.samples} sample(s), ${h(report.feedsSource)}</dd>` +
    `<dt>tolerance</dt><dd>atol ${h(fmtNum(report.tolerance.atol))}, rtol ${h(fmtNum(report.tolerance.rtol))} (${h(report.tolerance.stat ?? 'elemwise')}), max mismatch ${h(fmtPct(report.maxMismatchFraction))}</dd>` +
    `<dt>fp16 hazard threshold</dt><dd>|x| ≥ ${h(fmtNum(report.hazardThreshold))}</dd></dl>`;
  return (
    `<div class="banner ${report.flagged ? 'bad' : 'ok'}">${h(report.headline)}</div>${facts}` +
    `<ul>${report.notes
      .filter((n) => !n.startsWith('isolation of '))
      .map((n) => `<li>${h(n)}</li>`)
      .join('')}</ul>` +
    culpritBlock(report) +
    `<figure><figcaption>Max absolute error per node (topological order)</figcaption>${nodeErrorSvg(report)}</figure>` +
    report.isolations.map(isolationBlock).join('') +
    markingBlock(report) +
    `<h3>Per-node table</h3>${nodeTable(report)}`
  );
}

/** The localization as a section of report.html (`renderHtml(report, { extraSections: [...] })`). */
export function localizeSection(report: LocalizeReport): HtmlSection {
  return { title: `Localization: ${report.target.model} on ${report.target.backend}`, html: `<style>${EXTRA_CSS}</style>${localizeBody(report)}` };
}

/** localize.html as one self-contained page. */
export function renderLocalizeHtml(report: LocalizeReport): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>infer-parity localize: ${h(report.flagged ? 'DIVERGENCE' : 'OK')}</title>`,
    `<style>${REPORT_CSS}${EXTRA_CSS}</style></head><body>`,
    `<h1>infer-parity localize</h1>`,
    localizeBody(report),
    '</body></html>',
    '',
  ].join('\n');
}
