/** Finds and loads the suite config: `--config FILE`, else `parity.config.{ts,mjs,js,json}` in the cwd. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage, ParityError } from '../../kernel/core/errors.ts';
import type { ParityConfig } from '../../kernel/config/schema.ts';
import { validateConfig } from '../../kernel/config/validate.ts';

const CONFIG_FILES = ['parity.config.ts', 'parity.config.mjs', 'parity.config.js', 'parity.config.json'];

export interface LoadedConfig {
  config: ParityConfig;
  /** Absolute path of the file, or undefined when no config file was found. */
  path?: string;
}

export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  const path = explicit ? resolve(cwd, explicit) : CONFIG_FILES.map((f) => resolve(cwd, f)).find(existsSync);
  if (!path) return { config: {} };
  if (!existsSync(path)) throw new ParityError('FILE_NOT_FOUND', `config file '${explicit}' does not exist`);
  let raw: unknown;
  if (path.endsWith('.json')) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ParityError('CONFIG_INVALID', `${path} is not valid JSON: ${errorMessage(e)}`);
    }
  } else {
    try {
      // A TypeScript config goes through tsx even when the CLI itself runs compiled JavaScript.
      const url = pathToFileURL(path).href;
      const mod = (/\.[cm]?ts$/.test(path) ? await (await import('tsx/esm/api')).tsImport(url, import.meta.url) : await import(url)) as { default?: unknown };
      raw = mod.default;
      // tsx loads a .ts file outside a `"type": "module"` package as CommonJS: unwrap its `default`.
      if (raw !== null && typeof raw === 'object' && '__esModule' in raw && 'default' in raw) raw = raw.default;
    } catch (e) {
      throw new ParityError('CONFIG_INVALID', `${path} could not be loaded: ${errorMessage(e)}`);
    }
    if (raw === undefined) throw new ParityError('CONFIG_INVALID', `${path} has no default export; write \`export default defineConfig({ ... })\``);
  }
  return { config: validateConfig(raw, path), path };
}
