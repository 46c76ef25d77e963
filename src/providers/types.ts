/**
 * The contract between the vendor clients (src/providers) and the rest of the core (src/plan, apply,
 * checklist, pull). Vendor-neutral where it can be: the clients translate HTTP shapes into these types,
 * so nothing outside src/providers knows about envelopes, paging, slugs or retries.
 */
import { SipflowError } from '../errors.js';
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
    /**
     * model_ids of the assistants the number is attached to (`assistants[]`): its inbound agent, and any
     * outbound agents that use it as a caller id, so "serves another inbound agent" is never judged on it alone.
     */
    readonly assistants: readonly string[];
    /** `is_available`: true = not the number of any inbound agent; null when not returned. */
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
    /** The agent's own number (`phone_number`, E.164): for an inbound agent, the number whose calls it answers. */
    readonly phoneNumber: string | null;
    /** The outbound pool (`attached_phone_numbers`, E.164): caller ids for outbound calls, not inbound routing. */
    // [I] assumption: outbound-pool-not-inbound
    readonly poolNumbers: readonly string[];
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
    /** The assistants it is attached to, when read with `include_assistants=true` (GET /actions/{id}). */
    readonly assistants?: readonly string[];
}

export interface SynthflowProvider {
    /** Every number of the workspace with its detail (list, then GET each: the list has no SIP fields). Costly: pull and --prune only. */
    listNumbers(): Promise<LiveSynthflowNumber[]>;
    /** undefined when the number is not in the workspace (404). */
    getNumber(e164: string): Promise<LiveSynthflowNumber | undefined>;
    /** Imports a custom SIP number. If the outcome is unknown (timeout, reset, 5xx), re-reads by E.164 before deciding. */
    importNumber(input: SynthflowNumberImport): Promise<void>;
    updateNumber(e164: string, patch: SynthflowNumberPatch): Promise<void>;
    /** undefined when no such assistant exists. */
    getAssistant(modelId: string): Promise<LiveSynthflowAssistant | undefined>;
    listAssistants(): Promise<LiveSynthflowAssistant[]>;
    /**
     * Makes `e164` the inbound agent's number (`PUT /assistants/{model_id}` `{phone_number}`, a partial
     * update) and reads it back; fails unless the agent then answers that number.
     */
    setInboundNumber(modelId: string, e164: string): Promise<void>;
    listActions(): Promise<LiveSynthflowAction[]>;
    /** With `includeAssistants`, the result says which assistants the action is attached to. */
    getAction(actionId: string, options?: { readonly includeAssistants?: boolean }): Promise<LiveSynthflowAction | undefined>;
    /**
     * Creates a LIVE_TRANSFER action. On an unknown outcome it re-reads and adopts only an action that
     * appeared since (not one this client had already seen) and matches this exact transfer (`name`,
     * which is unique to integration, department and target, or the whole configuration); several or
     * indistinguishable candidates are never adopted.
     */
    createLiveTransfer(config: LiveTransferConfig, name: string): Promise<string>;
    /** PUT with the full object (the API's required fields), never a partial one. */
    updateLiveTransfer(actionId: string, config: LiveTransferConfig): Promise<void>;
    /**
     * Adds actions to the assistant (`POST /actions/attach` with the new ids only) and reads the list
     * back: every added id must be there, and every action that was there must still be (if the API
     * turned out to replace the list, the dropped ones are attached again). Returns what it did.
     */
    attachActions(modelId: string, actionIds: readonly string[]): Promise<ActionListChange>;
    /** Removes actions from the assistant (`POST /actions/detach`) and reads the list back. */
    detachActions(modelId: string, actionIds: readonly string[]): Promise<ActionListChange>;
    /** Deletes an action (`DELETE /actions/{id}`); an action that is already gone is fine. */
    deleteAction(actionId: string): Promise<void>;
}

/** What an attach or detach did, as read back. */
export interface ActionListChange {
    /** Ids that were added (attach) or removed (detach). */
    readonly changed: readonly string[];
    /** Ids that already were (attach) or were not (detach) there. */
    readonly unchanged: readonly string[];
    /** Actions the API dropped when attaching (it replaced the list) and that were attached again. */
    readonly restored: readonly string[];
    /** The assistant's action ids afterwards, as read back. */
    readonly after: readonly string[];
}

// ─── Dixa ───────────────────────────────────────────────────────────────────────────────────────────

export interface DixaOrganization {
    readonly id: string;
    readonly name: string;
    /** Hint for `{company}` of `{company}.sip.dixa.com` (unverified equality). */
    // [I] assumption: dixa-subdomain-is-company
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
    /**
     * Creates a phone-enabled queue unless one has the name; on an unknown outcome re-reads (by name)
     * before deciding, and re-lists after creating: if a concurrent run created a twin, the queue both
     * runs choose (chooseQueue) is returned.
     */
    createQueue(input: DixaQueueCreate): Promise<LiveDixaQueue>;
}

// ─── Errors and instrumentation ─────────────────────────────────────────────────────────────────────

export type Vendor = 'dixa' | 'synthflow';

/** What a ProviderError says; the fields are kept on the error as they are given. */
export interface ProviderErrorOptions {
    readonly vendor: Vendor;
    /** e.g. `POST /custom-numbers` */
    readonly operation: string;
    readonly message: string;
    /** HTTP status, or undefined for transport failures. */
    readonly status?: number | undefined;
    /** `failed` (the default): nothing was changed. `unknown`: a write may or may not have happened. */
    readonly outcome?: ProviderErrorOutcome;
    /** Default `client`. */
    readonly kind?: ProviderErrorKind;
}

export type ProviderErrorOutcome = 'failed' | 'unknown';

/**
 * Every failure a provider reports. Messages name the operation and carry the vendor's own message,
 * never a credential, header or request body.
 */
export class ProviderError extends SipflowError {
    readonly vendor: Vendor;
    readonly operation: string;
    readonly status: number | undefined;
    readonly outcome: ProviderErrorOutcome;
    readonly kind: ProviderErrorKind;

    constructor(options: ProviderErrorOptions) {
        super('provider', options.message);
        this.vendor = options.vendor;
        this.operation = options.operation;
        this.status = options.status;
        this.outcome = options.outcome ?? 'failed';
        this.kind = options.kind ?? 'client';
    }
}

/**
 * `auth` (401), `forbidden` (403), `not-found`, `rate-limit`, `server`, `network`, `timeout`,
 * `invalid-response`, `client`, `cancelled` (the caller's AbortSignal).
 */
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
    /** One attempt's timeout. Default 10 s (never more than `deadlineMs`). */
    readonly timeoutMs?: number;
    /** One request's deadline, every retry and backoff included. Default 30 s. */
    readonly deadlineMs?: number;
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
