import * as vscode from 'vscode';
import { applyPlan, renderApplyText, type ApplyProgressEvent, type ApplyResult } from '../../apply/index.js';
import { checklistSummary } from '../../checklist/index.js';
import { acquireRunLock, describeHolder, RunLockHeldError, urlTarget, type HeldRunLock } from '../../cli/run-lock.js';
import type { DesiredState } from '../../model/index.js';
import { manualWorkLine, type Plan } from '../../plan/index.js';
import { scopeOf, type Endpoint } from '../connection.js';
import { readSettings } from '../settings.js';
import { openChecklist } from './checklist.js';
import { checklistCounts, planAgainstLive, planWithProgress, setPlanDocument, showPlan, type PlanOutcome } from './plan.js';
import { desiredOf, documentOf, errorMessage, fileName, offer, Stopped, withProgress, withSession, type CommandContext, type Progress } from './shared.js';

/** Options the commands take when called programmatically (tests, other extensions, keybindings). */
export interface ApplyCommandOptions {
    /** false skips the modal confirmation, like the CLI's `--yes`. */
    readonly confirm?: boolean;
}

/**
 * SIPflow: Apply to Dixa/Synthflow — plans, shows the plan, asks, applies, then plans again so that the plan beside
 * the file, the status bar and the CodeLens show what is left.
 */
