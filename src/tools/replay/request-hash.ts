/**
 * The request-id hash that places a request in a shard (`--shard i/n`) and orders the bottom-k
 * sample of its slice. Written here, not taken from the reading engine, so shards and samples
 * stay the same whichever engine (or version of it) read the log. Two FNV-1a lanes with
 * different offsets, folded into 53 bits: exact as a JavaScript number. Pure.
 */

/** A 53-bit hash of `id` (an integer in [0, 2^53)). */
export function requestHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  return (b >>> 0) * 2 ** 21 + ((a >>> 0) >>> 11);
}

/** `--shard i/n`: which share of the requests one process replays. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Whether a request with this id belongs to `shard` (every request to exactly one shard). */
export function inShard(id: string, shard: ShardSpec | undefined): boolean {
  return !shard || shard.count === 1 || requestHash(id) % shard.count === shard.index;
}
