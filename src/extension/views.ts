import * as vscode from 'vscode';

export const VIEW_SCHEME = 'sipflow-view';

/**
 * Read-only virtual documents (plan, apply result, checklist, pulled live configuration) under the
 * `sipflow-view:` scheme. Each source file has one document per kind, refreshed in place.
 */
export class ViewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
    private readonly contents = new Map<string, string>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;

    /** `kind`: plan | result | checklist | live; VS Code picks the language from the name (a plan and an apply result are `sipflow-plan`, coloured by its grammar). */
    uriFor(kind: 'plan' | 'result' | 'checklist' | 'live', source: vscode.Uri): vscode.Uri {
        const base = source.path.split('/').pop() || 'untitled';
        const name =
            kind === 'live'
                ? `${base.replace(/\.sipflow$/, '')} (live).sipflow`
                : kind === 'checklist'
                  ? `${base} checklist.md`
                  : kind === 'result'
                    ? `${base} apply result.sipflow-plan`
                    : `${base} plan.sipflow-plan`;
        return vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${kind}/${name}`, query: source.toString() });
    }

    set(uri: vscode.Uri, content: string): void {
        this.contents.set(uri.toString(), content);
        this.changed.fire(uri);
    }

    get(uri: vscode.Uri): string | undefined {
        return this.contents.get(uri.toString());
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.contents.get(uri.toString()) ?? '';
    }

    dispose(): void {
        this.changed.dispose();
    }
}
