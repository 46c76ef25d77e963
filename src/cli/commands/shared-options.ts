import { Option, type Command } from 'commander';

/** `--env NAME`: build an environment's configuration (`environment NAME { … }`) instead of the default. */
export function addEnvironmentOption(command: Command): Command {
    return command.addOption(new Option('--env <name>', 'use this environment of the file (environment NAME { … }) instead of the top-level default'));
}

export interface EnvironmentOptions {
    readonly env?: string;
}

/** `--sandbox` and `--sandbox-state`: every command that talks to the vendors has them (and `--env`). */
export function addTargetOptions(command: Command): Command {
    return addEnvironmentOption(command)
        .addOption(new Option('--sandbox', 'run against an in-process sandbox instead of the live accounts'))
        .addOption(new Option('--sandbox-state <file>', 'with --sandbox: keep the sandbox state in this JSON file across runs'))
        .addOption(new Option('--request-timeout <seconds>', 'give up on a vendor request after this long, retries included').default(30).argParser(requestTimeout));
}

export interface TargetOptions extends EnvironmentOptions {
    readonly sandbox?: boolean;
    readonly sandboxState?: string;
    /** Seconds; the providers' per-request deadline. */
    readonly requestTimeout?: number;
}

function requestTimeout(value: string): number {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) throw new Error('--request-timeout must be a number of seconds from 1 to 600');
    return seconds;
}

/** Parses a positive integer option. */
export function positiveInteger(name: string): (value: string) => number {
    return value => {
        const number = Number(value);
        if (!Number.isInteger(number) || number < 1 || number > 64) throw new Error(`${name} must be a whole number from 1 to 64`);
        return number;
    };
}
