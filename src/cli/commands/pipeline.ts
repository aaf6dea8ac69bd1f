import type { RegisterCommand } from './types.ts';

/** `parity pipeline` — not built yet. */
export const register: RegisterCommand = () => {};
