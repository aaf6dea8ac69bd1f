/**
 * `--shard i/n`: splits a run's targets across machines without a scheduler. Targets are dealt
 * round-robin in plan order (models in order, then variants × backends, Node before browser), so
 * every machine computes the same split from the same config. The reference of each model runs
 * in every shard: each shard's report judges on its own, and `parity merge` re-judges the union.
 * Pure.
 */
import { ParityError } from '../../kernel/core/errors.ts';

/** Shard `index` (1-based) of `total`. */
export interface Shard {
  index: number;
  total: number;
}

/** Parses `i/n` (1 ≤ i ≤ n). @throws ParityError USAGE with the expected form. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) {
    throw new ParityError('USAGE', `--shard '${text}': expected i/n with 1 <= i <= n, e.g. --shard 1/3`);
  }
  return { index, total };
}

/**
 * A stateful filter over targets in plan order: true for the references and for every
 * `total`-th other target starting at `index`. Without a shard everything is kept.
 */
export function shardFilter(shard: Shard | undefined): (isReference: boolean) => boolean {
  let dealt = 0;
  return (isReference) => {
    if (!shard || isReference) return true;
    return dealt++ % shard.total === shard.index - 1;
  };
}

export function describeShard(shard: Shard): string {
  return `shard ${shard.index}/${shard.total}`;
}
