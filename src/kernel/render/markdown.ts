/**
 * summary.md: a Markdown summary sized for a GitHub Actions job summary (`$GITHUB_STEP_SUMMARY`)
 * or a PR comment. Headline verdict, unexpected passes called out first, one table per model,
 * then what failed and why, and the warnings of comparisons that may mean little. Pure: no Node imports.
 */
import { budgetLine } from './html-constraints.ts';
import type { Report, TargetVerdict } from '../judge/types.ts';
import { escapeMarkdown, escapeMarkdownCell, mdCode } from './escape.ts';
import {
  COLUMNS,
  DISPLAY_STATUSES,
  displayStatus,
  failedGates,
  failingOutputs,
  gateExplain,
  notApplicableLines,
  outputExplain,
  targetCells,
  targetsByModel,
  type DisplayStatus,
} from './view.ts';

const STATUS_ICON: Record<DisplayStatus, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  na: '➖',
  error: '💥',
  xfail: '☑️',
  xpass: '🚨',
};

function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function modelTable(targets: readonly TargetVerdict[]): string[] {
  const head = tableRow(COLUMNS.map((c) => c.title));
  const rule = tableRow(COLUMNS.map((c) => (c.numeric ? '---:' : '---')));
  const rows = targets.map((t) => {
    const cells = targetCells(t);
    return tableRow(
      COLUMNS.map((c) => {
        if (c.key === 'target') return `${mdCode(t.id)}${t.isReference ? ' **(reference)**' : ''}`;
        if (c.key === 'status') return `${STATUS_ICON[displayStatus(t)]} ${escapeMarkdownCell(cells.status)}`;
        return escapeMarkdownCell(cells[c.key]);
      }),
    );
  });
  return [head, rule, ...rows];
}

/** Bullets explaining failed targets: failed gates (value vs threshold) and failing outputs. */
function failureLines(targets: readonly TargetVerdict[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    const s = displayStatus(t);
    const gates = failedGates(t);
    const outputs = failingOutputs(t);
    if (s === 'xfail' || s === 'skip' || s === 'error' || (gates.length === 0 && outputs.length === 0)) continue;
    out.push(`- ${mdCode(t.id)} ${s === 'pass' ? '' : `${STATUS_ICON[s]} **${escapeMarkdown(DISPLAY_STATUSES[s].label)}**`}`.trimEnd());
    for (const g of gates) out.push(`  - gate failed: ${escapeMarkdown(gateExplain(g))}`);
    for (const [name, m] of outputs) out.push(`  - ${escapeMarkdown(outputExplain(name, m))}`);
  }
  return out;
}

function notRunLines(targets: readonly TargetVerdict[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    const s = displayStatus(t);
    const reason = escapeMarkdownCell(t.reason ?? 'no reason recorded');
    if (s === 'skip') out.push(`- ${mdCode(t.id)} skipped: ${reason}`);
    else if (s === 'error') out.push(`- ${mdCode(t.id)} **error**${t.errorCode ? ` \\[${escapeMarkdown(t.errorCode)}\\]` : ''}: ${reason}`);
    else if (s === 'xfail') {
      const declared = escapeMarkdown(t.expectedFailure?.reason ?? '');
      out.push(`- ${mdCode(t.id)} failed as expected (${escapeMarkdown(t.status)}${t.reason ? `: ${reason}` : ''}); declared: ${declared}`);
    }
  }
  return out;
}

/** Bullets for targets whose comparison carries warnings (degenerate reference, implausible inputs). */
function warningLines(targets: readonly TargetVerdict[]): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (!t.warnings?.length) continue;
    out.push(`- ${mdCode(t.id)} ${STATUS_ICON.warn} ${t.warnings.length} warning${t.warnings.length > 1 ? 's' : ''}`);
    for (const w of t.warnings) out.push(`  - ${escapeMarkdown(w)}`);
  }
  return out;
}

function unexpectedPassCallout(report: Report): string[] {
  const xpass = report.targets.filter((t) => displayStatus(t) === 'xpass');
  if (xpass.length === 0) return [];
  return [
    '> [!CAUTION]',
    `> **${xpass.length} UNEXPECTED PASS${xpass.length > 1 ? 'ES' : ''}**: declared as expected failures but passed. ` +
      'Remove the entries from `expectedFailures` so the fix stays guarded.',
    ...xpass.map((t) => `> - ${mdCode(t.id)}: declared reason: ${escapeMarkdown(t.expectedFailure?.reason ?? '')}`),
    '',
  ];
}

function environmentDetails(report: Report): string[] {
  const entries = Object.entries(report.environment).filter(([, v]) => v !== undefined && v !== null);
  if (entries.length === 0) return [];
  const rows = entries.map(([k, v]) => tableRow([escapeMarkdownCell(k), escapeMarkdownCell(typeof v === 'object' ? JSON.stringify(v) : String(v))]));
  return ['<details><summary>Environment</summary>', '', '| fact | value |', '| --- | --- |', ...rows, '', '</details>', ''];
}

/** Renders the whole report as GitHub-flavoured Markdown. */
export function renderMarkdown(report: Report): string {
  const verdict = report.verdict;
  const c = report.config;
  const lines: string[] = [
    `## ${verdict.ok ? '✅' : '❌'} infer-parity: ${verdict.ok ? 'PASS' : 'FAIL'}`,
    '',
    `**${escapeMarkdown(verdict.headline)}**`,
    '',
    `Reference: ${Object.values(report.references).map(mdCode).join(', ') || mdCode(report.reference)} · ` +
      `${c.samples} samples · seed ${c.seed} · ${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)} · ` +
      `${escapeMarkdown(report.createdAt)}`,
    '',
    ...unexpectedPassCallout(report),
    ...(report.budget ? [escapeMarkdown(budgetLine(report)), ''] : []),
  ];
  for (const [model, all] of targetsByModel(report)) {
    const notApplicable = all.filter((t) => displayStatus(t) === 'na');
    const targets = all.filter((t) => displayStatus(t) !== 'na');
    lines.push(`### ${escapeMarkdown(model)}`, '', ...modelTable(targets), '');
    if (notApplicable.length)
      lines.push(
        `${STATUS_ICON.na} Not applicable (${notApplicable.length}, known before the run): ${notApplicableLines(notApplicable).map(escapeMarkdown).join('; ')}`,
        '',
      );
    const failures = failureLines(targets);
    if (failures.length) lines.push('**Failures**', '', ...failures, '');
    const warnings = warningLines(targets);
    if (warnings.length) lines.push('**Warnings**', '', ...warnings, '');
    const notRun = notRunLines(targets);
    if (notRun.length) lines.push('**Skipped, errors and expected failures**', '', ...notRun, '');
  }
  lines.push(...environmentDetails(report));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
