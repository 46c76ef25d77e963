import * as vscode from 'vscode';
import { applyCommand, type ApplyCommandOptions } from './apply.js';
import { showChecklistCommand } from './checklist.js';
import { showCallFlowCommand } from './graph.js';
import { planCommand } from './plan.js';
import { compareWithLiveCommand, pullCommand, type PullCommandOptions } from './pull.js';
import { clearCredentialsCommand, createExampleCommand, setCredentialsCommand, useTargetCommand, type CredentialsCommandOptions } from './setup.js';
import { guard, type CommandContext } from './shared.js';

export type { ApplyCommandOptions } from './apply.js';
export type { PullCommandOptions } from './pull.js';
export type { CredentialsCommandOptions } from './setup.js';
export type { CommandContext } from './shared.js';

/**
 * Registers the desktop extension's commands, one file per group as the CLI has one per command: plan (`plan.ts`),
 * apply (`apply.ts`), pull and compare (`pull.ts`), the manual checklist (`checklist.ts`), the call flow
 * (`graph.ts`), credentials, target and the example file (`setup.ts`); what they share (the document, the desired
 * state, progress, the vendor session, error messages) is `shared.ts`. Select Environment is
 * `../environment-command.ts`, since VS Code for the web registers it too. Every handler runs through `guard`:
 * a failure becomes one message, and the command returns undefined.
 */
export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): void {
    const reg = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
    reg('sipflow.plan', (uri?: vscode.Uri) => guard(ctx, () => planCommand(ctx, uri)));
    reg('sipflow.compareWithLive', (uri?: vscode.Uri) => guard(ctx, () => compareWithLiveCommand(ctx, uri)));
    reg('sipflow.apply', (uri?: vscode.Uri, options?: ApplyCommandOptions) => guard(ctx, () => applyCommand(ctx, uri, options)));
    reg('sipflow.pull', (options?: PullCommandOptions) => guard(ctx, () => pullCommand(ctx, options)));
    reg('sipflow.showChecklist', (uri?: vscode.Uri) => guard(ctx, () => showChecklistCommand(ctx, uri)));
    reg('sipflow.showCallFlow', (uri?: vscode.Uri) => guard(ctx, () => showCallFlowCommand(ctx, uri)));
    reg('sipflow.setCredentials', (options?: CredentialsCommandOptions) => guard(ctx, () => setCredentialsCommand(ctx, options)));
    reg('sipflow.clearCredentials', () => guard(ctx, () => clearCredentialsCommand(ctx)));
    reg('sipflow.useSandbox', () => guard(ctx, () => useTargetCommand(ctx, 'sandbox')));
    reg('sipflow.useLive', () => guard(ctx, () => useTargetCommand(ctx, 'live')));
    reg('sipflow.showLog', () => ctx.log.show());
    reg('sipflow.createExample', () => guard(ctx, () => createExampleCommand()));
}
