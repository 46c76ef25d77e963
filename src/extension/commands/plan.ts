import * as vscode from 'vscode';
import { checkAccount, readLiveState } from '../../apply/index.js';
import { buildChecklist, renderChecklistMarkdown, type Checklist } from '../../checklist/index.js';
import type { DesiredState } from '../../model/index.js';
import { computePlan, manualWorkLine, renderPlanText, summaryLine, type ChecklistCounts, type Plan } from '../../plan/index.js';
import { scopeOf, type Endpoint } from '../connection.js';
import { desiredOf, documentOf, fileName, withProgress, withSession, type CommandContext, type Progress } from './shared.js';

/** A plan against the live state (or the sandbox), with the checklist verified from the same read. */
export interface PlanOutcome {
    readonly desired: DesiredState;
    readonly plan: Plan;
    readonly checklist: Checklist;
    readonly endpoint: Endpoint;
}

/** SIPflow: Plan Changes — plans the file against its target and opens the plan beside it. */
export async function planCommand(ctx: CommandContext, uri?: vscode.Uri): Promise<Plan | undefined> {
    const document = await documentOf(uri);
    const desired = await desiredOf(ctx, document, 'plan');
    const outcome = await planWithProgress(ctx, document, desired);
    await showPlan(ctx, document, outcome);
    return outcome.plan;
}

/** Plans under a cancellable "planning …" notification. */
export function planWithProgress(ctx: CommandContext, document: vscode.TextDocument, desired: DesiredState): Promise<PlanOutcome> {
    return withProgress(ctx, `SIPflow: planning ${desired.integration}`, (progress, signal) => planAgainstLive(ctx, document, desired, progress, signal));
}

/** Reads the live state, plans, and remembers the plan (status bar, CodeLens) and the checklist view. */
export async function planAgainstLive(ctx: CommandContext, document: vscode.TextDocument, desired: DesiredState, progress: Progress, signal: AbortSignal): Promise<PlanOutcome> {
    const version = document.version;
    return withSession(ctx, scopeOf(desired), signal, async session => {
        progress.report({ message: `reading ${session.endpoint.label}…` });
        const live = await readLiveState(desired, session.providers);
        // The account guard: Plan and Apply (which applies this plan) refuse another organization's token.
        checkAccount(desired, live.dixa.organization, fileName(document.uri));
        ctx.plans.rememberAssistants(desired.integration, live.synthflow.assistants, 'plan');
        const plan = computePlan(desired, live);
        // The checklist is verified against what the plan already read from Dixa: no second read.
        const checklist = buildChecklist(desired, live.dixa);
        ctx.plans.set(document.uri, { plan, version, target: session.endpoint.target, at: new Date() });
        ctx.views.set(ctx.views.uriFor('checklist', document.uri), renderChecklistMarkdown(checklist));
        ctx.log.info(`Plan for ${desired.integration} against ${session.endpoint.label}: ${summaryLine(plan.summary)}`);
        return { desired, plan, checklist, endpoint: session.endpoint };
    });
}

export async function showPlan(ctx: CommandContext, document: vscode.TextDocument, outcome: PlanOutcome): Promise<void> {
    const uri = setPlanDocument(ctx, document, outcome);
    ctx.log.block('info', renderPlanText(outcome.plan, { color: false }));
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

/** Writes the plan view's text (refreshing an open view in place); `note` heads it, e.g. after an apply. */
export function setPlanDocument(ctx: CommandContext, document: vscode.TextDocument, outcome: PlanOutcome, note?: string): vscode.Uri {
    const header =
        (note ? `# ${note}\n` : '') +
        `# sipflow plan — ${fileName(document.uri)} against ${outcome.endpoint.label}, ${new Date().toLocaleString()}\n` +
        `# ${manualWorkLine(outcome.plan.summary, checklistCounts(outcome.checklist))} (SIPflow: Show Manual Checklist)\n\n`;
    const uri = ctx.views.uriFor('plan', document.uri);
    ctx.views.set(uri, header + renderPlanText(outcome.plan, { color: false }));
    return uri;
}

export function checklistCounts(checklist: Checklist): ChecklistCounts {
    const { verified, failed, unverifiable } = checklist.counts;
    return { steps: checklist.items.length, verified, failed, unverifiable, notChecked: checklist.counts['not-checked'] };
}
