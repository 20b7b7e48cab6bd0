/**
 * The `bioprobe` command line: parse, call lib/, print. No logic lives here; each command's wiring sits
 * in its own file under lib/cli/, and commands.ts lists them.
 */
import { Command, CommanderError } from 'commander';
import { describeError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { COMMANDS } from './commands.js';

/** Build the program with every command registered (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('bioprobe')
    .description('Layer-wise probing of self-supervised audio models on animal recordings')
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Run the CLI; resolves to the exit code. Errors a user caused print one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed help or its one-line error
      return err.exitCode;
    }
    process.stderr.write(`bioprobe: ${describeError(err)}\n`);
    if (process.env.BIOPROBE_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return 1;
  }
}
