import { InvalidArgumentError, Option, type Command } from 'commander';
import * as path from 'node:path';
import { diffConfigurations, renderEnvironmentDiff } from '../../model/environment-diff.js';
import { ExitCode, stylesFor, UsageError } from '../cli-support.js';
import { loadIntegration } from '../vendor-session.js';
import { regularSipflowFilesIn, SIPFLOW_EXTENSION } from '../workspace.js';

interface DiffOptions {
    readonly env: readonly string[];
    readonly json?: boolean;
    readonly detailedExitcode?: boolean;
}

/**
 * `sipflow diff [FILE] --env A [--env B] [--json] [--detailed-exitcode]`: what differs between two
 * configurations of the file, from the file alone (no request): the default and A, or A and B.
 */
export function registerDiffCommand(program: Command): void {
    program
        .command('diff')
        .description('show the settings that differ between two environments of a file (reads no account)')
        .argument('[file]', `the .sipflow file (default: the only ${SIPFLOW_EXTENSION} file in the current folder)`)
        .addOption(
            new Option('--env <name>', 'an environment to compare; once: the default against it, twice: the first against the second').argParser(
                (value: string, previous: string[] = []) => {
                    if (previous.length >= 2) throw new InvalidArgumentError('give --env at most twice');
                    return [...previous, value];
                },
            ),
        )
        .addOption(new Option('--json', 'print the differences as JSON'))
        .addOption(new Option('--detailed-exitcode', 'exit 2 when the configurations differ (0 when they do not)'))
        .action(async (file: string | undefined, options: DiffOptions) => {
            process.exitCode = await diffCommand(file, options);
        });
}

export async function diffCommand(file: string | undefined, options: DiffOptions): Promise<ExitCode> {
    const environments = options.env ?? [];
    if (environments.length === 0) throw new UsageError('name the environments to compare: sipflow diff FILE --env A [--env B]');
    const target = file ?? (await onlySipflowFileHere());
    const quiet = options.json ? process.stderr : process.stdout;
    const [from, to] = environments.length === 1 ? [undefined, environments[0]] : [environments[0], environments[1]];
    const first = await loadIntegration(target, quiet, stylesFor(quiet), { env: from });
    const second = await loadIntegration(target, quiet, stylesFor(quiet), { env: to });
    const diff = diffConfigurations(first.desired, second.desired);
    process.stdout.write(options.json ? `${JSON.stringify(diff, null, 2)}\n` : renderEnvironmentDiff(diff));
    return options.detailedExitcode && diff.differences.length > 0 ? ExitCode.Changes : ExitCode.Ok;
}

async function onlySipflowFileHere(): Promise<string> {
    const files = await regularSipflowFilesIn(process.cwd());
    if (files.length === 1) return path.relative(process.cwd(), files[0]!);
    throw new UsageError(
        files.length === 0
            ? `no ${SIPFLOW_EXTENSION} file in the current folder; name one: sipflow diff FILE --env A`
            : `${files.length} ${SIPFLOW_EXTENSION} files in the current folder; name one: sipflow diff FILE --env A`,
    );
}
