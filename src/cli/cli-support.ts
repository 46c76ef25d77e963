/** What every CLI command shares: exit codes, the errors that map to them, and terminal styling. */
import type { Command } from 'commander';
import { SipflowError } from '../errors.js';

/**
 * Exit codes of every `sipflow` command (documented in README.md), Terraform's contract: any error is 1
 * (usage errors included), so that 2 can only ever mean `plan --detailed-exitcode` found changes — a typo
 * in a CI script must not read as drift.
 */
export const ExitCode = {
    /** The command did its job and found no errors. */
    Ok: 0,
    /** Any error: in the input, in the invocation (unknown option, nonexistent path), a vendor, or unexpected. */
    Failure: 1,
    /** Only under `--detailed-exitcode` (plan, diff): the plan has changes, the environments differ. */
    Changes: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem with how the command was invoked or with its inputs (not with their contents).
 * main.ts prints its message on one line and exits with ExitCode.Failure.
 */
export class UsageError extends SipflowError {
    constructor(message: string) {
        super('usage', message);
    }
}

/** Terminal styling lives in src/text/styles.ts (one implementation for every renderer); re-exported for the commands. */
export { colorEnabled, stylesFor, type Styles } from '../text/styles.js';

/**
 * `--no-color` on every command: sets NO_COLOR for the run, which every styled output honours (colorEnabled
 * in src/text/styles.ts). Call after the commands are registered.
 */
export function addNoColorOption(program: Command): void {
    for (const command of program.commands) command.option('--no-color', 'no ANSI colours, even on a terminal (as NO_COLOR=1)');
    program.hook('preAction', (_program, actionCommand) => {
        if (actionCommand.opts().color === false) process.env.NO_COLOR = '1';
    });
}
