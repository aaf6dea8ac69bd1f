/** The dataset builder's file access in Node: paths on disk, with typed errors. Node only. */
import { existsSync, readFileSync } from 'node:fs';
import { ParityError } from '../../kernel/core/errors.ts';
import { loadDataFile } from '../data/load-data-file.ts';
import type { DataIO } from '../../tools/run/model-dataset.ts';

function read(path: string): Buffer {
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `'${path}' does not exist`);
  return readFileSync(path);
}

export const NODE_DATA_IO: DataIO = {
  bytes: async (path) => new Uint8Array(read(path)),
  text: async (path) => read(path).toString('utf8'),
  dataFile: async (path, specs, fill, limit) => loadDataFile(path, specs, fill, limit),
};
