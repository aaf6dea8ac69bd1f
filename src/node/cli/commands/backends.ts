/** `parity backends`: every registered backend, whether it runs here, and why not. Flags -> `listBackends` (src/node/api/backends.ts) -> print. */
import { listBackends } from '../../api/backends.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program) => {
  program
    .command('backends')
    .description('list every registered backend and whether it is available here, with the reason when not')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      const { rows, browserOnly } = await listBackends();
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const r of rows) {
        const detail =
          r.available && r.info ? `${r.info.library} ${r.info.version}${r.info.threads !== undefined ? `, threads ${r.info.threads}` : ''}` : r.reason;
        process.stdout.write(`${r.available ? 'available  ' : 'unavailable'}  ${r.id.padEnd(16)} [${r.environments.join(', ')}]  ${detail}\n`);
      }
      // The browser registry lives in the page (harness/browser-registry.ts): every id Node lacks is browser-only.
      process.stdout.write(
        `browser-only backends, run with \`parity run --browser\` (ort-web/wasm, tfjs/cpu and tfjs/wasm run in the page too): ${browserOnly.join(', ')}\n`,
      );
      process.stdout.write('  ort-web/webgpu = native WebGPU EP (onnxruntime-web/webgpu); ort-web/webgpu-jsep = JSEP (onnxruntime-web/all)\n');
    });
};
