/**
 * localize.html: one self-contained page (inline CSS and SVG, no scripts) with the verdict, the
 * culprits and final outputs, the per-node error chart, the isolation result, the marking check and the full per-node table.
 * {@link localizeSection} gives the same content as a section for `renderHtml`'s
 * `extraSections`, so report.html can carry it too. Pure: no Node imports.
 */
import type { HtmlSection } from '../../kernel/render/html.ts';
import { REPORT_CSS } from '../../kernel/render/html.ts';
import { escapeHtml as h } from '../../kernel/render/escape.ts';
import { fmtCosine, fmtDb, fmtNum, fmtPct } from '../../kernel/render/format.ts';
import { nodeErrorSvg } from './svg-nodes.ts';
import type { Isolation, LocalizeReport, NodeRow } from './types.ts';

const EXTRA_CSS =
  'tr.flagged td{color:var(--fail)}tr.culprit td{font-weight:700;color:var(--fail)}tr.first td{font-weight:700;background:rgba(207,34,46,.08)}.flag{font-size:11px;border:1px solid currentColor;border-radius:8px;padding:0 5px;margin-right:3px;white-space:nowrap}';

function row(r: NodeRow, report: LocalizeReport, qdq: boolean): string {
  const e = r.error;
  const culprit = (report.culprits ?? []).some((c) => c.row === r.index);
  const cls = [r.flagged ? 'flagged' : '', culprit ? 'culprit' : '', r.index === report.firstDivergent ? 'first' : ''].filter(Boolean).join(' ');
  const num = (s: string) => `<td class="num">${h(s)}</td>`;
  const flags = e ? r.flags.map((f) => `<span class="flag">${h(f)}</span>`).join('') : `<span class="why">${h(r.reason ?? 'not compared')}</span>`;
  return (
    `<tr${cls ? ` class="${cls}"` : ''}>${num(String(r.index))}<td><code>${h(r.node)}</code></td><td>${h(r.op)}</td>` +
    `<td><code>${h(r.output)}</code>${r.targetTensor && r.targetTensor !== r.output ? ` → <code>${h(r.targetTensor)}</code>` : ''}</td>` +
    `<td>${h(r.targetDtype ?? '')}</td>${num(e ? fmtNum(e.maxAbs) : '—')}${num(e ? fmtCosine(e.cosine) : '—')}${num(e ? fmtDb(e.sqnrDb) : '—')}${num(r.sqnrDropDb !== undefined ? fmtDb(r.sqnrDropDb) : '—')}` +
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
    'SQNR drop',
    'mismatch',
    'max|ref|',
    ...(qdq ? ['after QDQ'] : []),
    'flags',
  ];
  const numeric = new Set(['#', 'maxAbs', 'cosine', 'SQNR', 'SQNR drop', 'mismatch', 'max|ref|', 'after QDQ']);
  const head = heads.map((c) => `<th${numeric.has(c) ? ' class="num"' : ''}>${h(c)}</th>`).join('');
  return `<table class="nodes"><thead><tr>${head}</tr></thead><tbody>${report.rows.map((r) => row(r, report, qdq)).join('')}</tbody></table>`;
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
        `<td class="num">${h(fmtNum(o.maxAbs))}</td><td>${o.passed ? 'passes' : `<b>fails</b>: ${h(o.failures.join('; '))}`}</td></tr>`,
    )
    .join('');
  const final = outs
    ? `<h3>Final outputs (${h(report.target.precision)} tolerance)</h3><table><thead><tr><th>output</th><th class="num">SQNR</th><th class="num">maxAbs</th><th>verdict</th></tr></thead><tbody>${outs}</tbody></table>`
    : '';
  const cs = report.culprits ?? [];
  if (!cs.length) return final;
  const rows = cs
    .map(
      (c, k) =>
        `<tr class="culprit"><td class="num">${k + 1}</td><td><code>${h(c.node)}</code></td><td>${h(c.op)}</td>` +
        `<td class="num">${h(fmtDb(c.inputSqnrDb))} → ${h(fmtDb(c.outputSqnrDb))}</td><td class="num">${h(fmtDb(c.sqnrDropDb))}</td><td>${h(c.isolation)}</td><td>${h(c.cause?.text ?? '')}</td></tr>`,
    )
    .join('');
  return (
    `<h3>Culprits: nodes that create error beyond ${h(report.target.precision)} noise</h3><table><thead><tr><th class="num">#</th><th>node</th><th>op</th>` +
    `<th class="num">SQNR in → out</th><th class="num">drop</th><th>isolation</th><th>cause</th></tr></thead><tbody>${rows}</tbody></table>${final}`
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
