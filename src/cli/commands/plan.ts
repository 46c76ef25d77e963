import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { computePlan, renderPlanJson, renderPlanMarkdown, renderPlanText } from '../../plan/index.js';
import { AccountMismatchError, checkAccount, readLiveState } from '../../apply/index.js';
import { colorEnabled, ExitCode, stylesFor, UsageError } from '../cli-support.js';
import { sourcesForPlanFile, sourcesRelativeTo } from '../saved-plan-files.js';
import { addRunLockOptions, waitUntilNoApplyRuns, type RunLockOptions } from './run-lock-options.js';
import { CommandError, connect, describeVendorError, loadIntegration } from '../vendor-session.js';
import { checklistStatusLine } from './checklist-status.js';
import { addTargetOptions, type TargetOptions } from './shared-options.js';

export type PlanOutputFormat = 'text' | 'json' | 'markdown';
export const PLAN_OUTPUT_FORMATS: readonly PlanOutputFormat[] = ['text', 'json', 'markdown'];

interface PlanOptions extends TargetOptions, RunLockOptions {
    readonly format?: PlanOutputFormat;
    readonly json?: boolean;
    readonly out?: string;
    readonly detailedExitcode?: boolean;
    readonly verbose?: boolean;
    readonly prune?: boolean;
}

/**
 * `sipflow plan FILE [--sandbox] [--format text|json|markdown] [--out PLAN] [--detailed-exitcode]`: reads both accounts and
 * shows what apply would change. Exit 0 (no changes, or changes without --detailed-exitcode),
 * 2 (changes, with --detailed-exitcode), 1 (any error, usage errors included).
 */
export function registerPlanCommand(program: Command): void {
    addRunLockOptions(
        addTargetOptions(
            program
                .command('plan')
                .description('show what apply would change in Dixa and Synthflow (reads both; changes nothing)')
                .argument('<file>', 'the .sipflow file (other .sipflow files in its folder may hold its queues)'),
        ),
    )
        .addOption(new Option('-f, --format <format>', 'output format: text (default), json (the saved-plan format) or markdown (for a pull request)').choices(PLAN_OUTPUT_FORMATS))
        .addOption(new Option('--json', 'the same as --format json'))
        .addOption(new Option('-o, --out <plan>', 'also save the plan, to apply exactly it later with sipflow apply PLAN'))
        .addOption(new Option('--detailed-exitcode', 'exit 2 when there are changes, 0 when there are none'))
        .addOption(new Option('-v, --verbose', 'list unchanged items too'))
        .addOption(new Option('--prune', 'also look for numbers of this integration the file no longer declares (a request per workspace number), as apply --prune does'))
        .action(async (file: string, options: PlanOptions) => {
            process.exitCode = await planCommand(file, options);
        });
}

/** `--format`, with `--json` as its alias; refused when the two disagree. */
export function outputFormatOf(options: { readonly format?: PlanOutputFormat; readonly json?: boolean }): PlanOutputFormat {
    if (options.json && options.format !== undefined && options.format !== 'json') {
        throw new UsageError(`--json and --format ${options.format} disagree; give one of them`);
    }
    return options.format ?? (options.json ? 'json' : 'text');
}

export async function planCommand(file: string, options: PlanOptions): Promise<ExitCode> {
    if (outputFormatOf(options) !== 'json') return await planOrThrow(file, options);
    try {
        return await planOrThrow(file, options);
    } catch (error) {
        // stdout stays one JSON document, also on failure; main.ts still prints the one line on stderr.
        const diagnostics = error instanceof CommandError ? error.diagnostics : [];
        const message = describeVendorError(error) ?? (error instanceof Error ? error.message : String(error));
        process.stdout.write(`${JSON.stringify({ error: message, diagnostics }, null, 2)}\n`);
        throw error;
    }
}

async function planOrThrow(file: string, options: PlanOptions): Promise<ExitCode> {
    const format = outputFormatOf(options);
    const styles = stylesFor(process.stdout);
    // With --json the diagnostics go into the error document instead of stdout's text.
    const { desired } = await loadIntegration(file, format === 'json' ? { write: () => true } : process.stdout, styles, { env: options.env });
    // Checked before any request: a plan file outside the checkout of its sources could not be applied.
    const savedSources = options.out === undefined ? undefined : await sourcesForPlanFile(desired, options.out);
    await waitUntilNoApplyRuns(desired, options);
    const session = await connect(desired.synthflow.workspace, desired.synthflow.apiBaseUrl, options);
    try {
        const live = await readLiveState(desired, session, { prune: options.prune === true });
        // A plan against another organization's account would be nonsense: refused before it is shown.
        checkAccount(desired, live.dixa.organization, file);
        const plan = computePlan(desired, live);
        if (format === 'json') {
            // Source paths relative to the current folder: as if saved here (`> plan.json`).
            process.stdout.write(renderPlanJson(plan, sourcesRelativeTo(desired, process.cwd())));
        } else if (format === 'markdown') {
            const assistantNames = new Map(live.synthflow.assistants.map(a => [a.modelId, a.name]));
            process.stdout.write(renderPlanMarkdown(plan, { desired, assistantNames }));
        } else {
            process.stdout.write(`Planning integration ${desired.integration}${desired.environment ? ` (environment ${desired.environment})` : ''} against ${session.target}.\n\n`);
            process.stdout.write(`${renderPlanText(plan, { color: colorEnabled(process.stdout), verbose: options.verbose === true })}\n`);
            process.stdout.write(`\n${checklistStatusLine(desired, live.dixa)}\n`);
        }
        if (options.out !== undefined) {
            await writeFile(options.out, renderPlanJson(plan, savedSources!), { encoding: 'utf8', flag: 'w' }).catch((error: NodeJS.ErrnoException) => {
                throw new UsageError(`${options.out}: cannot write the plan (${error.code ?? error.message})`);
            });
            // Beside JSON or Markdown on stdout (often redirected to a file), the note goes to stderr.
            (format === 'text' ? process.stdout : process.stderr).write(`Saved the plan to ${options.out}. Apply exactly this plan with: sipflow apply ${options.out}\n`);
        }
        if (plan.summary.conflict > 0) return ExitCode.Failure;
        return options.detailedExitcode && plan.hasChanges ? ExitCode.Changes : ExitCode.Ok;
    } catch (error) {
        if (error instanceof AccountMismatchError) throw new CommandError(error.message);
        throw error;
    } finally {
        await session.close();
    }
}
