/**
 * The desired state of one integration: plain, typed, immutable data with every derived value the
 * plan, apply, checklist and pull need. Built from the AST by `buildDesiredState`; serialisable as JSON
 * (saved plans embed it). It never holds a secret value: trunk credentials are `env:` variable names,
 * resolved only when a step runs.
 */
import type { LiveTransferConfig } from '../providers/types.js';
import type { QueueKindKeyword } from '../vendors/dixa-facts.js';
import type { SynthflowRegion, TransferModeKeyword } from '../vendors/synthflow-facts.js';

export interface DesiredState {
    /** The integration's name (`integration acme { … }`). */
    readonly integration: string;
    /** The environment built (`--env NAME`), or null for the default (top-level) configuration. */
    readonly environment: string | null;
    /** Whose resources the markers name: `acme`, or `acme@staging` for an environment (model/ownership.ts). */
    readonly owner: string;
    /** `sipflow:{owner}`: the prefix of every ownership marker sipflow writes (number friendly names, action names). */
    readonly ownershipMarker: string;
    /** The source files the state was built from, and one hash over their contents (order- and path-independent). */
    readonly sources: readonly DesiredSource[];
    readonly sourceHash: string;
    readonly dixa: DesiredDixa;
    readonly synthflow: DesiredSynthflow;
    /** In file order (the main file's first, then the other files' in the order given). */
    readonly queues: readonly DesiredQueue[];
    readonly departments: readonly DesiredDepartment[];
}

export interface DesiredSource {
    /** The document URI (`file:///…`), or `inline:N` for a node that is not in a document. */
    readonly uri: string;
    /** sha256 (hex) of the file's text. */
    readonly sha256: string;
}

export interface DesiredDixa {
    /** `{company}.sip.dixa.com`, as written. */
    readonly sipDomain: string;
    /** `{company}` when the domain has the Dixa shape, else null. */
    readonly company: string | null;
    /**
     * The Dixa organization the file is for, which the account guard (src/apply/account-guard.ts) expects
     * GET /organization to answer: `organization "…"` as written, else the sip-domain's `{company}`;
     * null when neither is there (a sip-domain not of the Dixa form, and no `organization`).
     */
    readonly organization: DesiredDixaOrganization | null;
    readonly allowlist: DesiredAllowlist;
}

export interface DesiredDixaOrganization {
    /** The expected `subdomain` of GET /organization (compared case-insensitively). */
    readonly subdomain: string;
    /** `file`: the `organization` setting; `sip-domain`: its `{company}` (an assumption: dixa-subdomain-is-company). */
    readonly from: 'file' | 'sip-domain';
}

export interface DesiredAllowlist {
    /** `region`: only `allowlist synthflow`; `explicit`: only literal IPs; `both`: both forms. */
    readonly source: 'region' | 'explicit' | 'both';
    /** Every IP Dixa must allowlist, de-duplicated, region IPs first. */
    readonly ips: readonly string[];
    /** The Synthflow signalling IPs of the declared region. */
    readonly regionIps: readonly string[];
    /** Region IPs an explicit list leaves out (the `allowlist-incomplete` warning). */
    readonly missingRegionIps: readonly string[];
}

export type DesiredTrunkAuth =
    | { readonly kind: 'ip' }
    /** Environment variable names (without `env:`); their values are read at apply time only. */
    | { readonly kind: 'credentials'; readonly usernameEnv: string; readonly passwordEnv: string };

export interface DesiredSynthflow {
    readonly region: SynthflowRegion;
    /** e.g. `https://api.eu.synthflow.ai/v2` (a default; DIXA_BASE_URL/SYNTHFLOW_BASE_URL may override it). */
    readonly apiBaseUrl: string;
    readonly apiHost: string;
    /** e.g. `sip.eu.synthflow.ai` */
    readonly sipHost: string;
    readonly sipPort: number;
    readonly workspace: string;
    readonly trunkAuth: DesiredTrunkAuth;
}

export interface DesiredQueue {
    /** The file key (`queue tier1 { … }`). */
    readonly key: string;
    /** The Dixa queue name: the natural key in Dixa. */
    readonly name: string;
    /** Canonical E.164. */
    readonly did: string;
    readonly kind: QueueKindKeyword;
    /** Dixa `offerAlgorithm` to create it with; null = Dixa's default (plain queues). */
    readonly offerAlgorithm: string | null;
    /** `sip:{did}@{sip-domain}`: where Synthflow escalates to reach this queue. */
    readonly escalationUri: string;
}

export interface DesiredDepartment {
    readonly key: string;
    /** The Dixa phone flow name, if declared (used to verify it exists). */
    readonly flow: string | null;
    /** Canonical E.164. */
    readonly did: string;
    /** The Synthflow number slug (E.164 without `+`). */
    readonly slug: string;
    /** Synthflow assistant `model_id` (lower-case UUID). */
    readonly assistantId: string;
    /** Dixa transfer-step timeout before the fallback queue. */
    readonly timeoutSeconds: number;
    /** Key of the fallback queue, or null when none is declared. */
    readonly fallbackQueue: string | null;
    readonly uui: { readonly key: string; /** `phone_number={caller}` */ readonly header: string };
    /** X-… headers Dixa's transfer step should send (`header X-Caller "{caller}"`), in file order; Synthflow reads each as `{X-…}`. */
    readonly headers: readonly DesiredHeader[];
    /** What Dixa's transfer step dials: `{did}@sip[.region].synthflow.ai:32681`. */
    readonly transferSipAddress: string;
    readonly number: DesiredNumber;
    readonly escalations: readonly DesiredEscalation[];
}

export interface DesiredHeader {
    /** `X-…`, as written (Synthflow's header names are case-sensitive). */
    readonly name: string;
    /** As written; placeholders such as `{caller}` are Dixa's to fill in. */
    readonly value: string;
}

/** The fields of the Synthflow custom-number import. */
export interface DesiredNumber {
    readonly e164: string;
    readonly slug: string;
    /** The ownership marker naming integration and department: `sipflow:acme/support`. */
    readonly friendlyName: string;
    readonly providerName: 'custom';
    /** `termination_uri`: the Dixa sip-domain. */
    readonly terminationUri: string;
    /** Environment variable names, or null with IP authentication. */
    readonly trunkUsernameEnv: string | null;
    readonly trunkPasswordEnv: string | null;
}

export interface DesiredEscalation {
    /** The queue key when the target is a declared queue (by reference or by a URI naming its DID). */
    readonly queue: string | null;
    /** The transfer target, equal to `transfer.phone`: the natural key of the action on the assistant. */
    readonly target: string;
    readonly mode: TransferModeKeyword;
    /** Name given to the action sipflow creates: `sipflow:acme/support escalate tier1` (ownership marker). */
    readonly actionName: string;
    readonly transfer: LiveTransferConfig;
}
