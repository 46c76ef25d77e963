/**
 * A minimal `sipflow` with only the sandbox command, for spawning in tests before (or independently
 * of) src/cli/main.ts. Mirrors main.ts: usage errors exit 1 with one line on stderr.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../../src/cli/cli-support.js';
import { registerSandboxCommand } from '../../src/cli/commands/sandbox.js';

const program = new Command('sipflow').exitOverride();
registerSandboxCommand(program);
program.parseAsync(process.argv).catch((error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`sipflow: ${error.message}\n`);
    const informational = error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version');
    process.exitCode = informational ? 0 : 1;
});
