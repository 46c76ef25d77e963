import * as vscode from 'vscode';
import { declaredEnvironments } from './environments.js';
import type { ExtensionLog } from './log.js';
import { readSettings, setEnvironment } from './settings.js';

const DEFAULT_LABEL = 'default';

/**
 * "SIPflow: Select Environment" (also the environment item of the status bar): picks one of the active
 * file's environments, or the default. With an argument (`''` for the default) it selects without asking,
 * for keybindings and tests.
 */
export function registerEnvironmentCommand(context: vscode.ExtensionContext, log: ExtensionLog): void {
    context.subscriptions.push(
        vscode.commands.registerCommand('sipflow.selectEnvironment', async (name?: string) => {
            const chosen = typeof name === 'string' ? name.trim() || undefined : await pick();
            if (chosen === null) return;
            await setEnvironment(chosen);
            log.info(`Environment: ${chosen ?? 'the default (the top level)'}.`);
        }),
    );
}

/** The user's choice: a name, undefined for the default, null when dismissed. */
async function pick(): Promise<string | undefined | null> {
    const document = vscode.window.activeTextEditor?.document;
    const declared = document?.languageId === 'sipflow' ? declaredEnvironments(document.getText()) : [];
    const current = readSettings().environment;
    const items: vscode.QuickPickItem[] = [
        { label: DEFAULT_LABEL, description: 'the top level of the file', picked: current === undefined },
        ...declared.map(environment => ({ label: environment, description: `environment ${environment} { … }`, picked: environment === current })),
    ];
    if (declared.length === 0) {
        void vscode.window.showInformationMessage('SIPflow: this file declares no environment. Add one with environment NAME { … } inside the integration.');
    }
    const choice = await vscode.window.showQuickPick(items, { title: 'SIPflow: Select Environment', placeHolder: `Current: ${current ?? DEFAULT_LABEL}` });
    if (!choice) return null;
    return choice.label === DEFAULT_LABEL ? undefined : choice.label;
}
