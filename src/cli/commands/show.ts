import { Option, type Command } from 'commander';
import type { DesiredState } from '../../model/index.js';
import { renderPlanMarkdown, renderPlanText, type SavedPlan } from '../../plan/index.js';
import { colorEnabled, ExitCode, stylesFor } from '../cli-support.js';
import { loadSavedPlanSources, readSavedPlanFile } from '../saved-plan-files.js';
import { outputFormatOf, PLAN_OUTPUT_FORMATS, type PlanOutputFormat } from './plan.js';

interface ShowOptions {
    readonly format?: PlanOutputFormat;
    readonly json?: boolean;
}

/**
 * `sipflow show PLAN [--json | --format text|json|markdown]`: prints a plan saved with `plan --out`,
 * checked as apply checks it (schema, content hash, dependencies), without contacting any vendor.
 */
export function registerShowCommand(program: Command): void {
    program
        .command('show')
        .description('print a plan saved with sipflow plan --out (contacts no vendor)')
        .argument('<plan>', 'the saved plan file')
        .addOption(
            new Option('-f, --format <format>', 'output format: text (default), json (the plan file as saved) or markdown (for a pull request)').choices(PLAN_OUTPUT_FORMATS),
        )
        .addOption(new Option('--json', 'the same as --format json'))
        .action(async (planFile: string, options: ShowOptions) => {
            process.exitCode = await showCommand(planFile, options);
        });
}

export async function showCommand(planFile: string, options: ShowOptions): Promise<ExitCode> {
    const format = outputFormatOf(options);
    const saved = await readSavedPlanFile(planFile);
    if (format === 'json') {
        // The checked plan, re-serialised as plan --out writes it (same bytes for an untouched file).
        process.stdout.write(`${JSON.stringify(saved, null, 2)}\n`);
        return ExitCode.Ok;
    }
    const desired = await desiredAsPlanned(planFile, saved);
    if (format === 'markdown') {
        process.stdout.write(renderPlanMarkdown(saved, { desired }));
    } else {
        process.stdout.write(renderPlanText({ ...saved, desired }, { color: colorEnabled(process.stdout) }));
        if (desired === undefined) process.stdout.write("\n(The plan's .sipflow files have changed or cannot be read: sipflow apply would refuse this plan.)\n");
    }
    return ExitCode.Ok;
}

/**
 * The plan's desired state, from its source files when they are still the ones it was made from (for the
 * header and the diagram); undefined otherwise. Showing a plan never fails for it: only apply needs them.
 */
async function desiredAsPlanned(planFile: string, saved: SavedPlan): Promise<DesiredState | undefined> {
    const silent = { write: () => true };
    try {
        const { desired } = await loadSavedPlanSources(planFile, saved, reason => new Error(reason), silent, stylesFor({}));
        return desired.sourceHash === saved.sourceHash ? desired : undefined;
    } catch {
        return undefined;
    }
}
