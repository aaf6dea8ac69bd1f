/**
 * report.html: one self-contained page readable offline: inline CSS, inline SVG charts drawn
 * here, one small optional inline script (filter and search), no fonts or external references. Pure: no Node imports, so the browser harness
 * can render the same page and reuse the charts ({@link latencySvg}, {@link errorSvg}).
 */
import type { Report } from '../judge/types.ts';
import { escapeHtml } from './escape.ts';
import { constraintsSection, constraintsTable } from './html-constraints.ts';
import { detailCard } from './html-details.ts';
import { opCoverageTable } from './html-op-coverage.ts';
import { factList, modelCharts, rawFacts, targetsTable } from './html-parts.ts';
import { failuresList, matrix, statusBar } from './html-summary.ts';
import { REPORT_SCRIPT } from './report-script.ts';
import { tradeoffFigure } from './svg-tradeoff.ts';
import { breakableId, modelFacts } from './view-facts.ts';
import { displayStatus, targetsByModel } from './view.ts';

export { latencySvg, LOG_SCALE_RATIO, type ChartOptions, type LatencySeries } from './svg-latency.ts';
export { errorSvg, ERROR_BARS, type ErrorGroup } from './svg-error.ts';

/** A section a later feature adds to the page (per-node localization, drift histograms...). */
export interface HtmlSection {
  /** Heading text (escaped). */
  title: string;
  /** Body markup, inserted as is: the caller escapes its own text and must stay self-contained. */
  html: string;
}

export interface HtmlOptions {
  /** Sections appended after the built-in ones, before the raw facts, in order. Default none. */
  extraSections?: readonly HtmlSection[];
  /** Page title. Default `infer-parity report`. */
  title?: string;
}

const h = escapeHtml;

