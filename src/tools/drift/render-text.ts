/** Drift report as console text and Markdown. Renderers only read the report. Pure. */
import { escapeMarkdownCell, mdCode } from '../../kernel/render/escape.ts';
import { DASH, fmtNum, fmtPct } from '../../kernel/render/format.ts';
import type { DriftReport, FeatureDrift } from './types.ts';

/** One row of the feature table, as cells. */
export function featureCells(f: FeatureDrift): string[] {
  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pt`;
  return [
    f.name,
    f.kind === 'numeric' ? 'num' : 'cat',
    fmtNum(f.psi),
    f.severity,
    fmtNum(f.significance.null.q99),
    fmtNum(f.significance.pAdjusted, 2),
    f.significance.alarm ? 'DRIFT' : '-',
    f.kind === 'numeric' ? `${fmtNum(f.ks.statistic)} (p ${fmtNum(f.ks.pValue, 2)})` : DASH,
    fmtNum(f.js),
    f.kind === 'categorical' ? `${fmtNum(f.chi2.statistic)} (p ${fmtNum(f.chi2.pValue, 2)})` : DASH,
    pts(f.missingRateDelta),
    fmtPct(f.outOfRangeRate),
    `${fmtPct(f.sparseRate)} (ref ${fmtPct(f.referenceSparseRate)})`,
  ];
}

export const FEATURE_HEADER = [
  'feature',
  'kind',
  'PSI',
  'severity',
  'PSI null q99',
  'p adj',
  'alarm',
  'KS (p)',
  'JS dist',
  'χ² (p)',
  'missing Δ',
  'out of range',
  'sparse',
];

/** Sentences summarising the largest shifts, for the top of every report format. */
export function headlines(r: DriftReport): string[] {
  const out: string[] = [];
  const quiet: string[] = [];
  for (const f of [...r.features].sort((a, b) => b.psi - a.psi)) {
    if (!f.significance.alarm) {
      if (f.severity !== 'none') quiet.push(`${f.name} (PSI ${fmtNum(f.psi)}, ${f.significance.reason.split(':')[0]})`);
      continue;
    }
    if (f.kind === 'numeric') {
      out.push(
        `${f.name}: PSI ${fmtNum(f.psi)} (${f.severity}); mean ${fmtNum(f.reference.mean)} → ${fmtNum(f.current.mean)}, median ${fmtNum(f.reference.median)} → ${fmtNum(f.current.median)}; KS ${fmtNum(f.ks.statistic)} (p ${fmtNum(f.ks.pValue, 2)})${f.outOfRangeRate > 0 ? `; ${fmtPct(f.outOfRangeRate)} outside the ${f.range.source} range [${fmtNum(f.range.min)}, ${fmtNum(f.range.max)}]` : ''}`,
      );
    } else {
      const n = (k: 'reference' | 'current') => f.categories.reduce((s, c) => s + c[k], 0) || 1;
      const moves = [...f.categories]
        .sort((a, b) => Math.abs(b.current / n('current') - b.reference / n('reference')) - Math.abs(a.current / n('current') - a.reference / n('reference')))
        .slice(0, 3);
      out.push(
        `${f.name}: PSI ${fmtNum(f.psi)} (${f.severity}); ${moves.map((c) => `${c.name} ${fmtPct(c.reference / n('reference'))} → ${fmtPct(c.current / n('current'))}`).join(', ')}; χ² p ${fmtNum(f.chi2.pValue, 2)}${f.unseen.length ? `; unseen: ${f.unseen.slice(0, 5).join(', ')}` : ''}`,
      );
    }
    if (Math.abs(f.missingRateDelta) >= 0.05) out.push(`${f.name}: missing rate ${fmtPct(f.reference.missingRate)} → ${fmtPct(f.current.missingRate)}`);
    out.push(`${f.name}: ${f.significance.reason}`);
  }
  if (quiet.length) out.push(`within sampling noise, not drift: ${quiet.join(', ')}`);
  return out;
}

function representativeness(r: DriftReport): string {
  const x = r.representativeness;
  return `${fmtPct(x.nnOutsideRate)} of current rows lie farther from any reference row than the reference's own 99th-percentile neighbour distance (≈1% expected); ${fmtPct(x.anySparseRate)} have a value in a sparse region (reference rows: ${fmtPct(x.referenceAnySparseRate)})`;
}

function prediction(r: DriftReport): string[] {
  const p = r.prediction;
  if (!p) return [];
  const n = (xs: number[]) => xs.reduce((a, b) => a + b, 0) || 1;
  return [
    `prediction drift (${p.output}): max PSI ${fmtNum(p.maxPsi)}; predicted classes ${p.classes.map((c, k) => `${c} ${fmtPct(p.predicted.reference[k]! / n(p.predicted.reference))} → ${fmtPct(p.predicted.current[k]! / n(p.predicted.current))}`).join(', ')} (χ² p ${fmtNum(p.predicted.chi2.pValue, 2)})`,
    ...p.perClass.map(
      (c) =>
        `  P(${c.class}): mean ${fmtNum(c.referenceMean)} → ${fmtNum(c.currentMean)}, PSI ${fmtNum(c.psi)}, KS ${fmtNum(c.ks.statistic)} (p ${fmtNum(c.ks.pValue, 2)})`,
    ),
  ];
}

