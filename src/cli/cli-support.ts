/** What every CLI command shares: exit codes, the errors that map to them, and terminal styling. */

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
    /** Only `plan --detailed-exitcode`: the plan has changes. */
    Changes: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A problem with how the command was invoked or with its inputs (not with their contents).
 * main.ts prints its message on one line and exits with ExitCode.Failure.
 */
export class UsageError extends Error {
    override readonly name = 'UsageError';
}

/** ANSI styling that is a no-op unless the stream is a terminal and NO_COLOR is not set (https://no-color.org). */
export interface Styles {
    readonly bold: (text: string) => string;
    readonly dim: (text: string) => string;
    readonly red: (text: string) => string;
    readonly green: (text: string) => string;
    readonly yellow: (text: string) => string;
    readonly blue: (text: string) => string;
    readonly cyan: (text: string) => string;
}

export function stylesFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Styles {
    const enabled = stream.isTTY === true && !env.NO_COLOR;
    const style = (open: number, close: number) => (text: string) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
    return {
        bold: style(1, 22),
        dim: style(2, 22),
        red: style(31, 39),
        green: style(32, 39),
        yellow: style(33, 39),
        blue: style(34, 39),
        cyan: style(36, 39),
    };
}

