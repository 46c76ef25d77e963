import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import {
    AccountMismatchError,
    applyPlan,
    checkAccount,
    checkSavedPlan,
    describeStepError,
    guardAccount,
    PlanConflictError,
    readLiveState,
    renderApplyText,
    SavedPlanMismatchError,
    StalePlanError,
    type ApplyProgressEvent,
    type ApplyResult,
} from '../../apply/index.js';
import { buildChecklist, readDixaEvidence, renderChecklistText } from '../../checklist/index.js';
import type { DesiredState } from '../../model/index.js';
import { computePlan, renderPlanText, summaryLine, type Plan } from '../../plan/index.js';
import { colorEnabled, ExitCode, stylesFor, type Styles } from '../cli-support.js';
import { loadSavedPlan } from '../saved-plan-files.js';
import { addRunLockOptions, withRunLock, type RunLockOptions } from './run-lock-options.js';
import { CommandError, connect, loadIntegration, type VendorSession } from '../vendor-session.js';
import { SIPFLOW_EXTENSION } from '../workspace.js';
import { checklistStatusLine } from './checklist-status.js';
import { addTargetOptions, positiveInteger, type TargetOptions } from './shared-options.js';

interface ApplyCommandOptions extends TargetOptions, RunLockOptions {
    readonly yes?: boolean;
    readonly prune?: boolean;
    readonly concurrency: number;
    readonly checklist?: boolean;
}

/**
 * `sipflow apply FILE|PLAN [--sandbox] [--yes] [--prune] [--concurrency N]`: shows the plan, asks for
 * confirmation (unless --yes), applies it step by step, and reports exactly what was done, what failed
 * and what was not attempted. A saved plan (from `plan --out`) is the approval, so it needs no --yes;
 * it is applied only if a plan recomputed from its files and the live accounts equals it.
 */
export function registerApplyCommand(program: Command): void {
    addRunLockOptions(
        addTargetOptions(
            program
                .command('apply')
                .description('apply a .sipflow file (or a saved plan) to Dixa and Synthflow')
                .argument('<file-or-plan>', 'a .sipflow file, or a plan saved with sipflow plan --out'),
        ),
    )
        .addOption(new Option('-y, --yes', 'do not ask for confirmation (for CI; a saved plan needs none)'))
        .addOption(new Option('--prune', 'also detach numbers and actions this integration created that the file no longer declares (never deletes)'))
        .addOption(new Option('--concurrency <n>', 'steps in flight at once, per vendor').default(4).argParser(positiveInteger('--concurrency')))
        .addOption(new Option('--checklist', 'end with the whole manual checklist instead of its one-line status'))
        .action(async (target: string, options: ApplyCommandOptions) => {
            process.exitCode = await applyCommand(target, options);
        });
}

export async function applyCommand(target: string, options: ApplyCommandOptions): Promise<ExitCode> {
    const styles = stylesFor(process.stdout);
    // A saved plan brings no desired state, host or key: they come from its .sipflow files and the environment.
    const savedPlan = target.endsWith(SIPFLOW_EXTENSION) ? undefined : await loadSavedPlan(target, process.stdout, styles);
    const desired = savedPlan?.desired ?? (await loadIntegration(target, process.stdout, styles, { env: options.env })).desired;
    return withRunLock(desired, options, () => applyLocked(desired, savedPlan, options, target));
}

