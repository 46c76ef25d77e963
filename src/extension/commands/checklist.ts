import * as vscode from 'vscode';
import { readLiveState } from '../../apply/index.js';
import { buildChecklist, checklistSummary, renderChecklistMarkdown, type Checklist } from '../../checklist/index.js';
import { scopeOf } from '../connection.js';
import { desiredOf, documentOf, withProgress, withSession, type CommandContext } from './shared.js';

/** SIPflow: Show Manual Checklist — verifies the Dixa steps that have no API against Dixa and opens the checklist. */
export async function showChecklistCommand(ctx: CommandContext, uri?: vscode.Uri): Promise<Checklist> {
    const document = await documentOf(uri);
    const desired = await desiredOf(ctx, document, 'check');
    const checklist = await withProgress(ctx, `SIPflow: verifying the manual checklist of ${desired.integration}`, (progress, signal) =>
        withSession(ctx, scopeOf(desired), signal, async session => {
            progress.report({ message: `reading Dixa (${session.endpoint.label})…` });
            const live = await readLiveState(desired, session.providers);
            ctx.plans.rememberAssistants(desired.integration, live.synthflow.assistants, 'checklist');
            return buildChecklist(desired, live.dixa);
        }),
    );
    ctx.views.set(ctx.views.uriFor('checklist', document.uri), renderChecklistMarkdown(checklist));
    ctx.log.info(checklistSummary(checklist));
    await openChecklist(ctx, document.uri);
    return checklist;
}

/** Opens the checklist of `source` as rendered Markdown, verifying it first when there is none yet. */
export async function openChecklist(ctx: CommandContext, source: vscode.Uri): Promise<void> {
    const uri = ctx.views.uriFor('checklist', source);
    if (ctx.views.get(uri) === undefined) {
        await showChecklistCommand(ctx, source);
        return;
    }
    try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
        await vscode.window.showTextDocument(uri, { preview: true });
    }
}
