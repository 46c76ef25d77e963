/**
 * Dixa facts: API base URL, SIP domain shape, rate limits and the timeouts the guide recommends.
 * Sources: shared/reference/dixa-api.md §2, §3; shared/reference/dixa-synthflow-sip-guide.txt.
 */

export const DIXA_API_BASE_URL = 'https://dev.dixa.io/v1';
/** Every Dixa SIP domain has the form `{company}.sip.dixa.com`. */
export const DIXA_SIP_DOMAIN_SUFFIX = '.sip.dixa.com';
/** The port Dixa's SIP domain receives on (the SIP default; Synthflow's escalation URIs name no port). */
export const DIXA_SIP_PORT = 5060;

/** Per-token rate limit (DOCS-rules): 10 requests/s with a burst of 4. */
export const DIXA_RATE_LIMIT = { requestsPerSecond: 10, burst: 4 } as const;

/** Transfer-step timeout bounds, in seconds. */
export const TRANSFER_TIMEOUT = {
    /** What the guide recommends and the default when `timeout` is omitted. */
    recommended: 30,
    /** Outside this range the language reports an error (timeout-range). */
    min: 5,
    max: 300,
    /** Outside this range the language warns (timeout-unusual). */
    usualMin: 15,
    usualMax: 60,
} as const;

/** `.sipflow` queue kinds; Dixa has no ring-group resource, a ring group is a queue offering to all at once. */
export const QUEUE_KINDS = ['queue', 'ring-group'] as const;
export type QueueKindKeyword = (typeof QUEUE_KINDS)[number];

/** The values Dixa accepts for a queue's `offerAlgorithm` (spec: CreateOrUpdateQueueRequest). */
export const DIXA_OFFER_ALGORITHMS = [
    'AgentPriorityOneAtATimeRandom',
    'AllAtOnce',
    'AgentPriorityLongestIdle',
    'AgentPriorityAllAtOnce',
    'LongestIdle',
    'OneAtATimeRandom',
] as const;

/** The Dixa `offerAlgorithm` a queue kind is created with; null = Dixa's default (plain queues). */
export const QUEUE_KIND_OFFER_ALGORITHM: Readonly<Record<QueueKindKeyword, string | null>> = {
    queue: null,
    'ring-group': 'AllAtOnce',
};

/** Offer algorithms that make a Dixa queue behave as a ring group (offer to every agent at once). */
export const RING_GROUP_OFFER_ALGORITHMS: readonly string[] = ['AllAtOnce', 'AgentPriorityAllAtOnce'];

/** The company part of a Dixa SIP domain (`acme` of `acme.sip.dixa.com`), if it has the Dixa shape. */
export function dixaCompanyOf(sipDomain: string): string | undefined {
    const lower = sipDomain.toLowerCase();
    return lower.endsWith(DIXA_SIP_DOMAIN_SUFFIX) ? lower.slice(0, -DIXA_SIP_DOMAIN_SUFFIX.length) : undefined;
}

/** The SIP URI through which a Synthflow assistant escalates to the Dixa queue at `queueDid`. */
export function dixaEscalationUri(queueDid: string, sipDomain: string): string {
    return `sip:${queueDid}@${sipDomain}`;
}
