import * as vscode from 'vscode';
import { pendingChanges, type PlanStore } from './plan-store.js';
import { readSettings } from './settings.js';
import { declaredEnvironments } from './environments.js';

/**
 * One status bar item while a `.sipflow` file is active: the target, the file's error count and the
 * last plan's state ("in sync" / "N changes pending" / "plan outdated"). Clicking it plans.
 */
export class StatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('sipflow.status', vscode.StatusBarAlignment.Left, 50);
    /** The environment, when the file declares any: click to switch. */
    private readonly environmentItem = vscode.window.createStatusBarItem('sipflow.environment', vscode.StatusBarAlignment.Left, 49);
    private readonly disposables: vscode.Disposable[] = [];

    constructor(private readonly plans: PlanStore) {
        this.item.name = 'SIPflow';
        this.item.command = 'sipflow.plan';
        this.environmentItem.name = 'SIPflow environment';
        this.environmentItem.command = 'sipflow.selectEnvironment';
        this.disposables.push(
            vscode.window.onDidChangeActiveTextEditor(() => this.update()),
            vscode.languages.onDidChangeDiagnostics(() => this.update()),
            vscode.workspace.onDidChangeTextDocument(e => {
                if (e.document === vscode.window.activeTextEditor?.document) this.update();
            }),
            vscode.workspace.onDidChangeConfiguration(e => {
                if (e.affectsConfiguration('sipflow')) this.update();
            }),
            plans.onDidChange(() => this.update()),
        );
        this.update();
    }

    /** The text shown (for tests): the main item, and the environment item when it is shown. */
    get text(): string {
        return this.environmentText === undefined ? this.item.text : `${this.item.text}  ${this.environmentText}`;
    }

    private environmentText: string | undefined;

    private updateEnvironment(doc: vscode.TextDocument): void {
        const declared = declaredEnvironments(doc.getText());
        if (declared.length === 0) {
            this.environmentText = undefined;
            this.environmentItem.hide();
            return;
        }
        const selected = readSettings().environment;
        const known = selected === undefined || declared.includes(selected);
        this.environmentText = `$(layers) ${selected ?? 'default'}${known ? '' : ' (not in this file)'}`;
        this.environmentItem.text = this.environmentText;
        this.environmentItem.tooltip = `SIPflow environment: ${selected === undefined ? 'the default (the top level)' : selected}. This file declares ${declared.join(', ')}. Click to switch.`;
        this.environmentItem.backgroundColor = known ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
        this.environmentItem.show();
    }

    update(): void {
        const doc = vscode.window.activeTextEditor?.document;
        if (!doc || doc.languageId !== 'sipflow') {
            this.item.hide();
            this.environmentItem.hide();
            this.environmentText = undefined;
            return;
        }
        this.updateEnvironment(doc);
        const target = readSettings().target;
        const errors = vscode.languages.getDiagnostics(doc.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error).length;
        const parts = [`$(${target === 'sandbox' ? 'beaker' : 'cloud'}) SIPflow: ${target}`];
        if (errors > 0) parts.push(`$(error) ${errors}`);
        const record = this.plans.get(doc.uri);
        let planText = '';
        if (record && record.target === target) {
            if (record.version !== doc.version) planText = 'plan outdated';
            else {
                const n = pendingChanges(record.plan);
                planText =
                    record.plan.summary.conflict > 0
                        ? `${record.plan.summary.conflict} conflict${record.plan.summary.conflict === 1 ? '' : 's'}`
                        : n === 0
                          ? 'in sync'
                          : `${n} change${n === 1 ? '' : 's'} pending`;
            }
            parts.push(planText);
        }
        this.item.text = parts.join('  ');
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**SIPflow** — target: ${target === 'sandbox' ? 'the in-process sandbox' : 'the live Dixa and Synthflow accounts'}\n\n`);
        tooltip.appendMarkdown(errors > 0 ? `${errors} error${errors === 1 ? '' : 's'} in this file\n\n` : 'No errors in this file\n\n');
        if (record) tooltip.appendMarkdown(`Last plan ${record.at.toLocaleTimeString()}: ${planText}\n\n`);
        tooltip.appendMarkdown('Click to plan.');
        this.item.tooltip = tooltip;
        this.item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
        this.item.show();
    }

    dispose(): void {
        this.item.dispose();
        this.environmentItem.dispose();
        for (const d of this.disposables) d.dispose();
    }
}
