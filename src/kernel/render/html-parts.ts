/**
 * The building blocks of the HTML report: tables, charts per model, reasons and raw facts, each
 * returning an HTML fragment with every piece of report text escaped. Pure: no Node imports;
 * the browser harness can use the fragments directly.
 */
import type { Report, TargetVerdict } from '../judge/types.ts';
import { escapeHtml } from './escape.ts';
import { fmtNum } from './format.ts';
import { toJsonSafe } from './json.ts';
import { errorSvg, type ErrorGroup } from './svg-error.ts';
import { latencySvg } from './svg-latency.ts';
import { targetAttrs } from './html-summary.ts';
import { breakableId, reasonLine, targetAnchor } from './view-facts.ts';
import { COLUMNS, DISPLAY_STATUSES, displayStatus, failedGates, failingOutputs, gateExplain, notApplicableLines, outputExplain, targetCells } from './view.ts';

const h = escapeHtml;

/** A status badge: `<span class="st st-fail">FAILED</span>`. */
function statusBadge(t: TargetVerdict): string {
  const s = displayStatus(t);
  return `<span class="st st-${s}">${h(DISPLAY_STATUSES[s].label)}</span>`;
}

/**
 * The targets table of one model, same columns as the Markdown summary. Under a row that did not
 * plainly pass, its reason (failing output or gate, error, skip reason, warning) in full width, so
 * it is read next to the row. Not-applicable targets get one line under the table, no rows.
 */
export function targetsTable(targets: readonly TargetVerdict[]): string {
  const columns = COLUMNS.filter((c) => !('html' in c) || c.html);
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${h(c.title)}</th>`).join('');
  const shown = targets.filter((t) => displayStatus(t) !== 'na');
  const rows = shown.map((t) => {
    const cells = targetCells(t);
    const tds = columns.map((c) => {
      if (c.key === 'target')
        return `<td class="id"><a href="#${targetAnchor(t.id)}"><code>${breakableId(t.id)}</code></a>${t.isReference ? ' <span class="ref">reference</span>' : ''}</td>`;
      if (c.key === 'status') return `<td>${statusBadge(t)}</td>`;
      return `<td class="num">${h(cells[c.key])}</td>`;
    });
    const s = displayStatus(t);
    const lines = [
      ...failingOutputs(t).map(([n, m]) => `<div class="why">${h(outputExplain(n, m))}</div>`),
      ...failedGates(t).map((g) => `<div class="why">gate failed: ${h(gateExplain(g))}</div>`),
      ...(['skip', 'error', 'xfail', 'xpass'].includes(s) ? [`<div class="why">${h(reasonLine(t))}</div>`] : []),
      ...(t.warnings ?? []).map((w) => `<div class="warn">warning: ${h(w)}</div>`),
    ];
    const attrs = targetAttrs(t);
    const more = lines.length ? `<tr class="explain" ${attrs}><td colspan="${columns.length}">${lines.join('')}</td></tr>` : '';
    return `<tr class="row-${s}${t.isReference ? ' is-ref' : ''}" ${attrs}>${tds.join('')}</tr>${more}`;
  });
  const na = targets.filter((t) => displayStatus(t) === 'na');
  const naLine = na.length ? `<p class="why">Not applicable (${na.length}, known before the run): ${h(notApplicableLines(na).join('; '))}</p>` : '';
  return `<div class="scroll"><table class="targets"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${naLine}`;
}

/** Latency chart and one error chart per output for one model's targets. */
export function modelCharts(model: string, targets: readonly TargetVerdict[]): string {
  const parts: string[] = [];
  const timed = targets.filter((t) => t.latency);
  if (timed.length > 0) {
    const series = timed.map((t) => ({ label: t.id, stats: t.latency!, emphasize: t.isReference }));
    parts.push(`<figure><figcaption>Warm-run latency (${h(model)})</figcaption>${latencySvg(series, { title: `Warm-run latency, ${model}` })}</figure>`);
  }
  const compared = targets.filter((t) => !t.isReference);
  const outputNames = [...new Set(compared.flatMap((t) => Object.keys(t.outputs)))];
  for (const name of outputNames) {
    const groups: ErrorGroup[] = compared
      .filter((t) => t.outputs[name] && !t.outputs[name].reason) // not compared: no numbers to draw
      .map((t) => ({ label: t.id, metrics: t.outputs[name]!, failed: !t.outputs[name]!.passed }));
    if (groups.length === 0) continue;
    parts.push(
      `<figure><figcaption>Absolute error of output <code>${h(name)}</code> vs the reference</figcaption>` +
        `${errorSvg(name, groups, { title: `Absolute error of ${name}, ${model}` })}</figure>`,
    );
  }
  return parts.join('');
}

/** `<dl>` of the primitive facts in `facts` (nested values are left to the raw section). */
export function factList(facts: Record<string, unknown>): string {
  const items = Object.entries(facts)
    .filter(([, v]) => v !== null && ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `<dt>${h(k)}</dt><dd>${h(typeof v === 'number' ? fmtNum(v, 6) : String(v))}</dd>`);
  return items.length ? `<dl class="facts">${items.join('')}</dl>` : '';
}

function pre(value: unknown): string {
  return `<pre>${h(JSON.stringify(toJsonSafe(value, { sortKeys: true }), null, 2))}</pre>`;
}

/** Collapsible raw facts: the machine, then each target's recorded facts. */
export function rawFacts(report: Report): string {
  const env = `<details><summary>environment (CLI machine)</summary>${pre(report.environment)}</details>`;
  const cfg = `<details><summary>config</summary>${pre(report.config)}</details>`;
  const targets = report.targets.map((t) => `<details><summary><code>${h(t.id)}</code></summary>${pre(t.facts)}</details>`);
  // One line for all targets (a list of one per target made the page thousands of pixels longer).
  return [env, cfg, `<details><summary>facts recorded per target (${targets.length})</summary>${targets.join('')}</details>`].join('');
}
