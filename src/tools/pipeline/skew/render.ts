/** Skew reports as console text and Markdown. Renderers only read the report. Pure. */
import { escapeMarkdownCell, mdCode } from '../../../kernel/render/escape.ts';
import { fmtNum, fmtPct } from '../../../kernel/render/format.ts';
import type { SkewReport } from './types.ts';

function title(r: SkewReport): string {
  return `${r.referenceLabel} vs ${r.candidateLabel} (${r.mode}), ${r.rows} rows, ${r.referenceFeatures} features`;
}

function verdict(r: SkewReport): string {
  const bad = r.features.filter((f) => f.skewed).length;
  return r.skewFound
    ? `SKEW: ${bad} of ${r.features.length} features exceed tolerance (atol ${r.tolerance.atol}, rtol ${r.tolerance.rtol}, max mismatch rate ${r.tolerance.maxMismatchRate})`
    : `no skew: every feature within tolerance (atol ${r.tolerance.atol}, rtol ${r.tolerance.rtol}); max |diff| ${fmtNum(Math.max(0, ...r.features.map((f) => f.maxAbsDiff)))}`;
}

/** Console text: the verdict, the skewed features, then each diagnosis. */
export function skewToText(r: SkewReport): string {
  const lines = [`skew: ${title(r)}`, verdict(r)];
  const skewed = r.features.filter((f) => f.skewed);
  if (skewed.length) {
    const w = Math.max(...skewed.map((f) => f.name.length), 7);
    lines.push('', `  ${'feature'.padEnd(w)}  mismatch        max |diff|`);
    for (const f of skewed)
      lines.push(`  ${f.name.padEnd(w)}  ${fmtPct(f.mismatchRate).padStart(6)} (${String(f.mismatches).padStart(4)})  ${fmtNum(f.maxAbsDiff)}`);
  }
  if (r.diagnoses.length) {
    lines.push('', 'diagnosis:');
    for (const d of r.diagnoses) lines.push(`  - [${d.kind}] ${d.message}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

/** Markdown: verdict, diagnoses, then the full per-feature table. */
export function skewToMarkdown(r: SkewReport): string {
  const out = [`# Feature skew: ${escapeMarkdownCell(title(r))}`, '', `**${r.skewFound ? '❌' : '✅'} ${escapeMarkdownCell(verdict(r))}**`, ''];
  if (r.diagnoses.length) {
    out.push('## Diagnosis', '');
    for (const d of r.diagnoses) out.push(`- ${mdCode(d.kind)} ${escapeMarkdownCell(d.message)}`);
    out.push('');
  }
  out.push(
    '## Features',
    '',
    '| # | feature | mismatches | rate | max abs diff | max rel diff | first rows (ref → cand) |',
    '|---:|---|---:|---:|---:|---:|---|',
  );
  for (const f of r.features) {
    const ex = f.examples
      .slice(0, 3)
      .map((e) => `${e.row + 1}: ${fmtNum(e.reference, 4)} → ${fmtNum(e.candidate, 4)}`)
      .join('; ');
    const name = f.candidateName ? `${f.name} (${f.candidateName})` : f.name;
    out.push(
      `| ${f.index} | ${f.skewed ? '**' : ''}${escapeMarkdownCell(name)}${f.skewed ? '**' : ''} | ${f.mismatches} | ${fmtPct(f.mismatchRate)} | ${fmtNum(f.maxAbsDiff)} | ${fmtNum(f.maxRelDiff)} | ${escapeMarkdownCell(ex)} |`,
    );
  }
  if (r.notes.length) out.push('', ...r.notes.map((n) => `> ${escapeMarkdownCell(n)}`));
  return out.join('\n') + '\n';
}
