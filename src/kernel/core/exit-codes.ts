/** Process exit codes, the contract CI scripts rely on. */
export const EXIT = {
  /** Every gate passed. */
  OK: 0,
  /** A gate failed (or an expected failure unexpectedly passed). */
  GATE_FAILED: 1,
  /** Usage or input error: missing file, corrupt model, bad config, unknown backend. */
  USAGE: 2,
  /** A bug in the tool itself. */
  INTERNAL: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
