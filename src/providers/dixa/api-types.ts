/**
 * Dixa request/response shapes used by sipflow, typed once. Derived from the vendor spec
 * (shared/specs/dixa/dixa-api.yaml, `components.schemas`; the spec's `/beta` paths are called as
 * `/v1` with the same shapes, see shared/reference/dixa-api.md §2). Schema names in brackets.
 * Optional means "not in the schema's `required`"; responses are still checked at runtime by the
 * client (a server is not trusted to honour its own schema).
 *
 * Each interface names the spec schemas it stands for with `@schema NAME` (a `components.schemas`
 * entry) or `@schema METHOD /path request` (an operation's request body), and any field the spec does
 * not declare with `@extension FIELD`. test/providers/api-types.test.ts checks every field against
 * those schemas and every field the spec requires against the interface.
 */

// ─── Envelopes and errors ───────────────────────────────────────────────────────────────────────────

/**
 * [PaginationLinks] URLs (root-relative or absolute) of the neighbouring pages.
 * @schema PaginationLinks
 */
export interface DixaPaginationLinks {
    previous?: string;
    next?: string;
}

/**
 * `{ data: T }` single-object envelope.
 * @generic
 */
export interface DixaDataEnvelope<T> {
    data: T;
}

/**
 * `{ data: T[], meta? }` list envelope; `meta` only on paginated lists.
 * @generic
 */
export interface DixaListEnvelope<T> {
    data: T[];
    meta?: DixaPaginationLinks;
}

/**
 * [BadRequest], [Unauthorized], [NotFound], [Conflict], [ServerError], [ErrorResponse]
 * @schema BadRequest
 * @schema ErrorResponse
 */
export interface DixaErrorBody {
    message: string;
}

// ─── Organization ───────────────────────────────────────────────────────────────────────────────────

/**
 * [OrganizationDetails] (GET /v1/organization → [GetOrganizationOutput] `data`)
 * @schema OrganizationDetails
 */
export interface DixaOrganizationDetails {
    id: string;
    name: string;
    subdomain: string;
    /** values: Active, Suspended */
    status: string;
    avatarUrl?: string;
}

// ─── Contact endpoints ──────────────────────────────────────────────────────────────────────────────

/**
 * [TelephonyEndpoint]; `_type` appears in the spec's examples, not its schema.
 * @schema TelephonyEndpoint
 * @extension _type
 */
export interface DixaTelephonyEndpointBody {
    _type?: 'TelephonyEndpoint';
    number: string;
    /** values: Sms, VoiceInbound, VoiceOutbound */
    functionality?: string[];
    name?: string;
}

/**
 * [EmailEndpoint]
 * @schema EmailEndpoint
 * @extension _type
 */
export interface DixaEmailEndpointBody {
    _type?: 'EmailEndpoint';
    address: string;
    senderOverride?: string;
    name?: string;
}

/** [ContactEndpoint] = oneOf EmailEndpoint | TelephonyEndpoint ([ListContactPointsOutput] items). */
export type DixaContactEndpointBody = DixaTelephonyEndpointBody | DixaEmailEndpointBody;

/** Query of GET /v1/contact-endpoints. */
export type DixaContactEndpointType = 'TelephonyEndpoint' | 'EmailEndpoint';

// ─── Flows ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * [ConversationFlow] ([ListFlowsOutput] items)
 * @schema ConversationFlow
 */
export interface DixaConversationFlowBody {
    id: string;
    name: string;
    /** e.g. PstnPhone */
    channel: string;
    /** For phone flows the E.164 DID. */
    contactEndpointId: string;
}

// ─── Queues ─────────────────────────────────────────────────────────────────────────────────────────

/** values of [CreateOrUpdateQueueRequest].offerAlgorithm / [Queue].offeringAlgorithm */
export type DixaOfferAlgorithm = 'AgentPriorityOneAtATimeRandom' | 'AllAtOnce' | 'AgentPriorityLongestIdle' | 'AgentPriorityAllAtOnce' | 'LongestIdle' | 'OneAtATimeRandom';

/**
 * [QueueUsages]
 * @schema QueueUsages
 */
export interface DixaQueueUsages {
    queueId: string;
    /** [Map_ConversationChannel_Set_String]: channel → identifiers (DIDs for PstnPhone). */
    usages: Record<string, string[]>;
}

/**
 * [Queue] (the `Queue1` schema: GET /queues items, GET /queues/{id} `data`, POST /queues `data`)
 * @schema Queue1
 */
