/**
 * `run.json`: what judging a run needs beyond its records — references, labels, classifier
 * outputs, tolerances, gates, expected failures, seed. Written beside records.jsonl by
 * `parity run`, so `parity merge` can join shards and judge the union exactly as one run would.
 * Node only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import { reviveNonFinite, toJsonSafe } from '../../kernel/render/json.ts';
import type { JudgeInputs } from '../../tools/run/run-core.ts';
import type { Shard } from '../../tools/run/shard.ts';

export const RUN_META_FILE = 'run.json';

/** The judge's inputs except the records, as JSON (see `JudgeInputs`). */
export type RunMeta = JudgeInputs & {
  schemaVersion: 1;
  /** Every planned target id in plan order (all shards): merge orders and checks by it. */
  plan: string[];
  /** Set when this run was one shard of several. */
  shard?: Shard;
};

export function writeRunMeta(dir: string, meta: RunMeta): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, RUN_META_FILE);
  writeFileSync(path, `${JSON.stringify(toJsonSafe(meta), null, 1)}\n`);
  return path;
}

/** @throws ParityError FILE_NOT_FOUND when `dir` has no run.json. */
export function readRunMeta(dir: string): RunMeta {
  const path = join(dir, RUN_META_FILE);
  if (!existsSync(path)) {
    throw new ParityError(
      'FILE_NOT_FOUND',
      `${path} does not exist; expected a directory written by \`parity run --out DIR\` (records.jsonl + ${RUN_META_FILE})`,
    );
  }
  const meta = JSON.parse(readFileSync(path, 'utf8'), reviveNonFinite) as RunMeta;
  if (meta.schemaVersion !== 1) throw new ParityError('CONFIG_INVALID', `${path}: schemaVersion ${String(meta.schemaVersion)}; this tool reads 1`);
  return meta;
}
