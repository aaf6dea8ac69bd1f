/** `parity inspect FILE`: the model's signature, opsets, op histogram and size. Flags -> `inspectModelFile` (src/node/api/inspect.ts) -> print. */
import { formatInspect } from '../../../kernel/onnx/inspect.ts';
import { formatTfjsInspect } from '../../../kernel/onnx/inspect-tfjs.ts';
import { inspectModelFile } from '../../api/inspect.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program) => {
  program
    .command('inspect')
    .description("show a model's inputs/outputs (dtypes, shapes), op histogram and size (ONNX: opsets; TF.js: weight dtypes)")
    .argument('<file>', 'an .onnx file or a TF.js model.json')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const r = await inspectModelFile(file);
      const text = r.format === 'tfjs' ? formatTfjsInspect(r.inspection) : formatInspect(r.inspection);
      process.stdout.write(opts.json ? JSON.stringify(r.inspection, null, 2) + '\n' : text + '\n');
    });
};