export async function applyCommand(ctx: CommandContext, uri?: vscode.Uri, options: ApplyCommandOptions = {}): Promise<ApplyResult | undefined> {
    const document = await documentOf(uri);
    const errors = vscode.languages.getDiagnostics(document.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
    if (errors.length > 0) {
        void offer(
            vscode.window.showErrorMessage(
                `SIPflow: ${fileName(document.uri)} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before applying.`,
                'Show Problems',
            ),
            { 'Show Problems': 'workbench.actions.view.problems' },
        );
        throw new Stopped();
    }
    const desired = await desiredOf(ctx, document, 'apply');
    // The CLI's run lock, held from the plan through the apply: a concurrent `sipflow apply` (or a
    // second Apply here) could otherwise create the same Dixa queue.
    const lock = await takeRunLock(ctx, document, desired);
    try {
        return await applyHoldingLock(ctx, document, desired, options);
    } finally {
        lock.release();
    }
}

async function takeRunLock(ctx: CommandContext, document: vscode.TextDocument, desired: DesiredState): Promise<HeldRunLock> {
    const endpoint = await ctx.connections.endpoint(scopeOf(desired));
    const key = { integration: desired.integration, workspace: desired.synthflow.workspace, target: urlTarget(endpoint.dixa.baseUrl, endpoint.synthflow.baseUrl) };
    try {
        return await acquireRunLock(key, {
            timeoutMs: 0,
            command: `VS Code: SIPflow Apply ${fileName(document.uri)}`,
            onStaleRemoved: holder => ctx.log.warn(`Took over the lock of ${desired.integration}: ${describeHolder(holder)} is no longer running.`),
        });
    } catch (e) {
        if (!(e instanceof RunLockHeldError) || e.holder === undefined) throw e;
        ctx.log.error(e.message);
        void vscode.window.showErrorMessage(
            `SIPflow: ${desired.integration} is being applied by ${describeHolder(e.holder)}; nothing was sent. Apply again when it has finished.`,
            { modal: false },
        );
        throw new Stopped();
    }
}

/** The steps of an apply, in order, with the run lock held: plan, refuse or stop early, confirm, apply, re-plan, report. */
async function applyHoldingLock(ctx: CommandContext, document: vscode.TextDocument, desired: DesiredState, options: ApplyCommandOptions): Promise<ApplyResult | undefined> {
    const outcome = await planBeforeApply(ctx, document, desired, options);
    const { plan, endpoint } = outcome;
    if (plan.summary.conflict > 0) refuseConflicts(ctx, plan);
    if (!plan.hasChanges) {
        reportInSync(ctx, document, outcome);
        return undefined;
    }
    if (options.confirm !== false && !(await confirmApply(ctx, outcome))) return undefined;
    const result = await runApply(ctx, desired, plan, endpoint);
    ctx.log.block(result.ok ? 'info' : 'error', renderApplyText(result, { color: false }));
    ctx.views.set(ctx.views.uriFor('result', document.uri), renderApplyText(result, { color: false }));
    const after = await replanAfterApply(ctx, document, desired, result);
    reportApplied(ctx, document, outcome, result, after);
    return result;
}

/** Plans and shows the plan beside the file; before a confirmation, waits until the "planning…" notification can close. */
async function planBeforeApply(ctx: CommandContext, document: vscode.TextDocument, desired: DesiredState, options: ApplyCommandOptions): Promise<PlanOutcome> {
    const planning = Date.now();
    const outcome = await planWithProgress(ctx, document, desired);
    await showPlan(ctx, document, outcome);
    const { plan } = outcome;
    // VS Code keeps a progress notification open for 800 ms at the least (NOTIFICATION_MIN_VISIBLE_MS)
    // even when its work is done sooner; a modal shown before then has "planning…" lingering behind it.
    const confirming = options.confirm !== false && plan.summary.conflict === 0 && plan.hasChanges;
    if (confirming) await delay(Math.max(NOTIFICATION_MIN_VISIBLE_MS - (Date.now() - planning), NOTIFICATION_CLOSE_ROUND_TRIP_MS));
    return outcome;
}

function refuseConflicts(ctx: CommandContext, plan: Plan): never {
    const conflicts = plan.items.filter(i => i.kind === 'conflict').map(i => i.summary);
    ctx.log.error(`Apply refused: ${conflicts.length} conflict(s): ${conflicts.join('; ')}`);
    void vscode.window.showErrorMessage(`SIPflow: the plan has ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}; nothing was applied. ${conflicts[0]}`, {
        modal: false,
    });
    throw new Stopped();
}

function reportInSync(ctx: CommandContext, document: vscode.TextDocument, outcome: PlanOutcome): void {
    void offer(
        vscode.window.showInformationMessage(
            `SIPflow: ${outcome.desired.integration} is in sync with ${outcome.endpoint.label}; nothing to apply. ${checklistSummary(outcome.checklist)}.`,
            'Open Checklist',
        ),
        { 'Open Checklist': () => openChecklist(ctx, document.uri) },
    );
}

/** The modal confirmation; false (and a log line) when the user does not pick Apply. */
async function confirmApply(ctx: CommandContext, outcome: PlanOutcome): Promise<boolean> {
    const { desired, endpoint } = outcome;
    const s = outcome.plan.summary;
    const counts = `create ${s.create} · update ${s.update + s.adopt} · attach ${s.attach}`;
    const choice = await vscode.window.showWarningMessage(
        `Apply ${desired.integration} to ${endpoint.label}?`,
        {
            modal: true,
            detail:
                `${counts}\n\n${manualWorkLine(s, checklistCounts(outcome.checklist))}.\n\nThe plan is open beside the file.` +
                (endpoint.target === 'live' ? '\n\nThis changes your live Dixa and Synthflow accounts.' : ''),
        },
        'Apply',
    );
    if (choice === 'Apply') return true;
    ctx.log.info('Apply cancelled at the confirmation.');
    return false;
}

/** Applies the plan under a cancellable notification that counts the steps. */
function runApply(ctx: CommandContext, desired: DesiredState, plan: Plan, endpoint: Endpoint): Promise<ApplyResult> {
    return withProgress(ctx, `SIPflow: applying ${desired.integration} to ${endpoint.label}`, (progress, signal) =>
        withSession(ctx, scopeOf(desired), signal, async session => {
            const trunk = desired.synthflow.trunkAuth;
            const env = await ctx.credentials.env(trunk.kind === 'credentials' ? [trunk.usernameEnv, trunk.passwordEnv] : []);
            return applyPlan(plan, session.providers, { concurrency: readSettings().applyConcurrency, signal, env, onProgress: stepReporter(ctx, progress) });
        }),
    );
}

/** Apply's step events as the notification's message and increment, and one log line per finished step. */
function stepReporter(ctx: CommandContext, progress: Progress): (event: ApplyProgressEvent) => void {
    let done = 0;
    return event => {
        if (event.type === 'step-started') {
            progress.report({ message: ctx.log.redact(`(${event.completed + 1}/${event.total}) ${event.step.summary}`) });
        } else {
            const increment = event.total > 0 ? ((event.completed - done) / event.total) * 100 : 0;
            done = event.completed;
            progress.report({ increment, message: ctx.log.redact(`(${event.completed}/${event.total}) ${event.outcome.message ?? event.step.summary}`) });
            ctx.log[event.type === 'step-failed' ? 'error' : 'info'](
                `${event.type.replace('step-', '')}: ${event.step.summary}${event.outcome.error ? ` — ${event.outcome.error.message}` : ''}`,
            );
        }
    };
}

/**
 * Re-plans quietly, so that the status bar, the CodeLens and the checklist show what is left, and rewrites the plan
 * beside the file, which would otherwise still say "+ create" for what was just created. Undefined when the live
 * state could not be re-read (logged).
 */
async function replanAfterApply(ctx: CommandContext, document: vscode.TextDocument, desired: DesiredState, result: ApplyResult): Promise<PlanOutcome | undefined> {
    let after: PlanOutcome | undefined;
    try {
        after = await planAgainstLive(ctx, document, desired, { report: () => undefined }, new AbortController().signal);
    } catch (e) {
        ctx.log.warn(`Could not re-read the live state after apply: ${errorMessage(ctx, e)}`);
    }
    const appliedAt = `${verbOf(result)} at ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
    const planUri = ctx.views.uriFor('plan', document.uri);
    if (after) setPlanDocument(ctx, document, after, `${appliedAt} — re-planned from the live state: this is what is left`);
    else ctx.views.set(planUri, `# ${appliedAt} — the live state could not be re-read (see the log); plan again to see what is left.\n`);
    return after;
}

/** The closing message: what was done, what was not, and what the checklist still asks for. */
function reportApplied(ctx: CommandContext, document: vscode.TextDocument, outcome: PlanOutcome, result: ApplyResult, after: PlanOutcome | undefined): void {
    const { desired, endpoint } = outcome;
    const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    const what =
        result.status === 'cancelled' ? `applying ${desired.integration} to ${endpoint.label} was cancelled` : `${desired.integration} ${verbOf(result)} to ${endpoint.label}`;
    void offer(show(`SIPflow: ${what}: ${resultSummary(result, after)}`, 'Show Result', 'Show Log', 'Open Checklist'), {
        'Show Result': () => vscode.window.showTextDocument(ctx.views.uriFor('result', document.uri), { preview: true, viewColumn: vscode.ViewColumn.Beside }),
        'Show Log': () => ctx.log.show(),
        'Open Checklist': () => openChecklist(ctx, document.uri),
    });
}

function resultSummary(result: ApplyResult, after: PlanOutcome | undefined): string {
    const c = result.counts;
    // A step cancelled with its request in flight may have been made; one cancelled before it started was not.
    const interrupted = result.outcomes.filter(o => o.status === 'cancelled' && o.error !== null).length;
    return (
        `${c.succeeded} step${c.succeeded === 1 ? '' : 's'} done` +
        (c.failed ? `, ${c.failed} failed` : '') +
        (c.skipped ? `, ${c.skipped} not attempted` : '') +
        (interrupted ? `, ${interrupted} interrupted (may have been made)` : '') +
        (c.cancelled - interrupted ? `, ${c.cancelled - interrupted} not started` : '') +
        (after ? `. ${checklistSummary(after.checklist)}.` : '.')
    );
}

function verbOf(result: ApplyResult): string {
    return result.status === 'cancelled' ? 'cancelled' : result.ok ? 'applied' : 'partly applied';
}

/**
 * How long VS Code keeps a progress notification open at the least, plus a margin for the extension
 * host ⇄ workbench round trip. The rule, in ProgressService.withNotificationProgress
 * (src/vs/workbench/services/progress/browser/progressService.ts; in code-server 4.139.1's
 * out/vs/code/browser/workbench/workbench.js): `typeof options.delay === 'number' && options.delay > 0
 * ? await task.promise : await Promise.all([timeout(800), task.promise])`, then `notification.close()`.
 * An extension's withProgress passes no `delay`, so the toast closes 800 ms after it opened at the
 * earliest, however soon its work ends; test/vscode/suite/apply-ui.test.ts checks the modal has none behind it.
 * The workbench starts its 800 ms when our start message arrives, which under load is well after we
 * started (clean-clone CI runs saw the toast still closing as the modal came: with a 100 ms margin, and 49 ms behind it with 200).
 */
const NOTIFICATION_MIN_VISIBLE_MS = 1200;
/** After a slow plan: time for "progress ended" to reach the workbench and the toast to close. */
const NOTIFICATION_CLOSE_ROUND_TRIP_MS = 300;

function delay(ms: number): Promise<void> {
    return ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve();
}
