/**
 * The sandbox's behaviour where the vendors' OpenAPI files are silent: one switch per assumption, so a
 * test (or `sipflow doctor`'s tests) can make the sandbox contradict any of them, and one edit follows a
 * vendor's answer. The defaults are sipflow's working assumptions; README.md ("Documented and assumed")
 * lists each with its source.
 */
export interface SandboxAssumptions {
    /** [I] A `name` inside the LIVE_TRANSFER create/update body becomes the action's `name` (the spec's create schema has no name). */
    // [I] assumption: live-transfer-name-kept
    readonly liveTransferNameKept: boolean;
    /** [I] Action reads carry the LIVE_TRANSFER configuration in `parameters_hard_coded` (the spec declares that object open). */
    // [I] assumption: live-transfer-read-back
    readonly liveTransferReadBack: boolean;
    /** [I] `POST /actions/attach` replaces the assistant's action list (false: adds to it, the reading sipflow assumes). */
    // [I] assumption: attach-adds
    readonly attachReplaces: boolean;
    /** [I] `LIVE_TRANSFER.phone` accepts a `sip:` URI ("Phone number to be called" in the spec). */
    // [I] assumption: sip-uri-in-transfer-phone
    readonly sipUriInTransferPhone: boolean;
    /** [I] The largest `limit` a Synthflow list honours; larger values are cut to it. */
    // [I] assumption: synthflow-max-page-size
    readonly synthflowMaxPageSize: number;
    /** [I] A call to a number in an inbound agent's outbound pool (`attached_phone_numbers`) reaches that agent (false: the pool is caller ids only, the reading sipflow assumes). */
    // [I] assumption: outbound-pool-not-inbound
    readonly outboundPoolRoutesInbound: boolean;
    /** [I] Dixa's `GET /queues` lists the queues in one stable order (creation order); false: the order changes from read to read. */
    // [I] assumption: dixa-queue-list-order
    readonly dixaQueueListStable: boolean;
    /** [I] A call's `executed_actions` (GET /calls) shows a LIVE_TRANSFER it ran with its `phone` and `outcome`; false: only `action_type` and `name`. */
    // [I] assumption: call-transfer-shows-target
    readonly callTransferShowsTarget: boolean;
}

export const DEFAULT_ASSUMPTIONS: SandboxAssumptions = {
    liveTransferNameKept: true,
    liveTransferReadBack: true,
    attachReplaces: false,
    sipUriInTransferPhone: true,
    synthflowMaxPageSize: 100,
    outboundPoolRoutesInbound: false,
    dixaQueueListStable: true,
    callTransferShowsTarget: true,
};

/** Merges a partial override (admin API, options) onto the defaults; unknown keys and wrong types are refused. */
export function resolveAssumptions(input: unknown, base: SandboxAssumptions = DEFAULT_ASSUMPTIONS): SandboxAssumptions {
    if (input === undefined) return base;
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new Error('assumptions must be an object');
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(input)) {
        if (!(key in DEFAULT_ASSUMPTIONS)) throw new Error(`unknown assumption "${key}" (known: ${Object.keys(DEFAULT_ASSUMPTIONS).join(', ')})`);
        const expected = typeof DEFAULT_ASSUMPTIONS[key as keyof SandboxAssumptions];
        if (typeof value !== expected) throw new Error(`assumption "${key}" must be a ${expected}`);
        if (key === 'synthflowMaxPageSize' && !(Number.isInteger(value) && (value as number) >= 1)) throw new Error('synthflowMaxPageSize must be a positive integer');
        result[key] = value;
    }
    return result as unknown as SandboxAssumptions;
}
