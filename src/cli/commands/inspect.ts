/** `parity inspect FILE`: the model's signature, opsets, op histogram and size. */
import { formatInspect, inspectModel } from '../../onnx/inspect.ts';
import { readModelFile } from '../../onnx/read-file.ts';
import type { RegisterCommand } from './types.ts';

export const register: RegisterCommand = (program) => {
  program
    .command('inspect')
    .description('show an ONNX model\'s inputs/outputs (dtypes, shapes), opsets, op histogram and size')
    .argument('<file>', 'an .onnx file')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { bytes } = await readModelFile(file);
      const result = inspectModel(bytes, file);
      process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : formatInspect(result) + '\n');
    });
};
