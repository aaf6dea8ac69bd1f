import type { RegisterCommand } from './types.ts';

/** `parity merge` — not built yet. */
export const register: RegisterCommand = () => {};
