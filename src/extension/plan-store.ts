import * as vscode from 'vscode';
import type { Plan } from '../plan/index.js';
import type { Target } from './settings.js';

export interface PlanRecord {
    readonly plan: Plan;
    /** The document version the plan was made from: an edit makes it outdated. */
    readonly version: number;
    readonly target: Target;
    readonly at: Date;
}

/** The last plan per document, for the status bar and the CodeLens. */
export class PlanStore implements vscode.Disposable {
    private readonly records = new Map<string, PlanRecord>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
    readonly onDidChange = this.changed.event;

    set(uri: vscode.Uri, record: PlanRecord): void {
        this.records.set(uri.toString(), record);
        this.changed.fire(uri);
    }

    get(uri: vscode.Uri): PlanRecord | undefined {
        return this.records.get(uri.toString());
    }

    /** Plans were made against one target; switching targets makes them all meaningless. */
    clear(): void {
        this.records.clear();
        this.changed.fire(undefined);
    }

    dispose(): void {
        this.changed.dispose();
    }
}

/** Number of plan items apply would act on. */
export function pendingChanges(plan: Plan): number {
    const s = plan.summary;
    return s.create + s.update + s.adopt + s.attach;
}
