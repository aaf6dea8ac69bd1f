/**
 * The top of report.html and of the benchmark page's results, read like Playwright's report: a
 * status bar whose counts filter, the failures first (each with its reason and decisive metric),
 * and per model a variant × backend matrix coloured by status whose cells open the target's
 * details. Every element that belongs to one target carries `data-status` and `data-search` so
 * REPORT_SCRIPT (report-script.ts) can filter; without a script everything stays visible.
 * Pure: no Node imports.
 */
import type { Report, TargetVerdict } from '../judge/types.ts';
import { escapeHtml } from './escape.ts';
import { breakableId, decisiveMetric, reasonLine, targetAnchor } from './view-facts.ts';
import { DISPLAY_STATUSES, displayStatus, type DisplayStatus } from './view.ts';

const h = escapeHtml;

/** Display statuses in the order a reader wants them: what broke first. */
const STATUS_ORDER: readonly DisplayStatus[] = ['fail', 'error', 'xpass', 'warn', 'xfail', 'pass', 'skip', 'na'];

/** Attributes that let the filter and the search find a target's element. */
export function targetAttrs(t: TargetVerdict): string {
  const text = `${t.id} ${DISPLAY_STATUSES[displayStatus(t)].label} ${t.reason ?? ''}`.toLowerCase();
  return `data-status="${displayStatus(t)}" data-search="${h(text)}"`;
}

/** Counts per display status as filter buttons, then the search box. */
export function statusBar(report: Report): string {
  const counts = new Map<DisplayStatus, number>();
  for (const t of report.targets) counts.set(displayStatus(t), (counts.get(displayStatus(t)) ?? 0) + 1);
  const chips = STATUS_ORDER.filter((s) => counts.get(s)).map(
    (s) =>
      `<button type="button" class="chip st-${s}" data-filter="${s}" aria-pressed="false">${h(DISPLAY_STATUSES[s].label)} <b>${counts.get(s)}</b></button>`,
  );
  return (
    `<div class="statusbar" role="toolbar" aria-label="filter targets by status">` +
    `<button type="button" class="chip" data-filter="" aria-pressed="true">all <b>${report.targets.length}</b></button>${chips.join('')}` +
    `<input type="search" class="search" placeholder="search targets, reasons…" aria-label="search targets"></div>`
  );
}

/** Failed, errored and unexpectedly passed targets, worst first, each with why and the deciding figure. '' when none. */
export function failuresList(report: Report): string {
  const bad = report.targets
    .filter((t) => ['fail', 'error', 'xpass'].includes(displayStatus(t)))
    .sort((a, b) => STATUS_ORDER.indexOf(displayStatus(a)) - STATUS_ORDER.indexOf(displayStatus(b)));
  const modelErrors = report.verdict.reasons.filter((r) => /: could not run: /.test(r));
  if (bad.length === 0 && modelErrors.length === 0) return '';
  const items = bad.map((t) => {
    const s = displayStatus(t);
    return (
      `<li class="failure" ${targetAttrs(t)}><div class="fhead"><span class="st st-${s}">${h(DISPLAY_STATUSES[s].label)}</span> ` +
      `<a class="tid" href="#${targetAnchor(t.id)}">${breakableId(t.id)}</a> <span class="metric">${h(decisiveMetric(t))}</span></div>` +
      `<div class="why">${h(reasonLine(t))}</div></li>`
    );
  });
  const models = modelErrors.map((r) => `<li class="failure"><span class="st st-error">could not run</span> <span class="why">${h(r)}</span></li>`);
  return `<ol class="failures">${[...models, ...items].join('')}</ol>`;
}

/** Column key of a target in its model's matrix: what follows the `@` of its id (backend, environment, settings). */
const columnOf = (t: TargetVerdict) => t.id.slice(t.id.indexOf('@') + 1);

/** One model's variant × backend matrix; each cell links to the target's details. */
export function matrix(model: string, targets: readonly TargetVerdict[]): string {
  const variants = [...new Set(targets.map((t) => t.variant))];
  const columns = [...new Set(targets.map(columnOf))];
  const at = new Map(targets.map((t) => [`${t.variant}|${columnOf(t)}`, t]));
  const head = `<tr><th scope="col">variant \\ backend</th>${columns.map((c) => `<th scope="col">${breakableId(c)}</th>`).join('')}</tr>`;
  const rows = variants.map((v) => {
    const cells = columns.map((c) => {
      const t = at.get(`${v}|${c}`);
      if (!t) return '<td class="cell none">·</td>';
      const s = displayStatus(t);
      const title = `${t.id}: ${DISPLAY_STATUSES[s].label}${reasonLine(t) ? ` — ${reasonLine(t)}` : ''}`;
      return (
        `<td class="cell c-${s}" ${targetAttrs(t)}><a href="#${targetAnchor(t.id)}" title="${h(title)}">` +
        `<span class="st">${h(t.isReference ? 'reference' : DISPLAY_STATUSES[s].label)}</span><span class="m">${h(decisiveMetric(t))}</span></a></td>`
      );
    });
    return `<tr><th scope="row">${h(v)}</th>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table class="matrix" aria-label="${h(model)}: variant × backend"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}
