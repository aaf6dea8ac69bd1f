/**
 * report.html: one self-contained page readable offline: inline CSS, inline SVG charts drawn
 * here, no scripts, fonts or external references. Pure: no Node imports, so the browser harness
 * can render the same page and reuse the charts ({@link latencySvg}, {@link errorSvg}).
 */
import type { Report } from '../judge/types.ts';
import { escapeHtml } from './escape.ts';
import { constraintsSection } from './html-constraints.ts';
import { opCoverageTable } from './html-op-coverage.ts';
import { factList, gatesTable, modelCharts, rawFacts, reasonsTable, targetsTable } from './html-parts.ts';
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
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#656d76;--line:#d0d7de;--pass:#1a7f37;--fail:#cf222e;--skip:#6e7781;--err:#bc4c00;--xfail:#8250df}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8d96a0;--line:#30363d;--pass:#3fb950;--fail:#f85149;--skip:#8d96a0;--err:#db6d28;--xfail:#a371f7}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}h3{font-size:15px}
.banner{padding:10px 14px;border-radius:6px;color:#fff;font-weight:600}.banner.ok{background:var(--pass)}.banner.bad{background:var(--fail)}
.alarm{border:3px solid var(--fail);border-radius:6px;padding:8px 14px;margin:12px 0;font-weight:600}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{font-weight:600;white-space:nowrap}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.is-ref td{background:rgba(127,127,127,.08)}tr.explain td{border-bottom:1px solid var(--line);padding-top:0}
.ref{font-size:11px;border:1px solid var(--muted);border-radius:8px;padding:0 5px;color:var(--muted)}
.st{font-weight:600;white-space:nowrap}.st-pass{color:var(--pass)}.st-fail,.st-xpass{color:var(--fail)}.st-skip{color:var(--skip)}.st-error{color:var(--err)}.st-xfail{color:var(--xfail)}
.st-xpass{background:var(--fail);color:#fff;padding:0 4px;border-radius:3px}
.st-warn{color:var(--err)}.why{color:var(--muted);font-size:12px}.warn{color:var(--err);font-size:12px}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:13px}dt{color:var(--muted)}dd{margin:0}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}svg{max-width:100%;height:auto;color:var(--fg)}
pre{background:rgba(127,127,127,.1);padding:8px;overflow:auto;font-size:12px}details{margin:4px 0}nav a{margin-right:12px}
`;

function header(report: Report): string {
  const v = report.verdict;
  const refs = Object.entries(report.references);
  const refText =
    refs.length > 0 ? refs.map(([m, id]) => `<code>${h(id)}</code>${refs.length > 1 ? ` (${h(m)})` : ''}`).join(', ') : `<code>${h(report.reference)}</code>`;
  const c = report.config;
  const facts = {
    created: report.createdAt,
    tool: `${report.tool.name} ${report.tool.version}`,
    models: c.models.join(', '),
    samples: c.samples,
    seed: c.seed,
    variants: c.variants.join(', '),
    backends: c.backends.join(', '),
  };
  const xpass = report.targets.filter((t) => displayStatus(t) === 'xpass');
  const alarm =
    xpass.length === 0
      ? ''
      : `<div class="alarm">UNEXPECTED PASS: ${xpass.map((t) => `<code>${h(t.id)}</code>`).join(', ')} ` +
        'passed although declared as expected failure. Remove the <code>expectedFailures</code> entries so the fix stays guarded.</div>';
  return (
    `<header><h1>infer-parity report</h1><div class="banner ${v.ok ? 'ok' : 'bad'}">${h(v.headline)}</div>${alarm}` +
    `<p>Reference: ${refText}</p>${factList(facts)}<h3>Environment</h3>${factList(report.environment)}</header>`
  );
}

function section(id: string, title: string, body: string): string {
  return body ? `<section id="${h(id)}"><h2>${h(title)}</h2>${body}</section>` : '';
}

/** Renders the whole report as one self-contained HTML page. */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const groups = [...targetsByModel(report)];
  const sections: [string, string, string][] = [];
  groups.forEach(([model, targets], i) => {
    sections.push([`model-${i}`, `Model ${model}`, targetsTable(targets) + modelCharts(model, targets)]);
  });
  sections.push(['trade-offs', 'Latency, memory and trade-offs', constraintsSection(report)]);
  sections.push(['gates', 'Gates', gatesTable(report.targets)]);
  sections.push(['reasons', 'Skipped, errors and expected failures', reasonsTable(report.targets)]);
  sections.push(['op-coverage', 'Op coverage (ONNX runtimes)', opCoverageTable(report.opCoverage)]);
  (options.extraSections ?? []).forEach((s, i) => sections.push([`extra-${i}`, s.title, s.html]));
  sections.push(['raw', 'Raw facts', rawFacts(report)]);
  const shown = sections.filter(([, , body]) => body);
  const nav = `<nav>${shown.map(([id, title]) => `<a href="#${h(id)}">${h(title)}</a>`).join('')}</nav>`;
  const title = options.title ?? 'infer-parity report';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${h(title)}: ${h(report.verdict.ok ? 'PASS' : 'FAIL')}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    header(report),
    nav,
    ...shown.map(([id, t, body]) => section(id, t, body)),
    '</body></html>',
    '',
  ].join('\n');
}
