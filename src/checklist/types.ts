/**
 * The manual checklist: the Dixa (and a few Synthflow) settings no API can write, as exact,
 * copy-pasteable steps, each with what sipflow could verify by reading.
 */
import type { DixaOrganization, DixaPhoneFlow, DixaTelephonyEndpoint, LiveDixaQueue, LiveSynthflowNumber } from '../providers/types.js';

export type ChecklistStatus = 'verified' | 'failed' | 'unverifiable' | 'not-checked';

export interface ChecklistValue {
    readonly label: string;
    /** Exactly what to type or paste. */
    readonly value: string;
}

export interface ChecklistItem {
    /** Stable id, e.g. `dixa.allowlist`, `department.support.flow`. */
    readonly id: string;
    readonly section: string;
    /** One imperative sentence: what to do. */
    readonly title: string;
    /** Where to do it in the vendor's UI. */
    readonly where: string;
    readonly values: readonly ChecklistValue[];
    readonly status: ChecklistStatus;
    /** Why the status is what it is (what was read, or why nothing can be read). */
    readonly detail: string;
}

export interface Checklist {
    readonly integration: string;
    readonly items: readonly ChecklistItem[];
    readonly counts: Readonly<Record<ChecklistStatus, number>>;
}

/**
 * What can be read to verify the checklist: Dixa's account, and the departments' Synthflow numbers (to
 * confirm an attached number). `undefined` parts were not read (e.g. offline).
 */
export interface DixaEvidence {
    readonly organization?: DixaOrganization | null;
    readonly telephonyEndpoints?: readonly DixaTelephonyEndpoint[];
    readonly phoneFlows?: readonly DixaPhoneFlow[];
    readonly queues?: readonly LiveDixaQueue[];
    /** The departments' numbers as Synthflow returns them (GET /numbers/{slug}); a number Synthflow lacks is absent. */
    readonly synthflowNumbers?: readonly LiveSynthflowNumber[];
}
