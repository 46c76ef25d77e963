import type { PlanItem, PlanItemKind, PlanResource, PlanVendor } from '../plan/types.js';

export interface ApplyOptions {
    /** Steps in flight at once per vendor (default 4): a Dixa step waiting for its rate limit never holds a Synthflow slot. The providers bound their own requests as well. */
    readonly concurrency?: number;
    /**
     * Cancels the run: no further step starts; steps in flight finish (or fail as cancelled when the
     * providers were created with the same signal). The result reports each step's status.
     */
    readonly signal?: AbortSignal;
    readonly onProgress?: (event: ApplyProgressEvent) => void;
    /** Run orphan steps (detach numbers/actions the file no longer declares). Nothing is ever deleted. */
    readonly prune?: boolean;
    /** Where `env:` trunk credentials are read from when a step needs them (default `process.env`). */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Re-read and re-plan after the last step, and fail on anything left to do (default true). */
    readonly verify?: boolean;
}

/**
 * - `succeeded`: done (or found already done when re-read).
 * - `failed`: the vendor refused or could not be reached; `error` says why.
 * - `skipped`: not attempted because a step it depends on did not succeed (`blockedBy`).
 * - `cancelled`: not attempted (or interrupted) because the run was cancelled.
 * - `excluded`: an orphan step, run only with `prune`.
 */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'excluded';

export interface StepError {
    /** null for failures before any request (a missing environment variable). */
    readonly vendor: PlanVendor | null;
    /** e.g. `PUT /assistants/{model_id}/phone_numbers` */
    readonly operation: string | null;
    /** The provider's message, which carries the vendor's own message; never a secret. */
    readonly message: string;
    readonly status: number | null;
    /** `unknown`: a write may have happened; the next plan shows whether it did. */
    readonly outcome: 'failed' | 'unknown';
    readonly kind: string;
}

export interface StepOutcome {
    readonly id: string;
    readonly vendor: PlanVendor;
    readonly resource: PlanResource;
    readonly kind: PlanItemKind;
    /** The plan item's summary: what the step was to do. */
    readonly summary: string;
    readonly status: StepStatus;
    /** What happened (`imported +4535551234`, `already attached`) or why it was not attempted. */
    readonly message: string | null;
    readonly error: StepError | null;
    /** For `skipped`: the dependency that did not succeed. */
    readonly blockedBy: string | null;
    /** The id of what the step created (queue id, action id), when there is one. */
    readonly createdId: string | null;
}

/** `unverified`: every step succeeded, but a fresh read after them still shows work to do (or could not be read). */
export type ApplyStatus = 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'unverified' | 'nothing-to-do';

/**
 * The read after the last step: `verified` (a fresh plan is empty), `residue` (it is not: `residue`
 * lists what remains), `unreadable` (the read failed: `error`), `skipped` (steps failed or nothing ran).
 */
export interface ApplyVerification {
    readonly status: 'verified' | 'residue' | 'unreadable' | 'skipped';
    readonly residue: readonly PlanItem[];
    readonly error: string | null;
}

export interface ApplyResult {
    readonly integration: string;
    /** `succeeded` and `nothing-to-do` are the only successes (excluded orphans do not count against it). */
    readonly status: ApplyStatus;
    readonly ok: boolean;
    /** One per step (plan items with an operation), in plan order. */
    readonly outcomes: readonly StepOutcome[];
    readonly counts: Readonly<Record<StepStatus, number>>;
    readonly verification: ApplyVerification;
}

export type ApplyProgressEvent =
    | { readonly type: 'step-started'; readonly step: PlanItem; readonly completed: number; readonly total: number }
    | {
          readonly type: 'step-succeeded' | 'step-failed' | 'step-skipped';
          readonly step: PlanItem;
          readonly outcome: StepOutcome;
          readonly completed: number;
          readonly total: number;
      };
