/**
 * replay.md and replay.html from a ReplayReport: the per-slice table (status, n, flip rates,
 * label coverage, accuracy), every cause with its diagnosis, bad log lines, and — for time
 * windows — charts of the flip rate per window, one line per env slice. Pure.
 */
import { escapeHtml, escapeMarkdown } from '../../kernel/render/escape.ts';
import { trendSvg, type TrendSeries } from './svg-trend.ts';
import type { LogProblem, ReplayReport, ReplaySlice } from './types.ts';

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(100 * x).toFixed(x > 0 && x < 0.001 ? 3 : 1)}%`);
const headline = (r: ReplayReport) => r.verdict.headline;
/** `line 12`, or `day2.jsonl line 12` in a multi-file log. */
const where = (p: LogProblem) => `${p.file ? `${p.file} ` : ''}line ${p.line}`;

const COLS = ['slice', 'status', 'n', 'flip rate', 'model flips', 'skew flips', 'labels', 'accuracy (served / ref)', 'causes'] as const;
function row(s: ReplaySlice): string[] {
  return [
    s.key,
    s.status,
    String(s.n),
    pct(s.metrics.flipRate),
    pct(s.metrics.modelFlipRate),
    pct(s.metrics.skewFlipRate),
    pct(s.metrics.labelCoverage),
    s.metrics.accuracy === undefined ? '–' : `${pct(s.metrics.accuracy)} / ${pct(s.metrics.referenceAccuracy)}`,
    s.causes.map((c) => c.kind).join(', ') || '–',
  ];
}

/** Plain text for the console. */
export function replayToText(r: ReplayReport): string {
  const lines = [`replay ${r.log.name} (${r.log.records} records, ${r.slices.length} slices) against ${r.model.name}: ${headline(r)}`];
  for (const s of r.slices) {
    const acc = s.metrics.accuracy === undefined ? '' : ` accuracy=${pct(s.metrics.accuracy)} (reference ${pct(s.metrics.referenceAccuracy)})`;
    lines.push(`  ${s.status === 'ok' ? 'ok ' : 'GAP'} ${s.key}  n=${s.n} flip=${pct(s.metrics.flipRate)} labels=${pct(s.metrics.labelCoverage)}${acc}`);
    for (const c of s.causes) lines.push(`      ${c.kind}: ${c.message}`);
    for (const g of s.gates.filter((g) => !g.passed)) lines.push(`      gate failed: ${g.metric} ${g.op} ${g.threshold} (value ${g.value})`);
    for (const w of s.warnings) lines.push(`      warning: ${w}`);
  }
  for (const p of r.problems) lines.push(`  ${where(p)}: ${p.message}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}

export function replayToMarkdown(r: ReplayReport): string {
  const md = escapeMarkdown;
  const out = [
    `# Replay: ${md(r.log.name)}`,
    '',
    `**${md(headline(r))}**`,
    '',
    `Model ${md(r.model.name)} (output \`${r.model.classifierOutput}\`)${r.pipeline ? `, pipeline ${md(r.pipeline)}` : ''}${r.reference ? `, drift against ${md(r.reference.name)} (${r.reference.rows} rows)` : ''}; sliced by ${md([...r.by, ...(r.window ? [`time:${r.window}`] : [])].join(', ') || 'nothing')}; gates: ${md(r.gates.join(', '))}.`,
    '',
    `| ${COLS.join(' | ')} |`,
    `|${COLS.map(() => '---').join('|')}|`,
    ...r.slices.map((s) => `| ${row(s).map(md).join(' | ')} |`),
    '',
  ];
  for (const s of r.slices.filter((s) => s.causes.length || s.warnings.length)) {
    out.push(`## ${md(s.key)} — ${s.status}`, '');
    for (const c of s.causes) out.push(`- **${c.kind}**: ${md(c.message)}`);
    for (const w of s.warnings) out.push(`- warning: ${md(w)}`);
    out.push('');
  }
  if (r.problems.length) out.push('## Bad log lines', '', ...r.problems.map((p) => `- ${md(where(p))}: ${md(p.message)}`), '');
  if (r.warnings.length) out.push('## Warnings', '', ...r.warnings.map((w) => `- ${md(w)}`), '');
  return out.join('\n');
}

/** Flip rate (and accuracy when labeled) per time window, one line per env slice. */
function timeCharts(r: ReplayReport): string {
  if (!r.window) return '';
  const group = (s: ReplaySlice) =>
    Object.entries(s.tags)
      .filter(([k]) => k !== 'time')
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || 'all';
  const series = (pick: (s: ReplaySlice) => number | undefined): TrendSeries[] => {
    const m = new Map<string, TrendSeries>();
    for (const s of r.slices) {
      const name = group(s);
      const v = pick(s);
      if (!m.has(name)) m.set(name, { name, points: [] });
      m.get(name)!.points.push({ t: s.tags.time ?? '', v: v ?? NaN });
    }
    return [...m.values()];
  };
  const flipGate = r.gates.map((g) => /^flipRate <= (.*)$/.exec(g)).find(Boolean);
  const charts = [
    trendSvg(
      `decision flip rate per ${r.window} window`,
      series((s) => s.metrics.flipRate),
      flipGate ? { threshold: Number(flipGate[1]) } : {},
    ),
  ];
  if (r.slices.some((s) => s.metrics.accuracy !== undefined))
    charts.push(
      trendSvg(
        `served accuracy per ${r.window} window`,
        series((s) => s.metrics.accuracy),
      ),
    );
  return `<h2>Over time</h2>${charts.join('')}`;
}

export function replayToHtml(r: ReplayReport): string {
  const h = escapeHtml;
  const rows = r.slices
    .map(
      (s) =>
        `<tr class="${s.status}">${row(s)
          .map((c) => `<td>${h(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const details = r.slices
    .filter((s) => s.causes.length || s.warnings.length)
    .map(
      (s) =>
        `<h3>${h(s.key)} — ${s.status}</h3><ul>${s.causes.map((c) => `<li><b>${c.kind}</b>: ${h(c.message)}</li>`).join('')}${s.warnings.map((w) => `<li>warning: ${h(w)}</li>`).join('')}</ul>`,
    )
    .join('');
  const problems = r.problems.length ? `<h2>Bad log lines</h2><ul>${r.problems.map((p) => `<li>${h(where(p))}: ${h(p.message)}</li>`).join('')}</ul>` : '';
  const warnings = r.warnings.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>replay ${h(r.log.name)}</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
tr.gap td{background:#fde8e8}tr.ok td:nth-child(2){color:#1a7f37}tr.gap td:nth-child(2){color:#b00;font-weight:bold}</style></head><body>
<h1>Replay: ${h(r.log.name)}</h1><p><b>${h(headline(r))}</b></p><p>Model ${h(r.model.name)} (output <code>${h(r.model.classifierOutput)}</code>); gates: ${h(r.gates.join(', '))}.</p>
<table><thead><tr>${COLS.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
${timeCharts(r)}${details ? `<h2>Causes</h2>${details}` : ''}${problems}${warnings}</body></html>
`;
}