/** The page style, inline. Light and dark. */
export const REPORT_CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#656d76;--line:#d0d7de;--pass:#1a7f37;--fail:#cf222e;--skip:#6e7781;--err:#bc4c00;--xfail:#8250df;--warn:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--pass:#3fb950;--fail:#f85149;--skip:#8d96a0;--err:#db6d28;--xfail:#a371f7;--warn:#d29922}}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1360px;padding:0 20px 16px}
h1{font-size:20px;margin:0}h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:24px}h3{font-size:15px}h4{font-size:13px;margin:10px 0 4px}
header.top{position:sticky;top:0;z-index:5;background:var(--bg);padding:10px 0 8px;border-bottom:1px solid var(--line)}
.titlebar{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center}
.banner{padding:6px 12px;border-radius:6px;color:#fff;font-weight:600;overflow-wrap:anywhere}.banner.ok{background:var(--pass)}.banner.bad{background:var(--fail)}.banner.running{background:#0969da}
.statusbar{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;align-items:center}
.chip{font:inherit;font-size:13px;border:1px solid var(--line);border-radius:14px;padding:2px 10px;background:transparent;color:inherit;cursor:pointer}
.chip[aria-pressed=true]{background:rgba(9,105,218,.15);border-color:#0969da}.chip b{font-variant-numeric:tabular-nums}
.search{font:inherit;font-size:13px;padding:3px 8px;border:1px solid var(--line);border-radius:6px;min-width:0;flex:1 1 160px;max-width:320px;background:transparent;color:inherit}
.filtered-out{display:none!important}
.alarm{border:3px solid var(--fail);border-radius:6px;padding:8px 14px;margin:12px 0;font-weight:600}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.id{min-width:14em}td.id a{color:inherit;text-decoration:none}td.id a:hover{text-decoration:underline}
tr.is-ref td{background:rgba(127,127,127,.08)}tr.explain td{border-bottom:1px solid var(--line);padding-top:0}
.ref{font-size:11px;border:1px solid var(--muted);border-radius:8px;padding:0 5px;color:var(--muted)}
.st{font-weight:600;white-space:nowrap}.st-pass{color:var(--pass)}.st-fail,.st-xpass{color:var(--fail)}.st-skip,.st-na{color:var(--skip)}.st-error{color:var(--err)}.st-xfail{color:var(--xfail)}
.st-xpass{background:var(--fail);color:#fff;padding:0 4px;border-radius:3px}
.st-warn{color:var(--warn)}.why{color:var(--muted);font-size:12px;overflow-wrap:anywhere}.warn{color:var(--warn);font-size:12px;overflow-wrap:anywhere}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.facts-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:8px 16px;font-size:13px;margin:10px 0}
.facts-grid div{overflow-wrap:anywhere}.facts-grid b{color:var(--muted);font-weight:500;margin-right:6px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
ol.failures{list-style:none;padding:0;margin:8px 0}li.failure{border-left:4px solid var(--fail);padding:6px 10px;margin:6px 0;background:rgba(207,34,46,.06)}
li.failure[data-status=error]{border-color:var(--err)}.fhead{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.tid{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}.metric{font-weight:600;font-variant-numeric:tabular-nums}
table.matrix th[scope=col]{font-size:12px;min-width:7em}table.matrix th[scope=row]{white-space:nowrap}table.matrix td.cell{padding:0;border:2px solid var(--bg);min-width:8em}
td.cell a{display:block;padding:4px 6px;color:inherit;text-decoration:none}td.cell a:hover{outline:2px solid #0969da}
td.cell .st{display:block;font-size:12px}td.cell .m{display:block;font-size:11px;font-variant-numeric:tabular-nums}
.c-pass{background:rgba(26,127,55,.16)}.c-warn{background:rgba(154,103,0,.18)}.c-fail,.c-xpass{background:rgba(207,34,46,.22)}.c-error{background:rgba(188,76,0,.22)}
.c-xfail{background:rgba(130,80,223,.16)}.c-skip,.c-na{background:rgba(110,119,129,.12);color:var(--muted)}td.none{color:var(--muted);text-align:center}
section.detail{display:none;border:2px solid #0969da;border-radius:6px;padding:4px 14px 10px;margin:12px 0;scroll-margin-top:140px}section.detail:target{display:block}
.close{font-size:12px;font-weight:400;margin-left:8px}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}figure.chart,figure[id^=tradeoff]{overflow-x:auto}svg{max-width:100%;height:auto;color:var(--fg)}
figure.chart svg,figure[id^=tradeoff] svg{min-width:520px}.point .lbl{opacity:0}.point:hover .lbl,.point.front .lbl{opacity:1}.point:hover circle{stroke-width:3}
pre{background:rgba(127,127,127,.1);padding:8px;overflow:auto;font-size:12px}details{margin:4px 0}summary{cursor:pointer}
nav{font-size:13px;margin-top:6px;display:flex;flex-wrap:wrap;gap:2px 12px}
@media (max-width:600px){body{padding:0 10px 12px}header.top{position:static}td.id{min-width:10em}}
`;

function header(report: Report): string {
  const v = report.verdict;
  const xpass = report.targets.filter((t) => displayStatus(t) === 'xpass');
  const alarm =
    xpass.length === 0
      ? ''
      : `<div class="alarm">UNEXPECTED PASS: ${xpass.map((t) => `<code>${h(t.id)}</code>`).join(', ')} ` +
        'passed although declared as expected failure. Remove the <code>expectedFailures</code> entries so the fix stays guarded.</div>';
  return (
    `<header class="top"><div class="titlebar"><h1>infer-parity report</h1><div class="banner ${v.ok ? 'ok' : 'bad'}" role="status">${h(v.headline)}</div></div>` +
    `${statusBar(report)}</header>${alarm}`
  );
}

/** What ran, per model: the reference, the samples actually compared, the variants and backends planned. */
function runFacts(report: Report): string {
  const models = modelFacts(report).map(
    (m) =>
      `<div><b>${h(m.model)}</b>reference <code>${breakableId(m.reference)}</code> · ${m.samples !== undefined ? `${m.samples} samples` : 'samples not recorded'}` +
      `<br><b>variants</b>${h(m.variants.join(', '))}<br><b>backends</b>${h(m.backends.join(', '))}</div>`,
  );
  const run = `<div><b>run</b>${h(report.createdAt)} · ${h(report.tool.name)} ${h(report.tool.version)} · seed ${h(String(report.config.seed))}</div>`;
  return `<div class="facts-grid">${models.join('')}${run}</div>`;
}

/**
 * The report body shared by report.html and the benchmark page (one renderer): facts, failures
 * first, the matrix and trade-off chart per model, the targets tables, then the detail cards.
 */
export function reportBody(report: Report, options: HtmlOptions = {}): string {
  const groups = [...targetsByModel(report)];
  const sections: [string, string, string][] = [];
  sections.push(['failures', 'Failures', failuresList(report)]);
  groups.forEach(([model, targets], i) => {
    const tradeoff = tradeoffFigure(targets, report.budget?.ms, i === 0 ? 'tradeoff' : `tradeoff-${i}`);
    sections.push([`model-${i}`, `Model ${model}`, matrix(model, targets) + tradeoff + targetsTable(targets)]);
    const charts = modelCharts(model, targets);
    if (charts) sections.push([`charts-${i}`, `Latency and error charts, ${model}`, `<details><summary>show the charts</summary>${charts}</details>`]);
  });
  const memory = constraintsTable(report.targets);
  sections.push([
    'trade-offs',
    'Latency and memory',
    constraintsSection({ targets: [], ...(report.budget ? { budget: report.budget } : {}) }) +
      (memory ? `<details><summary>latency, memory and top ops per target</summary><div class="scroll">${memory}</div></details>` : ''),
  ]);
  const ops = opCoverageTable(report.opCoverage, report.opCoverageEvidence);
  sections.push(['op-coverage', 'Op coverage (ONNX runtimes)', ops ? `<div class="scroll">${ops}</div>` : '']);
  (options.extraSections ?? []).forEach((s, i) => sections.push([`extra-${i}`, s.title, s.html]));
  sections.push(['environment', 'Environment', factList(report.environment)]);
  sections.push(['raw', 'Raw facts', rawFacts(report)]);
  const shown = sections.filter(([, , body]) => body);
  const nav = `<nav>${shown.map(([id, title]) => `<a href="#${h(id)}">${h(title)}</a>`).join('')}</nav>`;
  const details = report.targets.map((t) => detailCard(t, `model-${groups.findIndex(([m]) => m === t.model)}`)).join('');
  return runFacts(report) + nav + shown.map(([id, t, body]) => section(id, t, body)).join('\n') + `<div class="details">${details}</div>`;
}

function section(id: string, title: string, body: string): string {
  return body ? `<section id="${h(id)}"><h2>${h(title)}</h2>${body}</section>` : '';
}

/** Renders the whole report as one self-contained HTML page. */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const title = options.title ?? 'infer-parity report';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${h(title)}: ${h(report.verdict.ok ? 'PASS' : 'FAIL')}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    header(report),
    reportBody(report, options),
    REPORT_SCRIPT,
    '</body></html>',
    '',
  ].join('\n');
}
