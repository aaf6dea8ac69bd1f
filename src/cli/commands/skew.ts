import type { RegisterCommand } from './types.ts';

/** `parity skew` — not built yet. */
export const register: RegisterCommand = () => {};
