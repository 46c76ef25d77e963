/**
 * The contract between the vendor clients (src/providers) and the rest of the core (src/plan, apply,
 * checklist, pull). Vendor-neutral where it can be: the clients translate HTTP shapes into these types,
 * so nothing outside src/providers knows about envelopes, paging, slugs or retries.
 */
import type { SynthflowTransferMode } from '../vendors/synthflow-facts.js';

// ─── Synthflow ──────────────────────────────────────────────────────────────────────────────────────

/** A number in the Synthflow workspace (from GET /numbers/{slug}). */
export interface LiveSynthflowNumber {
    /** E.164, with `+`. The natural key. */
    readonly e164: string;
    readonly slug: string;
    readonly friendlyName: string | null;
    readonly providerName: string | null;
    /** `sip_term_uri`: where Synthflow sends the number's outbound/transfer traffic (the Dixa SIP domain). */
    readonly sipTermUri: string | null;
    readonly sipAuthUsername: string | null;
    /** model_ids of the assistants the number is attached to. */
    readonly assistants: readonly string[];
    /** true = not attached to an inbound assistant. */
    readonly isAvailable: boolean | null;
}

/** What `POST /custom-numbers` imports. `trunkPassword` is write-only and never logged. */
export interface SynthflowNumberImport {
    readonly e164: string;
    readonly friendlyName: string;
    readonly terminationUri: string;
    readonly trunkUsername?: string;
    readonly trunkPassword?: string;
}

/** Fields `PATCH /numbers/{slug}` may change. */
export interface SynthflowNumberPatch {
    readonly friendlyName?: string;
    readonly terminationUri?: string;
    readonly trunkUsername?: string;
    readonly trunkPassword?: string;
}

export interface LiveSynthflowAssistant {
    readonly modelId: string;
    readonly name: string;
    /** `inbound` | `outbound` | `widget` */
    readonly type: string;
    /** E.164 numbers attached to the assistant (`attached_phone_numbers`). */
    readonly attachedNumbers: readonly string[];
    /** The assistant's action ids, in order (`include_actions=true`). */
    readonly actionIds: readonly string[];
}

/** A `LIVE_TRANSFER` action's configuration, as sipflow manages it. */
export interface LiveTransferConfig {
    readonly transferMode: SynthflowTransferMode;
    /** The target: for Dixa escalations `sip:{queue did}@{company}.sip.dixa.com`. The natural key on an assistant. */
    readonly phone: string;
    readonly instructions: string;
    readonly initiatingMsg: string;
    readonly failedMsg?: string;
    /** Seconds Synthflow rings the target before giving up. */
    readonly timeout?: number;
}

export interface LiveSynthflowAction {
    readonly actionId: string;
    /** `LIVE_TRANSFER`, `CUSTOM_ACTION`, … */
    readonly actionType: string;
    readonly name: string | null;
    /** Present for LIVE_TRANSFER actions whose configuration could be read back. */
    readonly liveTransfer?: LiveTransferConfig;
}

export interface SynthflowProvider {
    /** Every number of the workspace with its detail (list, then GET each: the list has no SIP fields). */
    listNumbers(): Promise<LiveSynthflowNumber[]>;
    /** undefined when the number is not in the workspace (404). */
    getNumber(e164: string): Promise<LiveSynthflowNumber | undefined>;
    /** Imports a custom SIP number. If the outcome is unknown (timeout, reset, 5xx), re-reads by E.164 before deciding. */
    importNumber(input: SynthflowNumberImport): Promise<void>;
    updateNumber(e164: string, patch: SynthflowNumberPatch): Promise<void>;
    /** undefined when no such assistant exists. */
    getAssistant(modelId: string): Promise<LiveSynthflowAssistant | undefined>;
    listAssistants(): Promise<LiveSynthflowAssistant[]>;
    /** Sets the assistant's attached numbers to exactly this list (callers pass the union they want kept). */
    setAssistantNumbers(modelId: string, e164s: readonly string[]): Promise<void>;
    detachNumber(modelId: string, e164: string): Promise<void>;
    listActions(): Promise<LiveSynthflowAction[]>;
    getAction(actionId: string): Promise<LiveSynthflowAction | undefined>;
    /** Creates a LIVE_TRANSFER action; on an unknown outcome re-reads (by target `phone`) before deciding. */
    createLiveTransfer(config: LiveTransferConfig, name: string): Promise<string>;
    /** PUT with the full object (the API's required fields), never a partial one. */
    updateLiveTransfer(actionId: string, config: LiveTransferConfig): Promise<void>;
    /**
     * Sets the assistant's actions to exactly this list. The API replaces the whole list, so callers
     * always pass the assistant's current actions plus the ones they add: actions created elsewhere survive.
     */
    setAssistantActions(modelId: string, actionIds: readonly string[]): Promise<void>;
}

