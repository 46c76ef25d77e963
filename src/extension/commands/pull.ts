import * as vscode from 'vscode';
import { readPullSnapshot, renderPulledConfiguration, type PulledConfiguration, type PullReference } from '../../pull/index.js';
import { SYNTHFLOW_REGIONS, type SynthflowRegion } from '../../vendors/synthflow-facts.js';
import { scopeOf, type SynthflowScope } from '../connection.js';
import { desiredOf, documentOf, fileName, withProgress, withSession, type CommandContext } from './shared.js';

export interface PullCommandOptions {
    readonly region?: SynthflowRegion;
    readonly workspace?: string;
}

/** What the file pulled against says (pull/render.ts), beyond the Synthflow scope. */
interface PullHints {
    sipDomain?: string;
    integration?: string;
    reference?: PullReference;
}

/**
 * SIPflow: Pull from Dixa/Synthflow — writes the live configuration as a new untitled `.sipflow` file. The scope is the options', else
 * the active file's, else asked for.
 */
export async function pullCommand(ctx: CommandContext, options: PullCommandOptions = {}): Promise<vscode.TextDocument | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    let scope: SynthflowScope | undefined;
    let hints: PullHints = {};
    if (options.region && options.workspace) scope = { region: options.region, workspace: options.workspace };
    else if (active?.languageId === 'sipflow') {
        const result = await ctx.model.load(active);
        if (result.ok) {
            scope = scopeOf(result.desired);
            hints = { sipDomain: result.desired.dixa.sipDomain, integration: result.desired.integration, reference: result.reference };
        }
    }
    scope ??= await askScope();
    if (!scope) return undefined;
    const pulled = await pullConfiguration(ctx, scope, hints);
    const document = await vscode.workspace.openTextDocument({ language: 'sipflow', content: pulled.text });
    await vscode.window.showTextDocument(document);
    const notes = pulled.notes.length > 0 ? ` ${pulled.notes.length} note${pulled.notes.length === 1 ? '' : 's'} in the log.` : '';
    void vscode.window.showInformationMessage(
        `SIPflow: pulled ${pulled.integration}: ${pulled.departments} department${pulled.departments === 1 ? '' : 's'}, ${pulled.queues} queue${pulled.queues === 1 ? '' : 's'}.${notes}`,
    );
    return document;
}

/** SIPflow: Compare with Live — the live configuration, pulled against the file, in a diff editor beside it. */
export async function compareWithLiveCommand(ctx: CommandContext, uri?: vscode.Uri): Promise<void> {
    const document = await documentOf(uri);
    const desired = await desiredOf(ctx, document, 'compare');
    const loaded = await ctx.model.load(document);
    const reference = loaded.ok ? loaded.reference : undefined;
    const pulled = await pullConfiguration(ctx, scopeOf(desired), { sipDomain: desired.dixa.sipDomain, integration: desired.integration, ...(reference ? { reference } : {}) });
    const live = ctx.views.uriFor('live', document.uri);
    ctx.views.set(live, pulled.text);
    await vscode.commands.executeCommand('vscode.diff', live, document.uri, `${fileName(document.uri)}: live ↔ file`);
}

async function pullConfiguration(ctx: CommandContext, scope: SynthflowScope, hints: PullHints): Promise<PulledConfiguration> {
    return withProgress(ctx, 'SIPflow: pulling from Dixa and Synthflow', (progress, signal) =>
        withSession(ctx, scope, signal, async session => {
            progress.report({ message: `reading ${session.endpoint.label}…` });
            const snapshot = await readPullSnapshot(session.providers);
            const pulled = renderPulledConfiguration(snapshot, { ...scope, ...hints });
            ctx.log.info(`Pulled ${pulled.integration} from ${session.endpoint.label}: ${pulled.departments} departments, ${pulled.queues} queues.`);
            for (const note of pulled.notes) ctx.log.warn(`pull: ${note}`);
            return pulled;
        }),
    );
}

async function askScope(): Promise<SynthflowScope | undefined> {
    const region = await vscode.window.showQuickPick([...SYNTHFLOW_REGIONS], {
        title: 'SIPflow: Pull — Synthflow region',
        placeHolder: 'The region of your Synthflow workspace',
    });
    if (!region) return undefined;
    const workspace = await vscode.window.showInputBox({
        title: 'SIPflow: Pull — Synthflow workspace id',
        prompt: 'The Synthflow workspace id the numbers live in (Synthflow → Settings)',
        ignoreFocusOut: true,
        validateInput: v => (v.trim() ? undefined : 'The workspace id is needed to list its numbers'),
    });
    return workspace ? { region: region as SynthflowRegion, workspace: workspace.trim() } : undefined;
}
