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

/** The Synthflow assistant names the last read of the live state returned, for the Call Flow view. */
export interface AssistantNames {
    /** By lower-case `model_id`. */
    readonly names: ReadonlyMap<string, string>;
    /** What read them (`plan`, `checklist`) and when. */
    readonly by: string;
    readonly at: Date;
}

/** The last plan per document, for the status bar and the CodeLens; the last assistant names per integration. */
export class PlanStore implements vscode.Disposable {
    private readonly records = new Map<string, PlanRecord>();
    private readonly names = new Map<string, AssistantNames>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
    readonly onDidChange = this.changed.event;

    set(uri: vscode.Uri, record: PlanRecord): void {
        this.records.set(uri.toString(), record);
        this.changed.fire(uri);
    }

    get(uri: vscode.Uri): PlanRecord | undefined {
        return this.records.get(uri.toString());
    }

    /** Remembers the names of the assistants a read of the live state returned (plan, apply's re-plan, checklist). */
    rememberAssistants(integration: string, assistants: readonly { readonly modelId: string; readonly name: string }[], by: string): void {
        this.names.set(integration, { names: new Map(assistants.map(a => [a.modelId.toLowerCase(), a.name])), by, at: new Date() });
        this.changed.fire(undefined);
    }

    /** The names of the integration's assistants as last read; undefined before any read (against this target). */
    assistantNames(integration: string): AssistantNames | undefined {
        return this.names.get(integration);
    }

    /** Plans were made against one target; switching targets makes them all meaningless. */
    clear(): void {
        this.records.clear();
        this.names.clear();
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
