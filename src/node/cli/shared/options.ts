/** Option helpers shared by subcommands. */
import type { Command } from 'commander';

/** Accumulates a repeatable option's values. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The Polygraphy-style input options: `--shape`, `--range`, `--value` (parsed by parseInputOverrides). */
export function addInputOptions(cmd: Command, what = 'an input'): Command {
  return cmd
    .option('--shape <name=dims>', `fix the dims of ${what}, e.g. --shape x=1,3,48,192 (repeatable)`, collect)
    .option('--range <name=lo,hi>', `range of the random values of ${what} (repeatable)`, collect)
    .option('--value <name=x>', `feed ${what} as a constant, e.g. --value sr=16000 (repeatable)`, collect);
}
