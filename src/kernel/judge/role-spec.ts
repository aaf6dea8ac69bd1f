/**
 * Output roles: what an output means to the user's application (a classifier's class, a CTC
 * recognizer's text, an embedding's neighbours...), with the options a role takes. Given in the
 * manifest (`roles`), the config (`roles`) or on the CLI (`--task OUTPUT=ROLE[:key=value,...]`),
 * else inferred (src/kernel/judge/role-infer.ts) with the guess and its evidence recorded.
 * Pure: no Node imports.
 */
import { choices, ParityError } from '../core/errors.ts';

/** Every role an output can have. `tensor`: no task known, the scale-free tensor rule decides. */
export const ROLE_NAMES = ['classifier', 'binary', 'multilabel', 'ctc', 'tokens', 'embedding', 'regression', 'segmentation', 'score-map', 'tensor'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/**
 * Options a role takes (all optional, each with its default):
 * - `threshold` (binary, multilabel, score-map): decision threshold on probabilities. @default 0.5
 *   (a logit output — values outside [0, 1] — is compared at logit 0, i.e. probability 0.5)
 * - `blank` (ctc): the blank class index. @default 0
 * - `axis` (ctc, tokens, segmentation): the class axis of one sample (negative counts from the end). @default -1 (segmentation: 1, the NCHW channel axis, when rank is 4)
 * - `k` (classifier, tokens: top-k; embedding: neighbours). @default 5
 */
export interface RoleOptions {
  threshold?: number;
  blank?: number;
  axis?: number;
  k?: number;
}

/** A role given for one output (manifest, config or `--task`). */
export interface RoleSpec {
  role: RoleName;
  options?: RoleOptions;
}

/** Where a role came from. `inferred` roles carry the evidence; `default` is `tensor` for lack of evidence. */
export type RoleSource = 'manifest' | 'config' | 'cli' | 'inferred' | 'default';

/** The role an output was judged with, and why. */
export interface ResolvedRole extends RoleSpec {
  source: RoleSource;
  /** Why this role (always set when inferred or default), e.g. "rank 3 [1,40,6625], rows sum to 1 (softmax over the last axis)". */
  evidence?: string;
}

const NUMERIC_OPTIONS = ['threshold', 'blank', 'axis', 'k'] as const;

/**
 * Parses one `--task` value: `OUTPUT=ROLE[:key=value,...]`, e.g. `softmax_11.tmp_0=ctc:blank=0`.
 * An output name may contain `=`: the separator is the last `=` followed by a role name.
 * @throws ParityError CONFIG_INVALID naming what was wrong and the valid choices.
 */
export function parseTaskFlag(text: string): { output: string; spec: RoleSpec } {
  const bad = (what: string): never => {
    throw new ParityError(
      'CONFIG_INVALID',
      `--task '${text.slice(0, 120)}': ${what}; expected OUTPUT=ROLE[:key=value,...] with ROLE one of ${choices(ROLE_NAMES)}`,
    );
  };
  const at = findRoleSeparator(text);
  if (at < 0) bad('no "="');
  const output = text.slice(0, at).trim();
  const rest = text.slice(at + 1);
  const [roleText, optionText] = splitOnce(rest, ':');
  if (!output) bad('empty output name');
  const spec = validateRoleSpec({ role: roleText.trim() as RoleName, options: parseOptions(optionText, bad) }, `--task ${output}`);
  return { output, spec };
}

/** Index of the `=` that separates the output name from a known role name (the last such one). */
function findRoleSeparator(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] !== '=') continue;
    const role = splitOnce(text.slice(i + 1), ':')[0].trim();
    if ((ROLE_NAMES as readonly string[]).includes(role)) return i;
  }
  return text.indexOf('=');
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function parseOptions(text: string | undefined, bad: (what: string) => never): RoleOptions | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: RoleOptions = {};
  for (const pair of text.split(',')) {
    const [k, v] = splitOnce(pair, '=');
    const key = k.trim();
    if (!(NUMERIC_OPTIONS as readonly string[]).includes(key)) bad(`unknown option '${key}' (options: ${NUMERIC_OPTIONS.join(', ')})`);
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isFinite(n)) bad(`option ${key} needs a number, got '${v ?? ''}'`);
    out[key as (typeof NUMERIC_OPTIONS)[number]] = n;
  }
  return out;
}

/**
 * Checks a role given as data (manifest, config, flag); returns it unchanged.
 * @throws ParityError CONFIG_INVALID (unknown role, unknown option, option out of range).
 */
export function validateRoleSpec(spec: RoleSpec, where: string): RoleSpec {
  const bad = (what: string): never => {
    throw new ParityError('CONFIG_INVALID', `${where}: ${what}`);
  };
  if (typeof spec !== 'object' || spec === null) bad(`expected { role, options? }, got ${String(spec)}`);
  if (!(ROLE_NAMES as readonly string[]).includes(spec.role)) bad(`unknown role '${String(spec.role)}'; expected one of ${choices(ROLE_NAMES)}`);
  const o = spec.options ?? {};
  for (const [k, v] of Object.entries(o)) {
    if (!(NUMERIC_OPTIONS as readonly string[]).includes(k)) bad(`unknown option '${k}' (options: ${NUMERIC_OPTIONS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`option ${k} must be a finite number, got ${String(v)}`);
  }
  if (o.threshold !== undefined && !(o.threshold > 0 && o.threshold < 1)) bad(`threshold must be in (0, 1), got ${o.threshold}`);
  for (const k of ['blank', 'k'] as const) if (o[k] !== undefined && !(Number.isInteger(o[k]) && o[k]! >= 0)) bad(`${k} must be an integer >= 0, got ${o[k]}`);
  if (o.axis !== undefined && !Number.isInteger(o.axis)) bad(`axis must be an integer, got ${o.axis}`);
  return spec;
}
