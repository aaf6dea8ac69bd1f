/** A text pipeline's skew report as console text and Markdown. Renderers only read the report. Pure. */
import { escapeMarkdownCell, mdCode } from '../../../kernel/render/escape.ts';
import { fmtPct } from '../../../kernel/render/format.ts';
import type { TokenMismatchExample, TokenizerSkewReport } from './tokenizer-types.ts';

function title(r: TokenizerSkewReport): string {
  return `${r.referenceLabel} (${r.libraries.reference}) vs ${r.candidateLabel} (${r.libraries.candidate}), ${r.samples} texts from column '${r.textColumn}'`;
}

function headline(r: TokenizerSkewReport): string {
  const decisions = r.decisions ? `; ${r.decisions.flips} of ${r.decisions.samples} decisions of ${r.decisions.model} differ` : '';
  return r.skewFound
    ? `SKEW: ${r.mismatched} of ${r.samples} texts (${fmtPct(r.mismatchRate)}) get different ids or masks, ${r.tokenMismatches} positions in all${decisions}`
    : `no skew: every text gets the same ids and masks${r.mismatched ? ` (${r.mismatched} within the allowed rate ${r.maxMismatchRate})` : ''}${decisions}`;
}

const show = (e: TokenMismatchExample) =>
  `row ${e.row + 1} @${e.position}: ${e.reference.token ?? '∅'} (${e.reference.id ?? '-'}) vs ${e.candidate.token ?? '∅'} (${e.candidate.id ?? '-'}); ` +
  `[${e.context.reference.join(' ')}] vs [${e.context.candidate.join(' ')}]`;

/** Console text: the verdict, each diagnosis, then the first differing samples. */
export function tokenizerSkewToText(r: TokenizerSkewReport): string {
  const lines = [`skew: ${title(r)}`, headline(r)];
  if (r.diagnoses.length) {
    lines.push('', 'diagnosis:');
    for (const d of r.diagnoses) lines.push(`  - [${d.kind}] ${d.message}`);
  }
  if (r.examples.length) {
    lines.push('', 'first differing texts:');
    for (const e of r.examples) lines.push(`  ${show(e)}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

/** Markdown: verdict, diagnoses with affected share and flips, then examples. */
export function tokenizerSkewToMarkdown(r: TokenizerSkewReport): string {
  const out = [`# Tokenizer skew: ${escapeMarkdownCell(title(r))}`, '', `**${r.skewFound ? '❌' : '✅'} ${escapeMarkdownCell(headline(r))}**`, ''];
  if (r.diagnoses.length) {
    out.push('## Diagnosis', '', '| cause | affected | share | decisions flipped | what |', '|---|---:|---:|---:|---|');
    for (const d of r.diagnoses)
      out.push(`| ${mdCode(d.kind)} | ${d.affected} | ${fmtPct(d.affectedShare)} | ${d.flips ?? '—'} | ${escapeMarkdownCell(d.message)} |`);
    out.push('');
  }
  if (r.examples.length) out.push('## First differing texts', '', ...r.examples.map((e) => `- ${escapeMarkdownCell(show(e))}`));
  return out.join('\n') + '\n';
}
