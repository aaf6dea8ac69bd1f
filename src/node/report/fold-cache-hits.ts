/**
 * The run's log lines for a terminal: the variant factory reports each cache hit on its own line
 * (`mnist-cnn:fp16: cached (/…/variants/<hash>.onnx)`), five per model on every repeated run and
 * never news. Consecutive hits of one model are folded into one line naming the variants and the
 * cache folder; every other line passes unchanged and in order. Node only (paths).
 */
import { dirname, relative } from 'node:path';

const CACHE_HIT = /^(.+?):([\w-]+): cached \((.+)\)$/;

export interface FoldedLog {
  /** One log line in; cache hits are held until a line of another kind (or another model) comes. */
  log(line: string): void;
  /** Writes the held cache hits now (before a target's progress line, and at the end). */
  flush(): void;
}

export function foldCacheHits(write: (line: string) => void, cwd: string = process.cwd()): FoldedLog {
  let held: { model: string; variants: string[]; dir: string } | undefined;
  const flush = () => {
    if (held) write(`${held.model}: ${held.variants.join(', ')} from the variant cache (${relative(cwd, held.dir) || held.dir})`);
    held = undefined;
  };
  return {
    log(line) {
      const m = CACHE_HIT.exec(line);
      if (!m) {
        flush();
        write(line);
        return;
      }
      const [, model, variant, path] = m as unknown as [string, string, string, string];
      if (held && (held.model !== model || held.dir !== dirname(path))) flush();
      held ??= { model, variants: [], dir: dirname(path) };
      held.variants.push(variant);
    },
    flush,
  };
}
