/**
 * The terminal summary: one cli-table3 row per target, then failed gates, failing outputs,
 * reasons for skips and errors, unexpected passes, and the verdict line. Returns a string; the
 * caller prints it. Colors are plain ANSI codes, only when asked for.
 */
import Table from 'cli-table3';
import type { Report } from '../../kernel/judge/types.ts';
import { sanitizeText } from '../../kernel/render/escape.ts';
import { budgetLine } from '../../kernel/render/html-constraints.ts';
import {
  COLUMNS,
  displayStatus,
  failedGates,
  failingOutputs,
  gateExplain,
  groupedWarnings,
  idList,
  notApplicableLines,
  outputExplain,
  targetCells,
  targetsByModel,
  type DisplayStatus,
} from '../../kernel/render/view.ts';

export interface ConsoleOptions {
  /** Color statuses and the verdict with ANSI codes. Usually `stream.isTTY && !env.NO_COLOR`. */
  color: boolean;
}

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, gray: 90, bold: 1 } as const;
type Paint = (code: keyof typeof ANSI, s: string) => string;

const STATUS_COLOR: Record<DisplayStatus, keyof typeof ANSI> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skip: 'gray',
  na: 'gray',
  error: 'yellow',
  xfail: 'magenta',
  xpass: 'red',
};

/** Renders the report for a terminal. */
export function renderConsoleTable(report: Report, options: ConsoleOptions): string {
  const paint: Paint = options.color ? (code, s) => `\u001b[${ANSI[code]}m${s}\u001b[0m` : (_code, s) => s;
  const columns = COLUMNS.filter((c) => c.console);
  const table = new Table({
    head: columns.map((c) => c.title),
    colAligns: columns.map((c) => (c.numeric ? 'right' : 'left')),
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['gray'] : [], compact: true },
  });
  const notes: string[] = [];
  /** Runtime text can carry its own ANSI codes and newlines: strip them, indent continuations. */
  const text = (s: string | undefined) => sanitizeText(s ?? 'no reason recorded').replace(/\r?\n/g, '\n    ');
  const notApplicable = report.targets.filter((t) => displayStatus(t) === 'na');
  for (const targets of targetsByModel(report).values()) {
    for (const t of targets) {
      const s = displayStatus(t);
      // Impossible by construction: one summary line below, no row.
      if (s === 'na') continue;
      const cells = targetCells(t);
      table.push(
        columns.map((c) => {
          if (c.key === 'status') return paint(STATUS_COLOR[s], cells.status);
          if (c.key === 'target') return t.isReference ? `${t.id} ${paint('gray', '(ref)')}` : t.id;
          return cells[c.key];
        }),
      );
      const id = paint('bold', t.id);
      if (s === 'xpass') {
        notes.push(`${paint('red', 'UNEXPECTED PASS')} ${id}: declared expected failure (${t.expectedFailure?.reason ?? ''}) now passes; remove the entry`);
      }
      if (s !== 'xfail') {
        const before = notes.length;
        for (const g of failedGates(t)) notes.push(`${paint('red', 'gate failed')} ${id}: ${gateExplain(g)}`);
        for (const [name, m] of failingOutputs(t)) {
          const role = t.roles?.[name];
          notes.push(
            role?.reason && role.role.role !== 'tensor'
              ? `${paint('red', 'task')} ${id}: ${text(role.reason)}`
              : `${paint('red', 'mismatch')} ${id}: ${outputExplain(name, m)}`,
          );
        }
        // A failure with no failing gate or output (an implausible reference): its reason.
        if (s === 'fail' && notes.length === before) notes.push(`${paint('red', 'failed')} ${id}: ${text(t.reason)}`);
      }
      // An inferred role is stated, never silent (issue 20): once per model, on its reference.
      if (t.isReference) {
        for (const [name, r] of Object.entries(t.roles ?? {})) {
          if (r.role.source === 'inferred')
            notes.push(
              `${paint('gray', 'role')} ${t.model} output ${name}: ${r.role.role} (inferred: ${text(r.role.evidence)}; --task ${name}=ROLE to change)`,
            );
        }
      }
      if (s === 'skip') notes.push(`${paint('gray', 'skipped')} ${id}: ${text(t.reason)}`);
      if (s === 'error') notes.push(`${paint('yellow', 'error')} ${id}${t.errorCode ? ` [${t.errorCode}]` : ''}: ${text(t.reason)}`);
      if (s === 'xfail') notes.push(`${paint('magenta', 'expected failure')} ${id}: ${text(t.expectedFailure?.reason)}`);
    }
  }
  // A warning several targets share is printed once, naming them.
  for (const w of groupedWarnings(report.targets)) {
    const who = w.ids.length === 1 ? paint('bold', w.ids[0]!) : `${w.ids.length} targets (${idList(w.ids)})`;
    notes.push(`${paint('yellow', 'warning')} ${who}: ${text(w.text)}`);
  }
  if (notApplicable.length) {
    notes.push(`${paint('gray', 'not applicable:')} ${notApplicable.length} targets, known before the run:`);
    for (const line of notApplicableLines(notApplicable)) notes.push(`  ${line}`);
  }
  const verdict = report.verdict;
  const headline = paint('bold', paint(verdict.ok ? 'green' : 'red', verdict.headline));
  const budget = budgetLine(report);
  return [table.toString(), ...notes, ...(budget ? [budget] : []), headline, ''].join('\n');
}