/** apply, holding the run lock: plan against the live state, confirm, apply, checklist. */
async function applyLocked(
    desired: DesiredState,
    savedPlan: Awaited<ReturnType<typeof loadSavedPlan>> | undefined,
    options: ApplyCommandOptions,
    target: string,
): Promise<ExitCode> {
    const color = colorEnabled(process.stdout);
    const controller = new AbortController();
    // The first Ctrl+C cancels (no new step starts); a second stops at once. Both are handled here rather
    // than by the default action, so that exit handlers (the run lock's release) always run.
    const onSignal = () => {
        if (controller.signal.aborted) {
            process.stderr.write('\nsipflow: stopping now: steps in flight may or may not have finished; run sipflow plan to see what is left.\n');
            process.exit(ExitCode.Failure);
        }
        process.stderr.write('\nsipflow: cancelling: no new step starts; waiting for the steps in flight… (Ctrl+C again stops at once)\n');
        controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const session = await connect(desired.synthflow.workspace, desired.synthflow.apiBaseUrl, { ...options, signal: controller.signal, concurrency: options.concurrency });
    try {
        // The account guard, before any write: a saved plan is checked first, so that another organization's
        // token is named as such rather than as "the live accounts changed".
        if (savedPlan) await guardAccount(desired, session.dixa, `the plan ${target} (of ${savedPlan.saved.sources.map(s => s.path).join(', ')})`);
        const plan = savedPlan
            ? await checkSavedPlan(savedPlan.saved, savedPlan, session, { prune: options.prune === true })
            : await planFromFile(desired, session, options, target);
        process.stdout.write(
            `Applying integration ${desired.integration}${desired.environment ? ` (environment ${desired.environment})` : ''} to ${session.target}.\n\n${renderPlanText(plan, { color })}\n\n`,
        );
        if (plan.summary.conflict > 0) throw new CommandError(new PlanConflictError(plan.items.filter(i => i.kind === 'conflict')).message);
        if (!plan.hasChanges) {
            process.stdout.write('Nothing to apply: Dixa and Synthflow already match the file.\n');
        } else if (!savedPlan && !(await confirmed(plan, options))) {
            process.stdout.write('Apply cancelled: nothing was changed.\n');
            return ExitCode.Failure;
        }
        let result: ApplyResult | undefined;
        if (plan.hasChanges) {
            const applyOptions = {
                concurrency: options.concurrency,
                signal: controller.signal,
                prune: options.prune === true,
                // A terminal also sees each step start; logs (CI) get one line per finished step.
                onProgress: (event: ApplyProgressEvent) => {
                    if (event.type !== 'step-started' || process.stderr.isTTY) process.stderr.write(progressLine(event));
                },
            };
            result = await applyPlan(plan, session, applyOptions);
            process.stdout.write(`\n${renderApplyText(result, { color })}\n`);
        }
        process.stdout.write(`\n${await checklistAfterApply(desired, session, options.checklist ? stylesFor(process.stdout) : undefined)}\n`);
        return result === undefined || result.ok ? ExitCode.Ok : ExitCode.Failure;
    } catch (error) {
        if (error instanceof StalePlanError || error instanceof SavedPlanMismatchError || error instanceof PlanConflictError || error instanceof AccountMismatchError)
            throw new CommandError(error.message);
        throw error;
    } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await session.close();
    }
}

async function planFromFile(desired: DesiredState, session: VendorSession, options: ApplyCommandOptions, file: string): Promise<Plan> {
    const live = await readLiveState(desired, session, { prune: options.prune === true });
    checkAccount(desired, live.dixa.organization, file);
    return computePlan(desired, live);
}

async function confirmed(plan: Plan, options: ApplyCommandOptions): Promise<boolean> {
    if (options.yes) return true;
    if (!process.stdin.isTTY) {
        throw new CommandError('apply needs confirmation and there is no terminal to ask: review the plan, then pass --yes.');
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
        const answer = await prompt.question(`${summaryLine(plan.summary)}\nApply these changes? Only 'yes' is accepted: `);
        return answer.trim() === 'yes';
    } finally {
        prompt.close();
    }
}

function progressLine(event: ApplyProgressEvent): string {
    const counter = `[${String(event.completed + (event.type === 'step-started' ? 1 : 0)).padStart(String(event.total).length)}/${event.total}]`;
    switch (event.type) {
        case 'step-started':
            return `  ${counter} … ${event.step.summary}\n`;
        case 'step-succeeded':
            return `  ${counter} ✓ ${event.step.summary}${event.outcome.message ? ` (${event.outcome.message})` : ''}\n`;
        case 'step-failed':
            return `  ${counter} ✗ ${event.step.summary}: ${event.outcome.error ? describeStepError(event.outcome.error) : (event.outcome.message ?? 'failed')}\n`;
        case 'step-skipped':
            return `  ${counter} - ${event.step.summary}: ${event.outcome.message ?? 'not attempted'}\n`;
    }
}

/** The checklist's one-line status, or the whole checklist when `styles` are given. */
async function checklistAfterApply(desired: DesiredState, session: VendorSession, styles?: Styles): Promise<string> {
    const evidence = await readDixaEvidence(session.dixa).catch(() => ({}));
    return styles ? renderChecklistText(buildChecklist(desired, evidence), styles) : checklistStatusLine(desired, evidence);
}
