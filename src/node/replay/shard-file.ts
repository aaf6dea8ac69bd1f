/**
 * One shard's mergeable replay statistics on disk (`replay-shard-<i>-of-<n>.json`), and their
 * merge: every shard of the same run present exactly once, then per-slice statistics joined with
 * src/tools/replay/slice-stats.ts — exactly the statistics of one unsharded pass. A missing,
 * repeated or foreign shard is an error naming it, never a report that looks complete.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import type { LogTally } from '../../tools/replay/engine.ts';
import type { ShardSpec } from '../../tools/replay/request-hash.ts';
import type { SliceSpec } from '../../tools/replay/slice.ts';
import { mergeSliceStats, type SliceStats } from '../../tools/replay/slice-stats.ts';

export const SHARD_FILE_KIND = 'parity-replay-shard';

/** What one shard measured. */
export interface ShardFile {
  shard: ShardSpec;
  spec: SliceSpec;
  output: string;
  classes?: string[];
  /** Rows kept per slice for the skew and drift tests (the merge keeps as many). */
  sampleSize: number;
  tally: LogTally;
  warnings: string[];
  slices: SliceStats[];
}

/** The run a shard belongs to: the flags that must agree for shards to merge, and what merge reloads. */
export interface ShardRun {
  log: string;
  model: string;
  pipeline?: string;
  reference?: string;
  labels?: string;
  by?: string;
  gates?: string[];
  output?: string;
  /** sha256 of the model, pipeline and reference files. */
  fingerprint: string;
}

export interface ShardDocument extends ShardFile {
  kind: typeof SHARD_FILE_KIND;
  schemaVersion: 1;
  run: ShardRun;
}

/** 1-based in the name, as `--shard i/n` is written. */
export const shardFileName = (s: ShardSpec) => `replay-shard-${s.index + 1}-of-${s.count}.json`;

/** Typed arrays (reference outputs, recomputed features) as plain arrays; numbers survive JSON exactly. */
export function encodeShard(doc: ShardDocument): string {
  return JSON.stringify(doc, (_k, v: unknown) =>
    ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float32Array) : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
}

const revive = (_k: string, v: unknown) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

/** The shard files in `dirs` (each a folder holding replay-shard-*.json, or such a file). */
export function readShards(dirs: readonly string[]): { path: string; doc: ShardDocument }[] {
  const paths = dirs.flatMap((d) => {
    if (!existsSync(d)) throw new ParityError('FILE_NOT_FOUND', `replay merge: '${d}' does not exist`);
    if (!statSync(d).isDirectory()) return [d];
    const found = readdirSync(d)
      .filter((f) => /^replay-shard-\d+-of-\d+\.json$/.test(f))
      .map((f) => join(d, f));
    if (!found.length)
      throw new ParityError('INPUT_DATA', `replay merge: '${d}' holds no replay-shard-<i>-of-<n>.json (written by parity replay --shard i/n --out DIR)`);
    return found;
  });
  return paths.map((path) => {
    let doc: ShardDocument;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'), revive) as ShardDocument;
    } catch (e) {
      throw new ParityError('INPUT_DATA', `${path}: not a readable shard file (${(e as Error).message.slice(0, 200)}); was its shard interrupted?`);
    }
    if (doc.kind !== SHARD_FILE_KIND || !doc.shard || !Array.isArray(doc.slices))
      throw new ParityError('INPUT_DATA', `${path}: not a replay shard file (no kind '${SHARD_FILE_KIND}')`);
    return { path, doc };
  });
}

/** Joins every shard of one run. @throws ParityError INPUT_DATA when a shard is missing, repeated or from another run. */
export function mergeShards(shards: readonly { path: string; doc: ShardDocument }[]): ShardDocument {
  const first = shards[0];
  if (!first) throw new ParityError('INPUT_DATA', 'replay merge: no shard files');
  const n = first.doc.shard.count;
  const key = (d: ShardDocument) => JSON.stringify({ ...d.run, count: d.shard.count, spec: d.spec, output: d.output, sampleSize: d.sampleSize });
  for (const s of shards)
    if (key(s.doc) !== key(first.doc))
      throw new ParityError(
        'INPUT_DATA',
        `replay merge: ${s.path} is from another run than ${first.path} (log, model, flags or shard count differ); merge the shards of one run`,
      );
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const seen = byIndex.get(s.doc.shard.index);
    if (seen) throw new ParityError('INPUT_DATA', `replay merge: shard ${s.doc.shard.index + 1}/${n} appears twice (${seen} and ${s.path})`);
    byIndex.set(s.doc.shard.index, s.path);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new ParityError(
      'INPUT_DATA',
      `replay merge: shard(s) ${missing.map((i) => `${i + 1}/${n}`).join(', ')} missing of ${n} — a shard that died is not merged as if complete; rerun it (parity replay --shard i/${n}) and merge again`,
    );
  const ordered = [...shards].sort((a, b) => a.doc.shard.index - b.doc.shard.index).map((s) => s.doc);
  const slices = new Map<string, SliceStats>();
  for (const d of ordered)
    for (const s of d.slices) {
      const had = slices.get(s.key);
      slices.set(s.key, had ? mergeSliceStats(had, s, first.doc.sampleSize) : s);
    }
  const tally: LogTally = { lines: 0, records: 0, problems: [], unlistedProblems: 0 };
  for (const d of ordered) {
    tally.lines += d.tally.lines;
    tally.records += d.tally.records;
    tally.problems.push(...d.tally.problems);
    tally.unlistedProblems += d.tally.unlistedProblems;
  }
  return { ...first.doc, shard: { index: 0, count: n }, tally, warnings: [...new Set(ordered.flatMap((d) => d.warnings))], slices: [...slices.values()] };
}
