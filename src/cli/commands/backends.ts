import type { RegisterCommand } from './types.ts';

/** `parity backends` — not built yet. */
export const register: RegisterCommand = () => {};
