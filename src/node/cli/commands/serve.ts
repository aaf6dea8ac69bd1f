/**
 * `parity serve`: the benchmark page for a person — Vite on 127.0.0.1 (cross-origin isolated),
 * serving only the page, the shared code, the bundled models and the runtimes it imports. The
 * server ends with this process: on SIGINT, SIGTERM, SIGHUP, and when the process that started it
 * (npm exec / npx) is gone.
 */
import { ParityError } from '../../../kernel/core/errors.ts';
import { startHarnessServer } from '../../browser/harness-server.ts';
import { HARNESS_PORT } from '../../browser/vite-options.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program) => {
  program
    .command('serve')
    .description("serve the benchmark page (run models on this browser's backends, drop in your own ONNX/TF.js model) on http://127.0.0.1")
    .option('--port <n>', `port (default ${HARNESS_PORT}; 0 picks a free one)`)
    .action(async (flags: { port?: string }) => {
      const port = flags.port === undefined ? HARNESS_PORT : Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ParityError('USAGE', `--port '${flags.port}': expected an integer 0..65535`);
      const server = await startHarnessServer({ port, cacheName: 'harness', logLevel: 'warn' });
      process.stdout.write(`benchmark page: ${server.url}\n(bound to 127.0.0.1, cross-origin isolated; Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        let stopping = false;
        const initialParent = process.ppid;
        const stop = () => {
          if (stopping) return;
          stopping = true;
          clearInterval(orphanWatch);
          // Vite's close ends its watchers and sockets; should anything linger, the process still ends.
          setTimeout(() => process.exit(), 3000).unref();
          void server.close().then(done, done);
        };
        // `kill` on an `npx parity serve` ends npm (and the shell it started) but not this process:
        // re-parented, it would serve on. A changed parent means whoever started it is gone.
        const orphanWatch = setInterval(() => {
          if (process.ppid !== initialParent) stop();
        }, 500);
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
      });
    });
};
