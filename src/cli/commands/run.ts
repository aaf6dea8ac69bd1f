import type { RegisterCommand } from './types.ts';

/** `parity run` — not built yet. */
export const register: RegisterCommand = () => {};
