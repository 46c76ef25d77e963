/**
 * What a doctor probe reports (a finding with a verdict), and the few helpers every probe shares.
 */
import type { DesiredState } from '../model/index.js';
import type { DixaProvider } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import type { SynthflowClient } from '../providers/synthflow/index.js';

export type Verdict = 'confirmed' | 'contradicted' | 'unknown';

export interface Finding {
    /** The probe's name, e.g. `page-size` or `assistant:support`. */
    readonly probe: string;
    /** The assumption id it settles (./assumptions.ts); absent for the reachability checks. */
    readonly assumption?: string;
    readonly title: string;
    readonly verdict: Verdict;
    /** What was read (or written), in one or two sentences. */
    readonly read: string;
}

export interface DoctorReport {
    readonly integration: string;
    readonly writeProbes: boolean;
    readonly findings: readonly Finding[];
    /** Things that went wrong outside any assumption (e.g. the probe action could not be deleted). */
    readonly problems: readonly string[];
    readonly counts: Readonly<Record<Verdict, number>>;
}

export interface DoctorInput {
    readonly desired: DesiredState;
    readonly dixa: Pick<DixaProvider, 'getOrganization' | 'listQueues'>;
    readonly synthflow: SynthflowClient;
    /**
     * Create one LIVE_TRANSFER with a `sip:` target, attach it for a moment to one of the file's assistants
     * that has actions (restoring the list), delete it; and place one test call to an inbound agent's pool number.
     */
    readonly writeProbes: boolean;
    readonly now?: () => Date;
    /** How long the pool probe waits for its test call to end (default 60 s). */
    readonly callTimeoutMs?: number;
    readonly sleep?: (ms: number) => Promise<void>;
}

/** The name the write probe gives its action: recognisably sipflow's, never one integration's. */
export const PROBE_ACTION_PREFIX = 'sipflow:doctor-probe';

export function failure(error: unknown): string {
    if (error instanceof ProviderError) return error.message;
    throw error;
}

export function statusOf(error: unknown): number | undefined {
    return error instanceof ProviderError ? error.status : undefined;
}

export function finding(probe: string, title: string, verdict: Verdict, read: string, assumption?: string): Finding {
    return { probe, title, verdict, read, ...(assumption ? { assumption } : {}) };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