/** The alarm rule in one sentence, with this report's settings. */
export function significanceRule(r: DriftReport): string {
  const s = r.settings.significance;
  return `a feature drifts when its PSI permutation p-value (${s.permutations} seeded permutations) is ≤ ${s.alpha} after ${s.correction === 'holm' ? "Holm's" : 'Benjamini–Hochberg'} correction over ${r.features.length} features AND its PSI exceeds max(${s.psiFloor}, its null's q${Math.round(s.nullQuantile * 100)})`;
}

function gateLine(g: DriftReport['gates'][number], r: DriftReport): string {
  const alarmOf = (name: string) => r.features.find((f) => f.name === name && g.metric.endsWith('alarm'));
  const fails = g.failures
    .slice(0, 6)
    .map((f) => {
      const a = alarmOf(f.feature);
      return a ? `${f.feature} (PSI ${fmtNum(a.psi)}, p adj ${fmtNum(a.significance.pAdjusted, 2)})` : `${f.feature} ${fmtNum(f.value)}`;
    })
    .join(', ');
  return `${g.passed ? 'pass' : 'FAIL'} ${g.gate}${g.checked === 0 ? ` (${g.note ?? 'nothing to check'})` : ''}${fails ? ` — ${fails}` : ''}`;
}

export function driftToText(r: DriftReport): string {
  const rows = [FEATURE_HEADER, ...r.features.map(featureCells)];
  const widths = FEATURE_HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = [`drift: reference ${r.reference.name} (${r.reference.rows} rows) vs current ${r.current.name} (${r.current.rows} rows)`, ''];
  for (const row of rows) lines.push('  ' + row.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  const heads = headlines(r);
  if (heads.length) lines.push('', 'largest shifts:', ...heads.map((h) => `  - ${h}`));
  lines.push('', `representativeness: ${representativeness(r)}`, ...prediction(r));
  lines.push(`PSI noise floor for these sample sizes ≈ ${fmtNum(r.settings.psiNoiseFloor)}; ${significanceRule(r)}`);
  for (const s of r.skipped) lines.push(`skipped ${s.name}: ${s.reason}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('', 'gates:', ...r.gates.map((g) => `  ${gateLine(g, r)}`), `verdict: ${r.verdict.ok ? 'PASS' : 'FAIL'}`);
  return lines.join('\n') + '\n';
}

export function driftToMarkdown(r: DriftReport): string {
  const out = [
    `# Drift: ${escapeMarkdownCell(r.reference.name)} → ${escapeMarkdownCell(r.current.name)}`,
    '',
    `**${r.verdict.ok ? '✅ all gates pass' : '❌ gates failed'}** — reference ${r.reference.rows} rows, current ${r.current.rows} rows`,
    '',
  ];
  out.push('## Gates', '', ...r.gates.map((g) => `- ${g.passed ? '✅' : '❌'} ${escapeMarkdownCell(gateLine(g, r))}`), '');
  const heads = headlines(r);
  if (heads.length) out.push('## Largest shifts', '', ...heads.map((h) => `- ${escapeMarkdownCell(h)}`), '');
  out.push(
    '## Features',
    '',
    `| ${FEATURE_HEADER.join(' | ')} |`,
    `|${FEATURE_HEADER.map((_, i) => (i < 2 || i === 3 || i === 6 ? '---' : '---:')).join('|')}|`,
  );
  for (const f of r.features) out.push(`| ${featureCells(f).map(escapeMarkdownCell).join(' | ')} |`);
  out.push(
    '',
    '## Representativeness',
    '',
    escapeMarkdownCell(representativeness(r)),
    '',
    ...r.representativeness.method.map((m) => `- ${escapeMarkdownCell(m)}`),
  );
  const pred = prediction(r);
  if (pred.length) out.push('', '## Predictions', '', ...pred.map((l) => `- ${escapeMarkdownCell(l.trim())}`));
  if (r.skipped.length || r.notes.length)
    out.push(
      '',
      '## Notes',
      '',
      ...r.skipped.map((s) => `- skipped ${mdCode(s.name)}: ${escapeMarkdownCell(s.reason)}`),
      ...r.notes.map((n) => `- ${escapeMarkdownCell(n)}`),
    );
  out.push(
    '',
    `_PSI: ${r.settings.psiBins} quantile bins of the reference, empty bins counted as ${r.settings.psiEpsilon}, noise floor ≈ ${fmtNum(r.settings.psiNoiseFloor)} for these sample sizes, missing values a bin of their own; ${escapeMarkdownCell(significanceRule(r))}; KS p-value from the asymptotic Kolmogorov distribution; JS distance base 2; χ² without continuity correction._`,
  );
  return out.join('\n') + '\n';
}
