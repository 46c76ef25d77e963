import { Option, type Command } from 'commander';
import { buildChecklist, readDixaEvidence, readSynthflowEvidence, renderChecklistMarkdown, renderChecklistText, type DixaEvidence } from '../../checklist/index.js';
import { ExitCode, stylesFor } from '../cli-support.js';
import { connect, describeVendorError, loadIntegration } from '../vendor-session.js';
import { addTargetOptions, type TargetOptions } from './shared-options.js';

interface ChecklistOptions extends TargetOptions {
    readonly format: 'text' | 'markdown' | 'json';
    readonly offline?: boolean;
}

/**
 * `sipflow checklist FILE [--sandbox] [--format text|markdown|json] [--offline]`: the Dixa steps no API
 * can do, with exact values, verified by reading Dixa. Exit 0 when no step failed verification, 1 otherwise.
 */
export function registerChecklistCommand(program: Command): void {
    addTargetOptions(program.command('checklist').description('print the manual Dixa steps (no API for them) and verify what can be read').argument('<file>', 'the .sipflow file'))
        .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
        .addOption(new Option('--offline', 'do not read Dixa: print the steps without verifying them'))
        .action(async (file: string, options: ChecklistOptions) => {
            process.exitCode = await checklistCommand(file, options);
        });
}

export async function checklistCommand(file: string, options: ChecklistOptions): Promise<ExitCode> {
    const styles = stylesFor(process.stdout);
    const { desired } = await loadIntegration(file, process.stdout, styles, { env: options.env });
    let evidence: DixaEvidence = {};
    let readError: string | undefined;
    if (!options.offline) {
        const session = await connect(desired.synthflow.workspace, desired.synthflow.apiBaseUrl, options);
        try {
            const [dixa, synthflow] = await Promise.all([readDixaEvidence(session.dixa), readSynthflowEvidence(desired, session.synthflow)]);
            evidence = { ...dixa, ...synthflow };
        } catch (error) {
            // Still print the steps: they are what the user needs most when a vendor cannot be read.
            readError = describeVendorError(error);
            if (readError === undefined) throw error;
        } finally {
            await session.close();
        }
    }
    const checklist = buildChecklist(desired, evidence);
    if (options.format === 'json') process.stdout.write(`${JSON.stringify(checklist, null, 2)}\n`);
    else if (options.format === 'markdown') process.stdout.write(`${renderChecklistMarkdown(checklist)}\n`);
    else process.stdout.write(`${renderChecklistText(checklist, styles)}\n`);
    if (readError !== undefined) {
        process.stderr.write(`sipflow: could not verify the checklist: ${readError}\n`);
        return ExitCode.Failure;
    }
    return checklist.counts.failed > 0 ? ExitCode.Failure : ExitCode.Ok;
}
