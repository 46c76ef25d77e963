import type * as vscode from 'vscode';
import { documentOf, type CommandContext } from './shared.js';

/** SIPflow: Show Call Flow — the file's call flow as a diagram in the call-flow view (src/extension/call-flow.ts). */
export async function showCallFlowCommand(ctx: CommandContext, uri?: vscode.Uri): Promise<void> {
    await ctx.callFlow.show(await documentOf(uri));
}
