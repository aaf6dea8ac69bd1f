/**
 * Typed, actionable errors. Each has a stable `code` so tests, reports and scripts can branch
 * on it; the message says what was wrong, what was expected and what to do.
 */
import { capLines } from './cap-text.ts';

export const ERROR_CODES = {
  USAGE: 'usage error',
  FILE_NOT_FOUND: 'file not found',
  MODEL_INVALID: 'model file is not a valid ONNX or TF.js model',
  MODEL_UNSUPPORTED: 'model uses something this tool cannot handle',
  CONFIG_INVALID: 'configuration is invalid',
  BACKEND_UNKNOWN: 'unknown backend id',
  BACKEND_UNAVAILABLE: 'backend is not available here',
  INPUT_SYNTHESIS: 'inputs could not be synthesized from the model signature',
  INPUT_DATA: 'input data does not match the model',
  RUN_FAILED: 'the model failed while running',
  OUTPUT_NONFINITE: 'outputs contain NaN or Inf',
  TIMEOUT: 'a target did not finish in time',
  BROWSER_NOT_FOUND: 'no Chromium executable was found',
  INTERNAL: 'internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Exit code 2 marks problems with what the user gave us, as opposed to failed gates (1). */
const USER_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'USAGE',
  'FILE_NOT_FOUND',
  'MODEL_INVALID',
  'MODEL_UNSUPPORTED',
  'CONFIG_INVALID',
  'BACKEND_UNKNOWN',
  'INPUT_SYNTHESIS',
  'INPUT_DATA',
  'BROWSER_NOT_FOUND',
]);

export class ParityError extends Error {
  override readonly name = 'ParityError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    // A message may quote a runtime's error or a user's value: each line is capped (cap-text.ts).
    super(capLines(message));
  }

  /** True when the cause is the user's input rather than a bug: print the message, not the stack. */
  get isUserError(): boolean {
    return USER_ERRORS.has(this.code);
  }
}

export function isParityError(e: unknown): e is ParityError {
  return e instanceof ParityError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ParityError');
}

/** Message of any thrown value, without a stack. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Lists choices in messages the same way everywhere. */
export function choices(list: readonly string[]): string {
  return list.map((c) => `'${c}'`).join(', ');
}
