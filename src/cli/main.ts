/**
 * The `parity` command. Each subcommand lives in its own module under ./commands and registers
 * itself on the program; main only turns errors into messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { errorMessage, isParityError } from '../core/errors.ts';
import { EXIT } from './exit-codes.ts';
import { COMMANDS } from './commands/index.ts';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('parity')
    .description('Run one model across runtimes, backends and compressed variants; measure every gap against the offline reference.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run `parity --help` for usage)');
  let exitCode: number = EXIT.OK;
  for (const register of COMMANDS) register(program, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (isParityError(e) && e.isUserError) {
      process.stderr.write(`parity: error [${e.code}]: ${e.message}\n`);
      return EXIT.USAGE;
    }
    if (isParityError(e)) {
      process.stderr.write(`parity: error [${e.code}]: ${e.message}\n`);
      return EXIT.INTERNAL;
    }
    process.stderr.write(`parity: internal error: ${errorMessage(e)}\n${e instanceof Error ? e.stack ?? '' : ''}\n`);
    return EXIT.INTERNAL;
  }
}
