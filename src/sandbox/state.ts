/**
 * The sandbox's state: plain JSON-serialisable data, one object per vendor. Route handlers read and
 * mutate it; `statePath` persists it. It never holds a secret in clear text: trunk passwords are kept
 * only as a SHA-256 fingerprint (tests can check what was sent without the value ever being stored).
 */

export const STATE_VERSION = 1;

export interface SandboxState {
    version: typeof STATE_VERSION;
    dixa: DixaState;
    synthflow: SynthflowState;
    /** The Dixa configuration that has no API (calls.ts): what the manual checklist steps set. */
    dixaManual: DixaManualState;
}

/**
 * The Dixa settings no API exposes, as the sandbox's call simulation reads them. Set through
 * `PUT /_sandbox/dixa-manual` (or `startSandbox({dixaManual: 'done'})`); empty = no manual step done.
 */
export interface DixaManualState {
    /** Dixa → SIP Settings → IP Allowlist. */
    allowlist: string[];
    /** DID → the Transfer step of the phone flow on that DID. */
    transferSteps: Record<string, DixaTransferStep>;
    /** Queue name → the DIDs routed to it (Settings → Phone → Numbers → routing). */
    queueRouting: Record<string, string[]>;
}

export interface DixaTransferStep {
    /** What the step dials, e.g. `+4535551234@sip.eu.synthflow.ai:32681`. */
    sipAddress: string;
    /** e.g. `phone_number={caller}`; null when the step sends none. */
    uuiHeader: string | null;
    timeoutSeconds: number;
    /** Queue name, or null. */
    fallbackQueue: string | null;
}

export function emptyDixaManual(): DixaManualState {
    return { allowlist: [], transferSteps: {}, queueRouting: {} };
}

// ─── Dixa ───────────────────────────────────────────────────────────────────────────────────────────

export interface DixaState {
    organization: { id: string; name: string; subdomain: string; status: 'Active' | 'Suspended' };
    contactEndpoints: DixaContactEndpoint[];
    flows: DixaFlow[];
    queues: DixaQueueRecord[];
    /** queue id → members. */
    queueMembers: Record<string, { agentId: string; priority: number }[]>;
    agents: DixaAgent[];
    /** Ids of users that exist but are neither agent nor admin (member PATCH → Validation failure). */
    endUserIds: string[];
}

export type DixaContactEndpoint =
    { _type: 'TelephonyEndpoint'; number: string; name?: string; functionality: string[] } | { _type: 'EmailEndpoint'; address: string; name?: string; senderOverride?: string };

export interface DixaFlow {
    id: string;
    name: string;
    channel: string;
    contactEndpointId: string;
}

/** The Dixa `Queue` as the API returns it, plus the create-only `callFunctionality`. */
export interface DixaQueueRecord {
    id: string;
    name: string;
    isDefault: boolean;
    organizationId: string;
    queueThresholds: Record<string, number>;
    slaCalculationMethod: string;
    offerTimeout?: number;
    offeringAlgorithm: string;
    memberListType: string;
    /** channel → identifiers; returned as `usages: { queueId, usages }`. */
    usages: Record<string, string[]>;
    wrapupTimeout?: number;
    priority?: number;
    offerAbandonedConversations: boolean;
    doNotOfferTimeouts: Record<string, number>;
    isDoNotOfferEnabled: boolean;
    isPreferredAgentEnabled: boolean;
    preferredAgentTimeouts?: Record<string, number>;
    preferredAgentOfflineTimeout?: number;
    personalAgentOfflineTimeout?: number;
    isRestricted: boolean;
    /** Not returned by the API (request-only field); kept for inspection. */
    callFunctionality: boolean;
}

export interface DixaAgent {
    id: string;
    createdAt: string;
    displayName: string;
    email: string;
    phoneNumber?: string;
    additionalEmails: string[];
    additionalPhoneNumbers: string[];
    firstName?: string;
    lastName?: string;
    middleNames: string[];
    roles: string[];
}

// ─── Synthflow ──────────────────────────────────────────────────────────────────────────────────────

