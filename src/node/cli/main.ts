/**
 * The `parity` command. Each subcommand lives in its own module under ./commands and registers
 * itself on the program; main only turns errors into messages and exit codes (see failure.ts:
 * one line, never a stack, unless `--debug` or PARITY_DEBUG=1 asks for it).
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from '../../kernel/core/exit-codes.ts';
import { COMMANDS } from './commands/index.ts';
import { describeFailure } from './failure.ts';
import { quietConsole } from '../report/quiet-console.ts';

let strayHandler: ((e: unknown) => void) | undefined;

/** A rejection nobody awaited (a runtime's stray promise) is reported like any other failure, once per process. */
function reportStrayRejections(argv: readonly string[]): void {
  if (strayHandler) process.off('unhandledRejection', strayHandler);
  strayHandler = (e: unknown) => {
    const f = describeFailure(e, argv);
    process.stderr.write(f.text);
    process.exitCode = f.exit;
  };
  process.on('unhandledRejection', strayHandler);
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('parity')
    .description('Run one model across runtimes, backends and compressed variants; measure every gap against the offline reference.')
    .option('--debug', 'print the stack of an internal error (also PARITY_DEBUG=1)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run `parity --help` for usage)')
    .addHelpText(
      'after',
      '\nExit codes (every command):\n  0  success: every gate held (localize: the outputs pass; skew: clean; quantize: inconclusive on synthesized data counts as 0)\n  1  a gate failed, an expected failure passed, a culprit or skew was found, or a replay slice has a gap\n' +
        '  2  usage or input error: bad flag, missing or corrupt file, bad config, unknown backend\n  3  internal error: a bug in parity (--debug prints the stack)',
    );
  let exitCode: number = EXIT.OK;
  for (const register of COMMANDS) register(program, (code) => (exitCode = code));
  reportStrayRejections(argv);
  // Runtimes' known-harmless chatter (TF.js's Node banner, tfjs-converter hints) is dropped; real warnings pass.
  quietConsole({ keepAll: argv.includes('--debug') || process.env.PARITY_DEBUG === '1' });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const f = describeFailure(e, argv);
    process.stderr.write(f.text);
    return f.exit;
  }
}
