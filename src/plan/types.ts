/**
 * The plan: what `computePlan(desired, live)` returns and `applyPlan` executes. Plain JSON-safe data
 * (no undefined, no class instances). Saved, it becomes a `SavedPlan` (`renderPlanJson`/`parsePlanJson`):
 * the same items without the desired state, with relative source paths and a content hash. The JSON
 * format is documented in ./PLAN-FORMAT.md.
 */
import type { DesiredState } from '../model/types.js';
import type { LiveTransferConfig } from '../providers/types.js';

export const PLAN_FORMAT = 'sipflow-plan';
/** 2: no `desired` in the file (it is rebuilt from the sources), relative `sources`, `contentHash`. */
export const PLAN_FORMAT_VERSION = 3;

export type PlanVendor = 'dixa' | 'synthflow';

/**
 * What an item is about:
 * - `queue` (Dixa agent queue, by name)
 * - `number` (Synthflow custom SIP number, by E.164)
 * - `assistant` (a Synthflow assistant the file names; only conflicts)
 * - `assistant-numbers` (the numbers attached to an assistant)
 * - `transfer-action` (a LIVE_TRANSFER action on an assistant, by target URI)
 * - `assistant-actions` (the action list of an assistant)
 * - `sip-settings`, `phone-flow`, `queue-routing` (Dixa UI only: manual steps)
 */
export type PlanResource = 'queue' | 'number' | 'assistant' | 'assistant-numbers' | 'transfer-action' | 'assistant-actions' | 'sip-settings' | 'phone-flow' | 'queue-routing';

/**
 * - `create`: the object does not exist; apply creates it.
 * - `update`: an object sipflow manages differs field by field; apply changes those fields.
 * - `adopt`: an object exists by its natural key but carries no sipflow marker; apply takes it over
 *   (sets the marker and any differing field) instead of creating a duplicate.
 * - `attach`: an inbound number to set on an assistant, or actions to add to its list (the others stay).
 * - `no-op`: matches the file.
 * - `conflict`: the file cannot be applied as it stands; apply refuses the whole plan.
 * - `orphan`: something sipflow owns that the file no longer declares; detached only with `--prune`,
 *   never deleted.
 * - `dedupe`: a twin of a transfer action sipflow manages (left by a lost response or a concurrent run):
 *   detached from the assistant and, once attached nowhere, deleted. Dixa queue twins cannot be removed
 *   by API: sipflow picks one and lists a `manual` step for the other.
 * - `manual`: a step with no API (Dixa UI); `sipflow checklist` prints and verifies it.
 */
export type PlanItemKind = 'create' | 'update' | 'adopt' | 'attach' | 'dedupe' | 'no-op' | 'conflict' | 'orphan' | 'manual';

export type FieldValue = string | number | boolean | null | readonly string[];

export interface FieldChange {
    /** The vendor's field name (`friendly_name`, `termination_uri`, `instructions`, …). */
    readonly field: string;
    /** null when the object does not exist yet. */
    readonly before: FieldValue;
    readonly after: FieldValue;
}

/** Where an action id comes from: already known, or produced by a create step of this plan. */
export type ActionRef = { readonly actionId: string } | { readonly createdBy: string };

/** What apply does for an item. Everything needed is here: a saved plan is applied exactly as shown. */
export type PlanOperation =
    | { readonly type: 'dixa.createQueue'; readonly name: string; readonly offerAlgorithm: string | null }
    | {
          readonly type: 'synthflow.importNumber';
          readonly e164: string;
          readonly friendlyName: string;
          readonly terminationUri: string;
          /** Environment variable names; their values are read when the step runs. */
          readonly trunkUsernameEnv: string | null;
          readonly trunkPasswordEnv: string | null;
      }
    | { readonly type: 'synthflow.updateNumber'; readonly e164: string; readonly friendlyName: string | null; readonly terminationUri: string | null }
    /** Makes the number the inbound assistant's own (`PUT /assistants/{id}` `phone_number`), read back. */
    | { readonly type: 'synthflow.setInboundNumber'; readonly modelId: string; readonly e164: string }
    | { readonly type: 'synthflow.createTransfer'; readonly modelId: string; readonly name: string; readonly config: LiveTransferConfig }
    | { readonly type: 'synthflow.updateTransfer'; readonly modelId: string; readonly actionId: string; readonly config: LiveTransferConfig }
    /** Adds actions to the assistant (`/actions/attach` with only these), read back. */
    | { readonly type: 'synthflow.attachActions'; readonly modelId: string; readonly add: readonly ActionRef[] }
    /** Removes actions from the assistant (`/actions/detach`), read back; the actions themselves stay. Orphans (needs --prune) and twins. */
    | { readonly type: 'synthflow.detachActions'; readonly modelId: string; readonly remove: readonly string[] }
    /** Deletes a twin transfer action, unless it is (still) attached to an assistant when the step runs. */
    | { readonly type: 'synthflow.deleteAction'; readonly actionId: string };

