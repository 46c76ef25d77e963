import * as vscode from 'vscode';
import { EXAMPLE_TEXT } from '../example.js';
import { setTarget } from '../settings.js';
import { offer, type CommandContext } from './shared.js';

export interface CredentialsCommandOptions {
    readonly dixa?: string;
    readonly synthflow?: string;
    /** Values for `env:NAME` references (trunk credentials). */
    readonly env?: Readonly<Record<string, string>>;
}

/** SIPflow: Set API Credentials — into SecretStorage only: from the options (tests, keybindings), else asked for. */
export async function setCredentialsCommand(ctx: CommandContext, options?: CredentialsCommandOptions): Promise<void> {
    if (options && (options.dixa || options.synthflow || options.env)) {
        await ctx.credentials.store({ ...(options.dixa ? { dixa: options.dixa } : {}), ...(options.synthflow ? { synthflow: options.synthflow } : {}) });
        for (const [name, value] of Object.entries(options.env ?? {})) await ctx.credentials.storeEnv(name, value);
        return;
    }
    const envNames = await envNamesOfActiveFile(ctx);
    const picks: Array<vscode.QuickPickItem & { id: string }> = [
        { id: 'both', label: 'Dixa API token and Synthflow API key' },
        { id: 'dixa', label: 'Dixa API token', detail: 'Dixa → Settings → Integrations → API tokens' },
        { id: 'synthflow', label: 'Synthflow API key', detail: 'Synthflow → Settings → API keys' },
        ...envNames.map(name => ({ id: `env:${name}`, label: `env:${name}`, detail: 'A trunk credential the file refers to' })),
    ];
    const pick = await vscode.window.showQuickPick(picks, {
        title: 'SIPflow: Set API Credentials',
        placeHolder: "Stored in VS Code's secret storage, never in settings or files",
    });
    if (!pick) return;
    const ask = (what: string) =>
        vscode.window.showInputBox({
            title: `SIPflow: ${what}`,
            prompt: `${what} (kept in VS Code's secret storage)`,
            password: true,
            ignoreFocusOut: true,
            validateInput: v => (v.trim() ? undefined : 'Enter a value, or press Escape to cancel'),
        });
    if (pick.id.startsWith('env:')) {
        const value = await ask(pick.label);
        if (value) await ctx.credentials.storeEnv(pick.id.slice(4), value);
        return;
    }
    const dixa = pick.id === 'synthflow' ? undefined : await ask('Dixa API token');
    if (pick.id !== 'synthflow' && !dixa) return;
    const synthflow = pick.id === 'dixa' ? undefined : await ask('Synthflow API key');
    if (pick.id !== 'dixa' && !synthflow) return;
    await ctx.credentials.store({ ...(dixa ? { dixa } : {}), ...(synthflow ? { synthflow } : {}) });
    void vscode.window.showInformationMessage("SIPflow: credentials stored in VS Code's secret storage.");
}

/** SIPflow: Clear API Credentials. */
export async function clearCredentialsCommand(ctx: CommandContext): Promise<void> {
    await ctx.credentials.clear();
    void vscode.window.showInformationMessage("SIPflow: API credentials cleared from VS Code's secret storage.");
}

/** SIPflow: Use Sandbox / Use Live Accounts — the target of plan, apply, pull and the checklist; forgets the plans made against the other. */
export async function useTargetCommand(ctx: CommandContext, target: 'sandbox' | 'live'): Promise<void> {
    await setTarget(target);
    ctx.plans.clear();
    ctx.log.info(`Target: ${target === 'sandbox' ? 'the in-process sandbox' : 'the live Dixa and Synthflow accounts'}.`);
    if (target === 'live') {
        const keys = await ctx.credentials.get();
        if (!keys.dixa || !keys.synthflow) {
            void offer(vscode.window.showWarningMessage('SIPflow: now using the live accounts. Set the API credentials before planning.', 'Set API Credentials'), {
                'Set API Credentials': 'sipflow.setCredentials',
            });
            return;
        }
    }
    void vscode.window.showInformationMessage(`SIPflow: now using ${target === 'sandbox' ? 'the sandbox (in-process, demo data)' : 'the live Dixa and Synthflow accounts'}.`);
}

/** The `env:NAME` references of the active file's trunk credentials, offered by Set API Credentials. */
async function envNamesOfActiveFile(ctx: CommandContext): Promise<string[]> {
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId !== 'sipflow') return [];
    const result = await ctx.model.load(active);
    const trunk = result.ok ? result.desired.synthflow.trunkAuth : undefined;
    return trunk?.kind === 'credentials' ? [trunk.usernameEnv, trunk.passwordEnv] : [];
}

/** SIPflow: Create Example File — `acme.sipflow` in the first workspace folder (kept if it exists), else an untitled file. */
export async function createExampleCommand(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const text = EXAMPLE_TEXT;
    if (folder) {
        const uri = vscode.Uri.joinPath(folder.uri, 'acme.sipflow');
        try {
            await vscode.workspace.fs.stat(uri);
        } catch {
            await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        }
        await vscode.window.showTextDocument(uri);
    } else {
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sipflow', content: text }));
    }
}
