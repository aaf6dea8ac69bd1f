import type { RegisterCommand } from './types.ts';

/** `parity serve` — not built yet. */
export const register: RegisterCommand = () => {};