export interface PlanItem {
    /** Stable address, derived from natural keys: `synthflow/number/+4535551234`. */
    readonly id: string;
    readonly vendor: PlanVendor;
    readonly resource: PlanResource;
    readonly kind: PlanItemKind;
    /** The natural key as the user knows it: a queue name, an E.164, an assistant id, a target URI. */
    readonly key: string;
    /** One line, complete on its own: what will happen (or what is wrong) and to what. */
    readonly summary: string;
    readonly changes: readonly FieldChange[];
    /** Why: the conflict, the orphan, the no-op that cannot be verified, the manual step's detail. */
    readonly detail: string | null;
    /** File keys of the departments (or queues) the item serves. */
    readonly departments: readonly string[];
    /** Items that must succeed before this one runs. */
    readonly dependsOn: readonly string[];
    /** What apply does; null for no-op, conflict, manual and already-settled orphans. */
    readonly operation: PlanOperation | null;
    /** true for orphans: apply runs the operation only with `prune`. */
    readonly requiresPrune: boolean;
}

export interface PlanSummary {
    readonly create: number;
    readonly update: number;
    readonly adopt: number;
    readonly attach: number;
    /** Twins of transfer actions to detach and delete. */
    readonly dedupe: number;
    /** Orphans with something to detach (needs --prune). */
    readonly orphan: number;
    readonly noOp: number;
    readonly conflict: number;
    readonly manual: number;
}

export interface Plan {
    readonly format: typeof PLAN_FORMAT;
    readonly formatVersion: typeof PLAN_FORMAT_VERSION;
    readonly integration: string;
    /** The environment planned (`--env NAME`), or null for the default configuration. */
    readonly environment: string | null;
    /** The source files' hash (DesiredState.sourceHash): a saved plan is stale when the files changed. */
    readonly sourceHash: string;
    /** Fingerprint of the live state the plan was computed from: stale when it changed. */
    readonly liveFingerprint: string;
    /** Per-section fingerprints, so that a stale-plan message can say what changed. */
    readonly liveSections: Readonly<Record<string, string>>;
    /** The desired state the plan was computed from. Never saved: apply rebuilds it from the source files. */
    readonly desired: DesiredState;
    /** Every item, in execution order (dependencies first), grouped by vendor and resource. */
    readonly items: readonly PlanItem[];
    readonly summary: PlanSummary;
    /** Anything for apply to do (create, update, adopt, attach, dedupe, or orphans to detach with --prune). */
    readonly hasChanges: boolean;
}

/** One source file of a saved plan. */
export interface SavedPlanSource {
    /** Relative to the plan file's folder, `/`-separated, never absolute (so that a plan applies in another checkout). */
    readonly path: string;
    /** sha256 (hex) of the file's text when the plan was made. */
    readonly sha256: string;
}

/**
 * A plan as saved by `sipflow plan --out` and read back by `parsePlanJson`. It carries no desired state,
 * hosts or keys: apply rebuilds those from the source files (and the environment), recomputes the plan
 * and runs only if the items are equal to these.
 */
export interface SavedPlan {
    readonly format: typeof PLAN_FORMAT;
    readonly formatVersion: typeof PLAN_FORMAT_VERSION;
    readonly integration: string;
    /** The environment planned, or null for the default: apply rebuilds that configuration. */
    readonly environment: string | null;
    /** The integration's files, the main file first (the one `sipflow plan` was given). */
    readonly sources: readonly SavedPlanSource[];
    readonly sourceHash: string;
    readonly liveFingerprint: string;
    readonly liveSections: Readonly<Record<string, string>>;
    readonly items: readonly PlanItem[];
    readonly summary: PlanSummary;
    readonly hasChanges: boolean;
    /** `sha256:` of the canonical JSON of every other field: any edit of the file is refused. */
    readonly contentHash: string;
}
