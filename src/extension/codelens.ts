import * as vscode from 'vscode';
import type { PlanItem } from '../plan/index.js';
import type { PlanStore } from './plan-store.js';

/**
 * CodeLens: "Plan" / "Apply" above the integration, and above each department and queue what the last
 * plan says about it ("in sync", "will create 2", "will update 2 fields", "conflict"). Positions come
 * from the language server's document symbols; the statements come from the plan items.
 */
export class PlanCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeCodeLenses = this.changed.event;
    private readonly subscription: vscode.Disposable;

    constructor(private readonly plans: PlanStore) {
        this.subscription = plans.onDidChange(() => this.changed.fire());
    }

    async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
        const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri)) ?? [];
        const lenses: vscode.CodeLens[] = [];
        const integration = symbols.find(s => /^\s*integration\b/.test(document.lineAt(s.range.start.line).text)) ?? symbols[0];
        const top = new vscode.Range(integration?.range.start ?? new vscode.Position(0, 0), integration?.range.start ?? new vscode.Position(0, 0));
        lenses.push(
            new vscode.CodeLens(top, { title: '$(list-flat) Plan', command: 'sipflow.plan', arguments: [document.uri] }),
            new vscode.CodeLens(top, { title: '$(cloud-upload) Apply', command: 'sipflow.apply', arguments: [document.uri] }),
            new vscode.CodeLens(top, { title: '$(type-hierarchy) Call Flow', command: 'sipflow.showCallFlow', arguments: [document.uri] }),
        );
        const record = this.plans.get(document.uri);
        if (!record) return lenses;
        const outdated = record.version !== document.version;
        const children = integration ? integration.children : symbols;
        for (const symbol of children) {
            const keyword = /^\s*(department|queue)\b/.exec(document.lineAt(symbol.selectionRange.start.line).text)?.[1];
            if (!keyword) continue;
            const key = symbol.name;
            let items: PlanItem[];
            if (keyword === 'queue') {
                const queue = record.plan.desired.queues.find(q => q.key === key);
                items = record.plan.items.filter(i => (i.resource === 'queue' && i.key === queue?.name) || (i.resource === 'queue-routing' && i.departments.includes(key)));
            } else {
                items = record.plan.items.filter(i => i.resource !== 'queue' && i.resource !== 'queue-routing' && i.departments.includes(key));
            }
            const range = new vscode.Range(symbol.range.start, symbol.range.start);
            lenses.push(
                new vscode.CodeLens(range, {
                    title: lensTitle(items, outdated),
                    tooltip: outdated
                        ? 'The file changed since the last plan: plan again to see what this would change.'
                        : items
                              .filter(i => i.kind !== 'no-op')
                              .map(i => i.summary)
                              .join('\n') || 'Everything this declares matches the live accounts.',
                    command: 'sipflow.plan',
                    arguments: [document.uri],
                }),
            );
        }
        return lenses;
    }

    dispose(): void {
        this.subscription.dispose();
        this.changed.dispose();
    }
}

/**
 * One state per lens: an edit since the plan makes the plan's statement unreliable, so an outdated
 * lens says only that ("(outdated) ✓ in sync" read as two contradicting states).
 */
export function lensTitle(items: readonly PlanItem[], outdated: boolean): string {
    return outdated ? '$(history) plan outdated — plan again' : describe(items);
}

/** "in sync", "will create 2 · will update 2 fields", "conflict", "1 manual step". */
export function describe(items: readonly PlanItem[]): string {
    const count = (kind: PlanItem['kind']) => items.filter(i => i.kind === kind).length;
    const parts: string[] = [];
    if (count('conflict') > 0) parts.push(`$(error) ${count('conflict')} conflict${count('conflict') === 1 ? '' : 's'}`);
    if (count('create') > 0) parts.push(`will create ${count('create')}`);
    const updates = items.filter(i => i.kind === 'update' || i.kind === 'adopt');
    if (updates.length > 0) {
        const fields = updates.reduce((n, i) => n + i.changes.length, 0);
        parts.push(`will update ${fields} field${fields === 1 ? '' : 's'}`);
    }
    if (count('attach') > 0) parts.push(`will attach ${count('attach')}`);
    if (count('orphan') > 0) parts.push(`${count('orphan')} orphan${count('orphan') === 1 ? '' : 's'}`);
    const changing = parts.length > 0;
    if (count('manual') > 0) parts.push(`${count('manual')} manual step${count('manual') === 1 ? '' : 's'}`);
    return changing ? `$(diff) ${parts.join(' · ')}` : `$(check) in sync${parts.length ? ` · ${parts.join(' · ')}` : ''}`;
}
