/**
 * `parity serve`: the benchmark page for a person — Vite on 127.0.0.1 (cross-origin isolated),
 * serving only the page, the shared code, the bundled models and the runtimes it imports.
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
        const stop = () => void server.close().then(done, done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
};
