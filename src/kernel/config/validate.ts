/** Turns zod issues into one readable message: the path, what was wrong, a suggestion for typos. */
import type { z } from 'zod';
import { ParityError } from '../core/errors.ts';
import { didYouMean } from '../core/did-you-mean.ts';
import { configSchema, type ParityConfig } from './schema.ts';

export function validateConfig(raw: unknown, source: string): ParityConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${describe(issue, valueAt(raw, issue.path))}`);
  throw new ParityError('CONFIG_INVALID', `${source} is invalid:\n${lines.join('\n')}`, { issues: result.error.issues });
}

function describe(issue: z.core.$ZodIssue, got: unknown): string {
  const at = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return issue.keys
      .map((k) => {
        const hint = known ? didYouMean(k, known) : undefined;
        return `${at}: unknown option '${k}'${hint ? ` — did you mean '${hint}'?` : ''}${known ? ` (valid: ${known.join(', ')})` : ''}`;
      })
      .join('\n  - ');
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    const hint = typeof got === 'string' ? didYouMean(got, issue.values.map(String)) : undefined;
    return `${at}: ${JSON.stringify(got)} is not allowed${hint ? ` — did you mean '${hint}'?` : ''}; expected one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}`;
  }
  return `${at}: ${issue.message}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Keys of the schema object at `path` (top level, or nested objects like `latency`). */
function knownKeysAt(path: readonly PropertyKey[]): string[] | undefined {
  let shape: Record<string, unknown> | undefined = configSchema.shape;
  for (const key of path) {
    if (typeof key !== 'string' || !shape) return undefined;
    let node = shape[key] as { unwrap?: () => unknown; shape?: Record<string, unknown> } | undefined;
    while (node && !node.shape && node.unwrap) node = node.unwrap() as typeof node;
    shape = node?.shape;
  }
  return shape ? Object.keys(shape) : undefined;
}
