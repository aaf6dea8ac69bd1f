import type { RegisterCommand } from './types.ts';

/** `parity localize` — not built yet. */
export const register: RegisterCommand = () => {};
