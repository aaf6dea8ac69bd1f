/**
 * A capture sink that appends JSON lines to a file through a write stream (the write happens off
 * the request path, on libuv's threads). Node only (imports node:fs): import it from
 * `infer-parity/capture/node-file-sink`, never from browser code.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaptureSink } from '../../tools/capture/sinks.ts';

/** Appends each batch to `path` (created with its folder), one line per record; `close` waits for the disk. */
export function nodeFileSink(path: string): CaptureSink {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a' });
  let failure: Error | undefined;
  stream.on('error', (e) => (failure = e));
  return {
    write(lines) {
      if (failure) throw failure;
      stream.write(lines.join('\n') + '\n');
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        stream.end(() => (failure ? reject(failure) : resolve()));
      }),
  };
}
