/**
 * GPU errors as record data: the WebGPU validation errors, device losses and console errors a
 * page saw while one target ran, deduplicated with counts (`facts.gpuErrors`), and the known
 * causes behind them (`facts.gpuErrorCause`) — so a target that returned zeros or threw says why
 * in its record instead of in the browser console. Pure; the page collects (harness/gpu-errors.ts).
 */
import type { RunRecord } from '../core/record.ts';

/** One distinct message and how often it was raised. */
export interface GpuErrorCount {
  message: string;
  count: number;
}

/** Distinct messages kept per target; the rest are counted in one `… more` entry. */
export const MAX_DISTINCT_ERRORS = 20;
/** Characters kept of each message. */
const MAX_MESSAGE_CHARS = 400;

/** Counts each distinct message, in order of first appearance. */
export function dedupeErrors(messages: readonly string[]): GpuErrorCount[] {
  const counts = new Map<string, number>();
  for (const message of messages) {
    // eslint-disable-next-line no-control-regex -- ORT colours its console lines
    const raw = message.replace(/\x1b\[[0-9;]*m/g, '');
    const m = raw.length > MAX_MESSAGE_CHARS ? `${raw.slice(0, MAX_MESSAGE_CHARS)}…` : raw;
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const all = [...counts].map(([message, count]) => ({ message, count }));
  if (all.length <= MAX_DISTINCT_ERRORS) return all;
  const rest = all.slice(MAX_DISTINCT_ERRORS);
  return [...all.slice(0, MAX_DISTINCT_ERRORS), { message: `… ${rest.length} more distinct messages`, count: rest.reduce((n, e) => n + e.count, 0) }];
}

/** Known causes: a message pattern (in the errors or the record's reason) and what it means. */
const KNOWN_GPU_CAUSES: readonly { pattern: RegExp; cause: string; needs?: (facts: Record<string, unknown>) => boolean }[] = [
  { pattern: /'f16' type used without 'f16' extension enabled|shader-f16|enable f16/i, cause: 'fp16 shaders on an adapter without shader-f16' },
  {
    // The native WebGPU EP throws while generating an fp16 kernel when the adapter lacks shader-f16.
    pattern: /GenerateSourceCode|Program \w+.*(failed|error)/i,
    cause: 'fp16 shaders on an adapter without shader-f16',
    needs: (f) => f['webgpu.shaderF16'] === false && f.variant === 'fp16',
  },
  { pattern: /device (was )?lost|GPU device lost/i, cause: 'the GPU device was lost while the target ran' },
  { pattern: /out of memory|OOM/i, cause: 'the GPU ran out of memory' },
];

/** The first known cause the messages point to, if any. */
export function gpuErrorCause(messages: readonly string[], facts: Record<string, unknown> = {}): string | undefined {
  for (const k of KNOWN_GPU_CAUSES) {
    if (k.needs && !k.needs(facts)) continue;
    if (messages.some((m) => k.pattern.test(m))) return k.cause;
  }
  return undefined;
}

/**
 * The record with the errors seen while it ran: `facts.gpuErrors`, `facts.gpuErrorCause` when the
 * cause is known, and a failed or skipped record's reason naming that cause and the first error.
 */
export function withGpuErrors(record: RunRecord, messages: readonly string[]): RunRecord {
  const errors = dedupeErrors(messages);
  const facts: Record<string, unknown> = { ...record.facts };
  if (errors.length) facts.gpuErrors = errors;
  const cause = gpuErrorCause([...messages, ...(record.reason ? [record.reason] : [])], { ...facts, variant: record.target.variant });
  if (cause) facts.gpuErrorCause = cause;
  if (!errors.length && !cause) return record;
  const out: RunRecord = { ...record, facts };
  if (record.status !== 'ok' && record.reason) {
    const first = errors[0] ? `; first of ${messages.length} page error(s): ${errors[0].message}` : '';
    out.reason = `${cause ? `${cause}: ` : ''}${record.reason}${first}`;
  }
  return out;
}
