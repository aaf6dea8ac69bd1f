/**
 * junit.xml for CI test tabs (GitHub test reporters, GitLab, Jenkins). One `<testsuite>` per
 * model; per target one `<testcase>` for the target itself and one per gate result, named
 * `gate <metric> <op> <threshold> [<target id>]`. Pure: no Node imports.
 *
 * Mapping: skipped → `<skipped>`; error → `<error>`; failed → `<failure>` listing the failing
 * outputs and gates; an expected failure → `<skipped message="expected failure: …">` (as pytest
 * reports xfail); an unexpected pass → `<failure>`, so the stale declaration gets noticed. A pass
 * with warnings lists them in `<system-out>`; a failure lists them after its details.
 */
import type { GateResult, Report, TargetVerdict } from '../judge/types.ts';
import { escapeXml } from './escape.ts';
import { displayStatus, failedGates, failingOutputs, failureDetails, gateExplain, gateLabel, targetsByModel } from './view.ts';

interface Case {
  name: string;
  classname: string;
  timeS: number;
  /** Child element (already XML), empty for a pass. */
  body: string;
  kind: 'pass' | 'failure' | 'error' | 'skipped';
}

/** A quoted attribute value; whitespace escaped as character references, which parsers would otherwise fold into spaces. */
const attr = (s: string): string => `"${escapeXml(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`;

function child(kind: 'failure' | 'error' | 'skipped', message: string, type?: string, text?: string): string {
  const typeAttr = type ? ` type=${attr(type)}` : '';
  if (!text) return `<${kind} message=${attr(message)}${typeAttr}/>`;
  return `<${kind} message=${attr(message)}${typeAttr}>${escapeXml(text)}</${kind}>`;
}

/** Measured wall time of a target in seconds, approximated from its latency stats. */
function timeOf(t: TargetVerdict): number {
  const l = t.latency;
  if (!l) return 0;
  const s = (l.loadMs + l.firstRunMs + l.meanMs * l.iterations) / 1000;
  return Number.isFinite(s) ? s : 0;
}

function targetCase(t: TargetVerdict): Case {
  const base = { name: t.id, classname: t.model, timeS: timeOf(t) };
  const reason = t.reason ?? 'no reason recorded';
  switch (displayStatus(t)) {
    case 'pass':
      return { ...base, body: '', kind: 'pass' };
    case 'warn':
      return { ...base, body: `<system-out>${escapeXml((t.warnings ?? []).map((w) => `warning: ${w}`).join('\n'))}</system-out>`, kind: 'pass' };
    case 'skip':
    case 'na':
      return { ...base, body: child('skipped', reason), kind: 'skipped' };
    case 'xfail':
      return {
        ...base,
        body: child('skipped', `expected failure: ${t.expectedFailure?.reason ?? ''}`, undefined, [`status: ${t.status}`, ...failureDetails(t)].join('\n')),
        kind: 'skipped',
      };
    case 'xpass': {
      const msg = `unexpectedly passed; remove the expectedFailures entry (${t.expectedFailure?.reason ?? ''})`;
      return { ...base, body: child('failure', msg, 'unexpected-pass'), kind: 'failure' };
    }
    case 'error':
      return { ...base, body: child('error', reason, t.errorCode ?? 'error', reason), kind: 'error' };
    case 'fail': {
      const outputs = failingOutputs(t);
      const gates = failedGates(t);
      const parts = [
        outputs.length && `${outputs.length} output${outputs.length > 1 ? 's' : ''} out of tolerance (${outputs.map(([n]) => n).join(', ')})`,
        gates.length && `${gates.length} gate${gates.length > 1 ? 's' : ''} failed`,
      ].filter(Boolean);
      const message = parts.join('; ') || t.reason || 'failed';
      const warnings = (t.warnings ?? []).map((w) => `warning: ${w}`);
      return { ...base, body: child('failure', message, 'parity', [...failureDetails(t), ...warnings].join('\n')), kind: 'failure' };
    }
  }
}

function gateCase(t: TargetVerdict, g: GateResult): Case {
  const base = { name: `gate ${gateLabel(g)} [${t.id}]`, classname: t.model, timeS: 0 };
  // A target that did not run has no measured value: its gates were not evaluated, not passed.
  if (t.status === 'skipped') return { ...base, body: child('skipped', `not evaluated: ${t.id} did not run`), kind: 'skipped' };
  if (g.passed) {
    return g.value === null
      ? { ...base, body: child('skipped', g.note ?? 'not applicable to this target'), kind: 'skipped' }
      : { ...base, body: '', kind: 'pass' };
  }
  if (displayStatus(t) === 'xfail') {
    return { ...base, body: child('skipped', `expected failure: ${t.expectedFailure?.reason ?? ''}`, undefined, gateExplain(g)), kind: 'skipped' };
  }
  return { ...base, body: child('failure', gateExplain(g), 'gate'), kind: 'failure' };
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function count(cases: readonly Case[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.kind === 'failure').length,
    errors: cases.filter((c) => c.kind === 'error').length,
    skipped: cases.filter((c) => c.kind === 'skipped').length,
    time: cases.reduce((s, c) => s + c.timeS, 0),
  };
}

function countAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${c.time.toFixed(3)}"`;
}

function renderCase(c: Case): string {
  const open = `    <testcase name=${attr(c.name)} classname=${attr(c.classname)} time="${c.timeS.toFixed(3)}"`;
  return c.body ? `${open}>\n      ${c.body}\n    </testcase>` : `${open}/>`;
}

/** Renders the report as JUnit XML (the common Ant/Surefire dialect). */
export function renderJunit(report: Report): string {
  const suites: string[] = [];
  const all: Case[] = [];
  for (const [model, targets] of targetsByModel(report)) {
    // Not-applicable targets (impossible by construction) are no test cases; report.json keeps them.
    const cases = targets.filter((t) => displayStatus(t) !== 'na').flatMap((t) => [targetCase(t), ...t.gates.map((g) => gateCase(t, g))]);
    all.push(...cases);
    const props = [
      ['reference', report.references[model] ?? report.reference],
      ['seed', String(report.config.seed)],
      ['samples', String(report.config.samples)],
    ].map(([k, v]) => `      <property name=${attr(k!)} value=${attr(v!)}/>`);
    suites.push(
      [
        `  <testsuite name=${attr(model)} ${countAttrs(count(cases))} timestamp=${attr(report.createdAt)}>`,
        '    <properties>',
        ...props,
        '    </properties>',
        ...cases.map(renderCase),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(report.tool.name)} ${countAttrs(count(all))}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
