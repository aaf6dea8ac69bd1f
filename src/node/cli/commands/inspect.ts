/** `parity inspect FILE`: the model's signature, opsets, op histogram and size. */
import { formatInspect, inspectModel } from '../../../kernel/onnx/inspect.ts';
import { readModelFile } from '../../onnx/read-file.ts';
import { formatTfjsInspect, inspectTfjsModel } from '../../../kernel/onnx/inspect-tfjs.ts';
import { readTfjsModel } from '../../onnx/read-tfjs.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program) => {
  program
    .command('inspect')
    .description("show a model's inputs/outputs (dtypes, shapes), op histogram and size (ONNX: opsets; TF.js: weight dtypes)")
    .argument('<file>', 'an .onnx file or a TF.js model.json')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      if (file.toLowerCase().endsWith('.json')) {
        const tf = inspectTfjsModel(readTfjsModel(file).modelJson, file);
        process.stdout.write(opts.json ? JSON.stringify(tf, null, 2) + '\n' : formatTfjsInspect(tf) + '\n');
        return;
      }
      const { bytes } = await readModelFile(file);
      const result = inspectModel(bytes, file);
      process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : formatInspect(result) + '\n');
    });
};
