/**
 * One target's details, opened from the matrix, the failures list or the targets table: its
 * reason, outputs (error figures and tolerance), error profile chart, gates and facts. A card is
 * hidden until its fragment is the page's target (`#t-…`, pure CSS), so the page stays short.
 * Gates of a target that did not run read "not evaluated", never "passed". Pure: no Node imports.
 */
import type { TargetVerdict } from '../judge/types.ts';
import { escapeHtml } from './escape.ts';
import { fmtCosine, fmtNum } from './format.ts';
import { factList } from './html-parts.ts';
import { targetAttrs } from './html-summary.ts';
import { toJsonSafe } from './json.ts';
import { errorSvg } from './svg-error.ts';
import { breakableId, decisiveMetric, reasonLine, targetAnchor } from './view-facts.ts';
import { DISPLAY_STATUSES, displayStatus, gateLabel } from './view.ts';

const h = escapeHtml;

function outputsTable(t: TargetVerdict): string {
  const rows = Object.entries(t.outputs).map(([name, m]) => {
    const verdict = m.reason
      ? `<span class="why">not compared: ${h(m.reason)}</span>`
      : m.passed
        ? '<span class="st st-pass">within tolerance</span>'
        : '<span class="st st-fail">out of tolerance</span>';
    const cells = [fmtNum(m.maxAbs), fmtNum(m.p99Abs), fmtNum(m.meanAbs), fmtCosine(m.cosine), fmtNum(m.sqnrDb, 3), `${m.mismatches} / ${m.elements}`];
    return (
      `<tr><td><code>${h(name)}</code></td>${cells.map((c) => `<td class="num">${h(c)}</td>`).join('')}` +
      `<td>atol ${h(fmtNum(m.tolerance.atol))}, rtol ${h(fmtNum(m.tolerance.rtol))}</td><td>${verdict}</td></tr>`
    );
  });
  if (rows.length === 0) return '';
  const head = ['output', 'max abs', 'p99 abs', 'mean abs', 'cosine', 'SQNR dB', 'mismatches', 'tolerance', 'result'];
  return `<div class="scroll"><table class="outputs"><thead><tr>${head.map((c, i) => `<th${i > 0 && i < 7 ? ' class="num"' : ''}>${c}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function gatesRows(t: TargetVerdict): string {
  if (t.gates.length === 0) return '';
  const ran = t.status === 'passed' || t.status === 'failed';
  const rows = t.gates.map((g) => {
    const result = !ran
      ? '<span class="st st-skip">not evaluated</span>'
      : g.value === null
        ? `<span class="st st-skip">not applicable</span>`
        : g.passed
          ? '<span class="st st-pass">passed</span>'
          : `<span class="st ${displayStatus(t) === 'xfail' ? 'st-xfail' : 'st-fail'}">FAILED</span>`;
    const note = !ran ? `${t.id} did not run` : (g.note ?? '');
    return `<tr><td><code>${h(gateLabel(g))}</code></td><td class="num">${h(ran ? fmtNum(g.value, 4) : '—')}</td><td>${result}</td><td class="why">${h(note)}</td></tr>`;
  });
  return `<table class="gates"><thead><tr><th>gate</th><th class="num">value</th><th>result</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function errorProfile(t: TargetVerdict): string {
  const groups = Object.entries(t.outputs)
    .filter(([, m]) => !m.reason)
    .map(([name, m]) => ({ label: name, metrics: m, failed: !m.passed }));
  if (groups.length === 0 || t.isReference) return '';
  return `<figure class="chart"><figcaption>Absolute error per output (max, p99, mean; dashed: atol)</figcaption>${errorSvg('outputs', groups, { title: `Absolute error, ${t.id}` })}</figure>`;
}

/** The hidden-until-targeted card of one target. */
export function detailCard(t: TargetVerdict, backTo: string): string {
  const s = displayStatus(t);
  const why = reasonLine(t);
  const facts = factList(t.facts);
  const raw = `<details><summary>all recorded facts</summary><pre>${h(JSON.stringify(toJsonSafe(t.facts, { sortKeys: true }), null, 2))}</pre></details>`;
  return (
    `<section class="detail" id="${targetAnchor(t.id)}" ${targetAttrs(t)}>` +
    `<h3><span class="st st-${s}">${h(DISPLAY_STATUSES[s].label)}</span> <code>${breakableId(t.id)}</code> <a class="close" href="#${h(backTo)}">close</a></h3>` +
    `<p><span class="metric">${h(decisiveMetric(t))}</span>${why ? ` — <span class="why">${h(why)}</span>` : ''}</p>` +
    outputsTable(t) +
    errorProfile(t) +
    gatesRows(t) +
    (facts ? `<h4>Facts</h4>${facts}` : '') +
    raw +
    '</section>'
  );
}