export interface DixaQueueBody {
    id: string;
    name: string;
    isDefault: boolean;
    organizationId: string;
    queueThresholds: Record<string, number>;
    slaCalculationMethod: string;
    offerTimeout?: number;
    /** Response spelling; the request field is `offerAlgorithm`. */
    offeringAlgorithm?: string;
    memberListType?: string;
    usages?: DixaQueueUsages;
    wrapupTimeout?: number;
    priority?: number;
    offerAbandonedConversations?: boolean;
    doNotOfferTimeouts: Record<string, number>;
    isDoNotOfferEnabled: boolean;
    isPreferredAgentEnabled?: boolean;
    preferredAgentTimeouts?: Record<string, number>;
    preferredAgentOfflineTimeout?: number;
    personalAgentOfflineTimeout?: number;
    isRestricted?: boolean;
}

/**
 * [CreateOrUpdateQueueRequest]
 * @schema CreateOrUpdateQueueRequest
 */
export interface DixaCreateQueueRequest {
    name: string;
    callFunctionality: boolean;
    isDefault: boolean;
    isDoNotOfferEnabled: boolean;
    queueThresholds?: Record<string, number>;
    offerTimeout?: number;
    offerAlgorithm?: DixaOfferAlgorithm;
    wrapupTimeout?: number;
    priority?: number;
    offerAbandonedConversations?: boolean;
    doNotOfferTimeouts?: Record<string, number>;
    preferredAgentTimeouts?: Record<string, number>;
    isPreferredAgentEnabled?: boolean;
    preferredAgentOfflineTimeout?: number;
    personalAgentOfflineTimeout?: number;
    isRestricted?: boolean;
}

/**
 * [CreateQueueInput]: POST /v1/queues wraps the fields in `request`.
 * @schema CreateQueueInput
 * @schema POST /v1/queues request
 */
export interface DixaCreateQueueInput {
    request: DixaCreateQueueRequest;
}

/**
 * [QueueMember] ([QueueMembersOutput] items)
 * @schema QueueMember
 */
export interface DixaQueueMemberBody {
    agentId: string;
    priority?: number;
}

/**
 * [BulkQueueEndpointInput]: PATCH/DELETE /v1/queues/{queueId}/members
 * @schema BulkQueueEndpointInput
 * @schema PATCH /v1/queues/{queueId}/members request
 * @schema DELETE /v1/queues/{queueId}/members request
 */
export interface DixaBulkQueueMembersInput {
    agentIds: string[];
}

// ─── Bulk outcomes ──────────────────────────────────────────────────────────────────────────────────

/** values of [BulkError] `_type` */
export type DixaBulkErrorType = 'NotFound' | 'Validation' | 'InvalidArgument' | 'Integrity' | 'Infrastructure' | 'EmptyPatchSet' | 'ErrorResponse';

/**
 * [BulkError] (oneOf NotFound | Validation | …; `id` is required on most variants)
 * @schema BulkError
 * @extension _type
 */
export interface DixaBulkError {
    _type?: DixaBulkErrorType | string;
    id?: string;
    message: string;
}

/**
 * [BulkActionSuccess_BulkError_UUID]
 * @schema BulkActionSuccess_BulkError_UUID
 * @extension _type
 */
export interface DixaBulkActionSuccess<T = string> {
    _type?: 'BulkActionSuccess';
    data: T;
}

/**
 * [BulkActionFailure_BulkError_UUID]
 * @schema BulkActionFailure_BulkError_UUID
 * @extension _type
 */
export interface DixaBulkActionFailure {
    _type?: 'BulkActionFailure';
    error: DixaBulkError;
}

/** [BulkActionOutcome_BulkError_UUID] ([BulkQueueEndpointOutput] items) */
export type DixaBulkActionOutcome<T = string> = DixaBulkActionSuccess<T> | DixaBulkActionFailure;

// ─── Agents ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * [Agent] (GET /v1/agents items; paginated with pageKey/pageLimit → meta.next)
 * @schema Agent
 */
export interface DixaAgentBody {
    id: string;
    createdAt: string;
    displayName: string;
    email: string;
    avatarUrl?: string;
    phoneNumber?: string;
    additionalEmails?: string[];
    additionalPhoneNumbers?: string[];
    firstName?: string;
    lastName?: string;
    middleNames?: string[];
    roles?: string[];
}
