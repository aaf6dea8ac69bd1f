import type { RegisterCommand } from './types.ts';

/** `parity drift` — not built yet. */
export const register: RegisterCommand = () => {};