// ─── Dixa ───────────────────────────────────────────────────────────────────────────────────────────

export interface DixaOrganization {
    readonly id: string;
    readonly name: string;
    /** Hint for `{company}` of `{company}.sip.dixa.com` (unverified equality). */
    readonly subdomain: string;
}

export interface DixaTelephonyEndpoint {
    /** E.164; the endpoint's key. */
    readonly number: string;
    readonly name: string | null;
    /** `Sms`, `VoiceInbound`, `VoiceOutbound` */
    readonly functionality: readonly string[];
}

export interface DixaPhoneFlow {
    readonly id: string;
    readonly name: string;
    /** For phone flows: the E.164 DID the flow is attached to. */
    readonly contactEndpointId: string | null;
}

export interface LiveDixaQueue {
    readonly id: string;
    /** The natural key. */
    readonly name: string;
    readonly offeringAlgorithm: string | null;
    /** channel → identifiers routed into the queue, e.g. `PstnPhone: ['+4570101111']` (read-only). */
    readonly usages: Readonly<Record<string, readonly string[]>>;
}

export interface DixaQueueCreate {
    readonly name: string;
    /** `AllAtOnce` for ring groups; omitted for plain queues (Dixa's default). */
    readonly offerAlgorithm?: string;
}

export interface DixaProvider {
    getOrganization(): Promise<DixaOrganization>;
    listTelephonyEndpoints(): Promise<DixaTelephonyEndpoint[]>;
    listPhoneFlows(): Promise<DixaPhoneFlow[]>;
    listQueues(): Promise<LiveDixaQueue[]>;
    /** Creates a phone-enabled queue; on an unknown outcome re-reads (by name) before deciding. Never creates a duplicate name. */
    createQueue(input: DixaQueueCreate): Promise<LiveDixaQueue>;
}

// ─── Errors and instrumentation ─────────────────────────────────────────────────────────────────────

export type Vendor = 'dixa' | 'synthflow';

/**
 * Every failure a provider reports. Messages name the operation and carry the vendor's own message,
 * never a credential, header or request body.
 */
export class ProviderError extends Error {
    constructor(
        readonly vendor: Vendor,
        /** e.g. `POST /custom-numbers` */
        readonly operation: string,
        message: string,
        /** HTTP status, or undefined for transport failures. */
        readonly status?: number,
        /** `failed`: nothing was changed. `unknown`: a write may or may not have happened. */
        readonly outcome: 'failed' | 'unknown' = 'failed',
        /** `auth` (401), `forbidden` (403), `not-found`, `rate-limit`, `server`, `network`, `timeout`, `invalid-response`, `client`, `cancelled` (the caller's AbortSignal) */
        readonly kind: ProviderErrorKind = 'client',
    ) {
        super(message);
        this.name = 'ProviderError';
    }
}

export type ProviderErrorKind =
    | 'auth'
    | 'forbidden'
    | 'not-found'
    | 'rate-limit'
    | 'server'
    | 'network'
    | 'timeout'
    | 'invalid-response'
    | 'client'
    /** The caller's AbortSignal fired; `outcome` says whether a write was already in flight. */
    | 'cancelled';

/** Counters every provider keeps, for `npm run bench` and the apply summary. */
export interface ProviderStats {
    requests: number;
    retries: number;
    /** Requests per "METHOD /path-template". */
    readonly byOperation: Map<string, number>;
}

export interface ProviderOptions {
    readonly baseUrl: string;
    /** Dixa API token or Synthflow API key. Never logged. */
    readonly apiKey: string;
    /** Per-request timeout. Default 15 s. */
    readonly timeoutMs?: number;
    /** Retries for 429/5xx/transport errors on safe requests. Default 4. */
    readonly maxRetries?: number;
    /** Base backoff delay; tests set it low. Default 250 ms. */
    readonly retryBaseDelayMs?: number;
    /** Concurrent requests in flight. */
    readonly concurrency?: number;
    /** Debug log sink; receives only redacted lines. */
    readonly log?: (line: string) => void;
    /** Aborts all in-flight and queued requests. */
    readonly signal?: AbortSignal;
}

export interface SynthflowProviderOptions extends ProviderOptions {
    /** The workspace id numbers are listed in and imported into (not discoverable by API). */
    readonly workspace: string;
}