export interface SynthflowState {
    /** Workspaces the sandbox's key can see (informational; numbers carry their own workspace_id). */
    workspaces: string[];
    numbers: SynthflowNumberRecord[];
    assistants: SynthflowAssistantRecord[];
    actions: SynthflowActionRecord[];
    /** Simulated calls (calls.ts), oldest first. */
    calls: SynthflowCallRecord[];
}

/** One simulated call, as GET /calls lists it (calls.ts renders it). */
export interface SynthflowCallRecord {
    call_id: string;
    model_id: string;
    type_of_call: 'inbound' | 'outbound';
    /** The other party: the callee of an outbound call, the caller (as signalled) of an inbound one. */
    lead_phone_number: string;
    lead_name: string | null;
    /** The agent's own number on this call. */
    agent_phone_number: string;
    phone_number_from: string;
    phone_number_to: string;
    call_status: string;
    end_call_reason: string;
    error_message: string | null;
    /** action id → what ran and its outcome. */
    executed_actions: Record<string, Record<string, unknown>>;
    /** Variables the call carried (custom variables; `phone_number` from the UUI header). */
    prompt_variables: Record<string, string>;
    /** Milliseconds since the epoch. */
    start_ms: number;
    duration: number;
}

export interface SynthflowNumberRecord {
    /** Uuid returned as `key` by the import. */
    key: string;
    slug: string;
    phone_number: string;
    friendly_name: string | null;
    provider_name: string;
    sip_term_uri: string | null;
    trunk_username: string | null;
    /** SHA-256 hex of the trunk password, or null. The password itself is never stored nor returned. */
    trunk_pwd_sha256: string | null;
    sip_auth_username: string | null;
    sip_outbound_proxy: string | null;
    uac_enabled: boolean;
    uac_register_expires: number | null;
    region: string;
    workspace_id: string;
    created_at: string;
    updated_at: string | null;
}

export interface SynthflowAssistantRecord {
    model_id: string;
    name: string;
    type: 'inbound' | 'outbound' | 'widget';
    description?: string;
    is_recording: boolean;
    agent: Record<string, unknown>;
    /**
     * The inbound number (`phone_number` of PUT /assistants/{model_id}): the number whose calls this
     * agent answers. One number is the inbound number of at most one inbound agent.
     */
    inbound_phone_slug: string | null;
    /** The outbound pool (PUT /assistants/{model_id}/phone_numbers, `attached_phone_numbers`), in order. */
    phone_number_slugs: string[];
    /** Attached action ids, in order. */
    actions: string[];
}

export interface SynthflowActionRecord {
    action_id: string;
    /** `LIVE_TRANSFER`, `CUSTOM_ACTION`, … (the key of the create body). */
    action_type: string;
    name: string;
    description: string;
    /** The type's configuration object exactly as last created/updated (e.g. the `LIVE_TRANSFER` object). */
    config: Record<string, unknown>;
    created_at: string;
    updated_at: string | null;
}

/** A deep copy through JSON: what persistence and `GET /_sandbox/state` see. */
export function cloneState(state: SandboxState): SandboxState {
    return JSON.parse(JSON.stringify(state)) as SandboxState;
}

/** Accepts a parsed state file; throws with a clear message when it is not one. */
export function checkState(value: unknown, source: string): SandboxState {
    const v = value as Partial<SandboxState> | null;
    if (!v || typeof v !== 'object' || v.version !== STATE_VERSION || !v.dixa || !v.synthflow || !Array.isArray(v.dixa.queues) || !Array.isArray(v.synthflow.numbers)) {
        throw new Error(`${source} is not a sipflow sandbox state file (version ${STATE_VERSION})`);
    }
    // State files written before inbound numbers were modelled: no assistant has one.
    for (const assistant of v.synthflow.assistants ?? []) (assistant as { inbound_phone_slug?: string | null }).inbound_phone_slug ??= null;
    // State files written before calls were simulated: no calls, no manual Dixa step done.
    (v.synthflow as { calls?: SynthflowCallRecord[] }).calls ??= [];
    (v as { dixaManual?: DixaManualState }).dixaManual ??= emptyDixaManual();
    return v as SandboxState;
}
