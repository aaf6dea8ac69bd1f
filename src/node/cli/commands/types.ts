import type { Command } from 'commander';

/** A subcommand adds itself to the program; `setExit` records the exit code it wants. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;
