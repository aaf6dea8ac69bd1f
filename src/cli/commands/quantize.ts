import type { RegisterCommand } from './types.ts';

/** `parity quantize` — not built yet. */
export const register: RegisterCommand = () => {};
