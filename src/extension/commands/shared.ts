import * as vscode from 'vscode';
import { PlanConflictError } from '../../apply/index.js';
import type { DesiredState } from '../../model/index.js';
import { ProviderError } from '../../providers/types.js';
import type { CallFlowPanel } from '../call-flow.js';
import { MissingCredentialsError, type Connections, type SynthflowScope, type VendorConnection } from '../connection.js';
import type { Credentials } from '../credentials.js';
import type { ExtensionLog } from '../log.js';
import type { PlanStore } from '../plan-store.js';
import type { ViewDocuments } from '../views.js';
import type { WorkspaceModel } from '../workspace-model.js';

/**
 * What the command handlers share: the extension's services, built once by `activate` (src/extension/main.ts).
 * Each handler is UI around the core: the model (src/model), the plan (src/plan), apply (src/apply), the
 * checklist (src/checklist) and pull (src/pull) do the work.
 */
export interface CommandContext {
    readonly log: ExtensionLog;
    readonly model: WorkspaceModel;
    readonly connections: Connections;
    readonly credentials: Credentials;
    readonly plans: PlanStore;
    readonly views: ViewDocuments;
    readonly callFlow: CallFlowPanel;
}

/** Thrown to stop a command after it has told the user why. */
export class Stopped extends Error {}

export type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/** The `.sipflow` document a command is about: the one named (also through a view's URI), else the active or only visible one. */
export async function documentOf(uri?: vscode.Uri): Promise<vscode.TextDocument> {
    if (uri instanceof vscode.Uri) {
        if (uri.scheme === 'sipflow-view' && uri.query) uri = vscode.Uri.parse(uri.query);
        return vscode.workspace.openTextDocument(uri);
    }
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'sipflow') return active;
    const visible = vscode.window.visibleTextEditors.map(e => e.document).filter(d => d.languageId === 'sipflow');
    if (visible.length === 1) return visible[0]!;
    void vscode.window.showWarningMessage('SIPflow: open a .sipflow file first.');
    throw new Stopped();
}

/** The document's desired state, or Stopped after saying why there is none (`verb`: what the command would have done). */
export async function desiredOf(ctx: CommandContext, document: vscode.TextDocument, verb: string): Promise<DesiredState> {
    const result = await ctx.model.load(document);
    if (result.ok) return result.desired;
    ctx.log.block('error', result.message);
    const first = result.problems[0];
    // No problems listed: the file is valid but there is nothing to build (no integration declared).
    const reason = first ? `${result.problems.length} error${result.problems.length === 1 ? '' : 's'} to fix first (${first.code}: ${first.message}).` : result.message;
    void offer(vscode.window.showErrorMessage(`SIPflow: cannot ${verb} ${fileName(document.uri)}: ${reason}`, 'Show Problems'), {
        'Show Problems': 'workbench.actions.view.problems',
    });
    throw new Stopped();
}

/** Runs `fn` with a connection to both vendors (or the sandbox), closed afterwards. */
export async function withSession<T>(ctx: CommandContext, scope: SynthflowScope, signal: AbortSignal, fn: (session: VendorConnection) => Promise<T>): Promise<T> {
    const session = await ctx.connections.open(scope, signal);
    try {
        return await fn(session);
    } finally {
        session.close();
    }
}

/** Runs `fn` under a cancellable progress notification; cancelling aborts `signal`. */
export function withProgress<T>(ctx: CommandContext, title: string, fn: (progress: Progress, signal: AbortSignal) => Promise<T>): Promise<T> {
    return Promise.resolve(
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
            const abort = new AbortController();
            const sub = token.onCancellationRequested(() => {
                ctx.log.warn(`${title}: cancelled by the user.`);
                abort.abort();
            });
            return fn(progress, abort.signal).finally(() => sub.dispose());
        }),
    );
}

/** Runs a command, turning every failure into one clear (redacted) message. Returns undefined after one. */
export async function guard<T>(ctx: CommandContext, fn: () => Promise<T>): Promise<T | undefined> {
    try {
        return await fn();
    } catch (e) {
        if (e instanceof Stopped) return undefined;
        const message = errorMessage(ctx, e);
        ctx.log.error(message);
        if (e instanceof MissingCredentialsError) {
            void offer(vscode.window.showErrorMessage(`SIPflow: ${message}`, 'Set API Credentials', 'Use Sandbox'), {
                'Set API Credentials': 'sipflow.setCredentials',
                'Use Sandbox': 'sipflow.useSandbox',
            });
        } else {
            void offer(vscode.window.showErrorMessage(`SIPflow: ${message}`, 'Show Log'), { 'Show Log': () => ctx.log.show() });
        }
        return undefined;
    }
}

/** A failure as one redacted line. */
export function errorMessage(ctx: CommandContext, e: unknown): string {
    if (e instanceof ProviderError) return ctx.log.redact(`${e.message}${e.status ? ` (HTTP ${e.status})` : ''}`);
    if (e instanceof PlanConflictError) return ctx.log.redact(e.message);
    return ctx.log.redact(e instanceof Error ? e.message : String(e));
}

/** Waits for the user's pick of a message's buttons and runs its action: a command id or a function. */
export async function offer(choice: Thenable<string | undefined>, actions: Record<string, string | (() => unknown)>): Promise<void> {
    const picked = await choice;
    const action = picked ? actions[picked] : undefined;
    if (typeof action === 'string') await vscode.commands.executeCommand(action);
    else if (action) await action();
}

export function fileName(uri: vscode.Uri): string {
    return uri.path.split('/').pop() || uri.toString();
}
