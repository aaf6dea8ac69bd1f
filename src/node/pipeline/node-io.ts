/**
 * File access for the pipeline, skew and drift commands. Node only: the pure modules never
 * import this, so the browser bundles none of it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ParityError } from '../../kernel/core/errors.ts';
import { parseCsv, type CsvTable } from '../../kernel/data/csv.ts';
import { loadFitted, type FittedPipeline } from '../../tools/pipeline/index.ts';

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `${what} '${path}' does not exist`);
  return readFileSync(path, 'utf8');
}

/** Reads a CSV file with a header (empty fields → null, numeric columns detected). */
export function readCsvFile(path: string, what = 'data file'): CsvTable {
  return parseCsv(readText(path, what), { name: basename(path) });
}

/** Reads and validates a JSON file. */
export function readJsonFile(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParityError('CONFIG_INVALID', `${what} '${path}' is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads a fitted pipeline file. */
export function readFittedFile(path: string): FittedPipeline {
  return loadFitted(readText(path, 'fitted pipeline'), basename(path));
}

/** Writes a text file, creating its folder. */
export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes report files `{ name: text }` into `dir`; returns their paths in the same order. */
export function writeReportFiles(dir: string, files: Record<string, string>): string[] {
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeText(path, text);
    return path;
  });
}
