import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { renderDoctorText } from '../../doctor/render.js';
import { runDoctor } from '../../doctor/probes.js';
import { ExitCode, UsageError, stylesFor } from '../cli-support.js';
import { regularSipflowFilesIn } from '../workspace.js';
import { CommandError, connect, loadIntegration } from '../vendor-session.js';
import { addTargetOptions, type TargetOptions } from './shared-options.js';

interface DoctorOptions extends TargetOptions {
    readonly json?: boolean;
    readonly writeProbes?: boolean;
    readonly yes?: boolean;
}

/**
 * `sipflow doctor [FILE] [--json] [--write-probes [--yes]]`: live probes of the assumptions sipflow makes
 * where the vendors' specs are silent (docs/assumptions.md). Read-only unless --write-probes. Exit 1
 * when an assumption (or a reachability check) is contradicted, or a write probe left something behind
 * (an action it could not delete, an assistant whose actions it could not restore).
 */
export function registerDoctorCommand(program: Command): void {
    addTargetOptions(
        program
            .command('doctor')
            .description('check on the live accounts what sipflow assumes where the vendor specs are silent')
            .argument('[file]', 'the .sipflow file (default: the only one in the current directory)'),
    )
        .addOption(new Option('--json', 'print the findings as JSON'))
        .addOption(
            new Option(
                '--write-probes',
                'also create one LIVE_TRANSFER with a sip: target, attach it to an assistant for a moment and delete it, and place one test call to a pool number',
            ),
        )
        .addOption(new Option('-y, --yes', 'with --write-probes: do not ask for confirmation (for CI)'))
        .action(async (file: string | undefined, options: DoctorOptions) => {
            process.exitCode = await doctorCommand(file, options);
        });
}

async function defaultFile(): Promise<string> {
    const files = await regularSipflowFilesIn(process.cwd());
    if (files.length !== 1)
        throw new UsageError(`doctor needs a .sipflow file: ${files.length === 0 ? 'there is none' : `there are ${files.length}`} in the current directory; name one.`);
    return files[0]!;
}

async function writeProbesConfirmed(options: DoctorOptions): Promise<boolean> {
    if (options.yes) return true;
    if (!process.stdin.isTTY)
        throw new CommandError('--write-probes creates, attaches and deletes a Synthflow action (and may place a test call) and there is no terminal to ask: pass --yes.');
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
        const answer = await prompt.question(
            "--write-probes creates one LIVE_TRANSFER action in the Synthflow workspace, attaches it for a moment to one of the file's assistants " +
                "(restoring its actions) and deletes it, and, when an inbound agent has a pool number, places one test call to it (call minutes). Continue? Only 'yes' is accepted: ",
        );
        return answer.trim() === 'yes';
    } finally {
        prompt.close();
    }
}

export async function doctorCommand(file: string | undefined, options: DoctorOptions): Promise<ExitCode> {
    if (options.yes && !options.writeProbes) throw new UsageError('--yes only goes with --write-probes');
    const styles = stylesFor(process.stdout);
    const { desired } = await loadIntegration(file ?? (await defaultFile()), process.stdout, styles, { env: options.env });
    if (options.writeProbes && !(await writeProbesConfirmed(options))) {
        process.stderr.write('sipflow: not confirmed; nothing was sent.\n');
        return ExitCode.Failure;
    }
    const session = await connect(desired.synthflow.workspace, desired.synthflow.apiBaseUrl, options);
    try {
        const report = await runDoctor({ desired, dixa: session.dixa, synthflow: session.synthflow, writeProbes: options.writeProbes === true });
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderDoctorText(report, styles)}\n`);
        return report.counts.contradicted > 0 || report.problems.length > 0 ? ExitCode.Failure : ExitCode.Ok;
    } finally {
        await session.close();
    }
}
