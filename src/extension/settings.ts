import * as vscode from 'vscode';

export type Target = 'sandbox' | 'live';

/** The extension's settings (package.json `contributes.configuration`), read fresh each time. */
export interface SipflowSettings {
    readonly target: Target;
    /** Empty: Dixa's public API. */
    readonly dixaBaseUrl: string;
    /** Empty: the API host of the file's Synthflow region. */
    readonly synthflowBaseUrl: string;
    readonly applyConcurrency: number;
    /** The environment to plan, apply and hover (`environment NAME { … }`); undefined: the default (top level). */
    readonly environment: string | undefined;
}

export function readSettings(): SipflowSettings {
    const c = vscode.workspace.getConfiguration('sipflow');
    const concurrency = Math.floor(Number(c.get('apply.concurrency', 4)));
    return {
        target: c.get<string>('target', 'sandbox') === 'live' ? 'live' : 'sandbox',
        dixaBaseUrl: (c.get<string>('dixa.baseUrl', '') ?? '').trim(),
        synthflowBaseUrl: (c.get<string>('synthflow.baseUrl', '') ?? '').trim(),
        applyConcurrency: Number.isFinite(concurrency) ? Math.min(16, Math.max(1, concurrency)) : 4,
        environment: (c.get<string>('environment', '') ?? '').trim() || undefined,
    };
}

export async function setTarget(target: Target): Promise<void> {
    const c = vscode.workspace.getConfiguration('sipflow');
    // Where the user set it, keep it there; otherwise user settings.
    const inspect = c.inspect('target');
    const scope =
        inspect?.workspaceFolderValue !== undefined
            ? vscode.ConfigurationTarget.WorkspaceFolder
            : inspect?.workspaceValue !== undefined
              ? vscode.ConfigurationTarget.Workspace
              : vscode.ConfigurationTarget.Global;
    await c.update('target', target, scope);
}

/** Selects the environment (undefined: the default) in the workspace, where a team's files live. */
export async function setEnvironment(environment: string | undefined): Promise<void> {
    const c = vscode.workspace.getConfiguration('sipflow');
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await c.update('environment', environment ?? '', target);
}
