import type { RegisterCommand } from './types.ts';

/** `parity inspect` — not built yet. */
export const register: RegisterCommand = () => {};
