/**
 * Synthflow request/response shapes used by sipflow, typed once. Derived from the vendor spec
 * (shared/specs/synthflow/synthflow-openapi.json, `components.schemas`; schema names in brackets)
 * and shared/reference/synthflow-api.md. Optional means "not required by the schema"; the client
 * still checks responses at runtime.
 *
 * Each interface names the spec schemas it stands for with `@schema NAME` (a `components.schemas`
 * entry) or `@schema METHOD /path request` (an operation's request body), and any field the spec does
 * not declare with `@extension FIELD`. test/providers/api-types.test.ts checks every field against
 * those schemas and every field the spec requires against the interface.
 */
import type { SynthflowTransferMode } from '../../vendors/synthflow-facts.js';

// ─── Envelopes, paging and errors ───────────────────────────────────────────────────────────────────

/**
 * `{status, response}`: every success body except the flat GET /numbers/{slug}. [status] is a string.
 * @generic
 */
export interface SynthflowEnvelope<T> {
    status?: string;
    response: T;
}

/**
 * [pagination], [NumbersGet…Pagination], [ActionsGet…Pagination]
 * @schema pagination
 * @schema NumbersGetResponsesContentApplicationJsonSchemaResponsePagination
 * @schema ActionsGetResponsesContentApplicationJsonSchemaResponsePagination
 */
export interface SynthflowPagination {
    total_records: number;
    limit: number;
    offset: number;
}

/**
 * `detail` of the 400/404 error bodies (e.g. [AssistantsModelIdPhoneNumbersPutResponses…Detail]).
 * @schema AssistantsModelIdPhoneNumbersPutResponsesContentApplicationJsonSchemaDetail
 */
export interface SynthflowErrorDetail {
    status: string;
    description: string;
    request_id: string;
    category: string;
}

/** Error bodies seen: `{detail: {...}}`, `{detail: "Not Found"}`, `{error, message}`. */
export type SynthflowErrorBody = { detail: SynthflowErrorDetail | string } | { error?: string; message?: string };

// ─── Numbers ────────────────────────────────────────────────────────────────────────────────────────

/** values of `provider_name` ([CustomNumbersPostRequestBody…ProviderName]) */
export type SynthflowProviderName = 'twilio' | 'telnyx' | 'vonage' | 'ring_central' | 'ringcx' | 'custom' | 'zoom' | 'five9';

/**
 * [NumbersGetResponsesContentApplicationJsonSchemaResponsePhoneNumbersItems] (GET /numbers `response.phone_numbers[]`)
 * @schema NumbersGetResponsesContentApplicationJsonSchemaResponsePhoneNumbersItems
 */
export interface SynthflowNumberListItem {
    number: string;
    sid?: string | null;
    is_available?: boolean;
}

/**
 * [NumbersGetResponsesContentApplicationJsonSchemaResponse]
 * @schema NumbersGetResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowNumberListResponse {
    pagination: SynthflowPagination;
    phone_numbers: SynthflowNumberListItem[];
}

/**
 * [Phone-Numbers_get-phone-number_Response_200]: GET /numbers/{phone_number_slug}, flat (no envelope).
 * @schema Phone-Numbers_get-phone-number_Response_200
 */
export interface SynthflowNumberDetail {
    slug: string;
    phone_number: string;
    friendly_name?: string | null;
    provider_name?: string | null;
    sip_term_uri?: string | null;
    sip_auth_username?: string | null;
    sip_outbound_proxy?: string | null;
    uac_enabled?: boolean;
    uac_register_expires?: number | null;
    sid?: string | null;
    region?: string;
    is_available?: boolean;
    is_sms_capable?: boolean;
    is_voice_capable?: boolean;
    iso_country?: string;
    locality?: string;
    address_requirement?: string;
    workspace_id?: string;
    agency_workspace_id?: string | null;
    created_at?: string;
    updated_at?: string | null;
    assistants?: string[];
}

/**
 * POST /custom-numbers body. `trunk_pwd` is write-only: never logged, never read back.
 * @schema POST /custom-numbers request
 */
export interface SynthflowCustomNumberImport {
    workspace_id: string;
    phone_number: string;
    friendly_name?: string;
    provider_name?: SynthflowProviderName;
    /** Maps to `sip_term_uri`; required for `custom`. */
    termination_uri?: string;
    trunk_username?: string;
    trunk_pwd?: string;
    sip_outbound_proxy?: string;
    sip_auth_username?: string;
    uac_enabled?: boolean;
    uac_register_expires?: number;
}

/**
 * [CustomNumbersPostResponsesContentApplicationJsonSchemaResponse]
 * @schema CustomNumbersPostResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowCustomNumberImported {
    key?: string;
    phone_number?: string;
}

/**
 * PATCH /numbers/{phone_number_slug} body.
 * @schema PATCH /numbers/{phone_number_slug} request
 */
export interface SynthflowNumberPatchBody {
    friendly_name?: string;
    sip_term_uri?: string;
    termination_uri?: string;
    provider_name?: SynthflowProviderName;
    trunk_username?: string;
    trunk_pwd?: string;
    sip_auth_username?: string;
    sip_outbound_proxy?: string;
    uac_enabled?: boolean;
    uac_register_expires?: number;
}

// ─── Assistants ─────────────────────────────────────────────────────────────────────────────────────

/**
 * [AttachedPhoneNumber]
 * @schema AttachedPhoneNumber
 */
export interface SynthflowAttachedPhoneNumber {
    number: string;
    sid: string | null;
    slug: string;
}

/**
 * [AssistantsGetResponsesContentApplicationJsonSchemaResponseAssistants] (list item; the spec types the list as an object, it is an array).
 * @schema AssistantsGetResponsesContentApplicationJsonSchemaResponseAssistants
 */
export interface SynthflowAssistantListItem {
    model_id: string;
    name?: string;
    /** [type] outbound | inbound | widget */
    type?: string;
    phone_number?: string;
    description?: string;
}

/**
 * [AssistantsGetResponsesContentApplicationJsonSchemaResponse]
 * @schema AssistantsGetResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowAssistantListResponse {
    pagination: SynthflowPagination;
    assistants: SynthflowAssistantListItem[];
}

/**
 * [AssistantsModelIdGetResponsesContentApplicationJsonSchemaResponseAssistantsItems]
 * @schema AssistantsModelIdGetResponsesContentApplicationJsonSchemaResponseAssistantsItems
 */
export interface SynthflowAssistantDetail extends SynthflowAssistantListItem {
    attached_phone_numbers?: SynthflowAttachedPhoneNumber[];
    /** Action ids; empty unless `include_actions=true`. */
    actions?: string[];
    input_variables?: { action_id: string; values: unknown[]; trigger_condition?: string | null }[];
}

/**
 * [AssistantsModelIdGetResponsesContentApplicationJsonSchemaResponse]
 * @schema AssistantsModelIdGetResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowAssistantDetailResponse {
    assistants: SynthflowAssistantDetail[];
}

/**
 * PUT /assistants/{model_id}: a partial update ("Only the provided parameters will be updated"). sipflow
 * sends only `phone_number`, the inbound agent's number.
 * @schema PUT /assistants/{model_id} request
 */
export interface SynthflowAssistantUpdateBody {
    phone_number?: string;
}

/**
 * [AttachPhoneNumbersToAssistantRequest1]: PUT /assistants/{model_id}/phone_numbers — the outbound
 * pool; sipflow does not use it (kept for the shape test).
 * @schema AttachPhoneNumbersToAssistantRequest1
 */
export interface SynthflowAttachNumbersBody {
    phone_number_slugs: string[];
}

// ─── Actions ────────────────────────────────────────────────────────────────────────────────────────

/**
 * [LiveTransferCreateDirectPhoneConfig] / [LiveTransferUpdateDirectPhoneConfig] (fields sipflow sends).
 * @schema LiveTransferCreateDirectPhoneConfig
 * @schema LiveTransferUpdateDirectPhoneConfig
 */
export interface SynthflowLiveTransferBody {
    transfer_mode: SynthflowTransferMode;
    phone: string;
    instructions: string;
    initiating_msg: string;
    failed_msg?: string;
    timeout?: number;
    message_to_transfer_target?: string;
    goodbye_msg?: string;
    digits?: string;
    stop_recording_after_transfer?: boolean;
    human_detection?: boolean;
    preserve_caller_id?: boolean;
    screened?: boolean;
}

/**
 * POST /actions and PUT /actions/{action_id} bodies are keyed by the action type. `name` (the action's
 * display name) is not in the LIVE_TRANSFER schema; sipflow sends it inside the typed object the way
 * CUSTOM_ACTION declares it (the schema allows additional properties).
 * @schema POST /actions request
 * @schema PUT /actions/{action_id} request
 */
export interface SynthflowLiveTransferActionBody {
    LIVE_TRANSFER: SynthflowLiveTransferBody & { name?: string };
}

/**
 * [ActionsPostResponsesContentApplicationJsonSchemaResponse]
 * @schema ActionsPostResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowActionCreated {
    action_id: string;
    action_type?: string;
    prompt_variables?: unknown[];
}

/**
 * [ActionsGetResponsesContentApplicationJsonSchemaResponseActionsItems] /
 * [ActionsActionIdGetResponsesContentApplicationJsonSchemaResponseActionsItems]. The spec declares no
 * LIVE_TRANSFER configuration on read (shared/reference/synthflow-api.md §6); the sandbox returns the
 * LIVE_TRANSFER object as written in the open `parameters_hard_coded` object, and the client also
 * accepts a `LIVE_TRANSFER` key should the live API use one.
 * @schema ActionsGetResponsesContentApplicationJsonSchemaResponseActionsItems
 * @schema ActionsActionIdGetResponsesContentApplicationJsonSchemaResponseActionsItems
 * @extension LIVE_TRANSFER
 */
export interface SynthflowActionItem {
    action_id: string;
    action_type?: string;
    name?: string;
    description?: string;
    assistants?: string[];
    parameters_hard_coded?: Record<string, unknown>;
    LIVE_TRANSFER?: Partial<SynthflowLiveTransferBody>;
}

/**
 * [ActionsGetResponsesContentApplicationJsonSchemaResponse]
 * @schema ActionsGetResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowActionListResponse {
    pagination: SynthflowPagination;
    actions: SynthflowActionItem[];
}

/**
 * [ActionsActionIdGetResponsesContentApplicationJsonSchemaResponse]
 * @schema ActionsActionIdGetResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowActionDetailResponse {
    actions: SynthflowActionItem[];
}

/**
 * POST /actions/attach body (the `actions` variant): the actions to add.
 * @schema POST /actions/attach request
 */
export interface SynthflowAttachActionsBody {
    model_id: string;
    actions: string[];
}

/**
 * POST /actions/detach body: the actions to remove.
 * @schema POST /actions/detach request
 */
export interface SynthflowDetachActionsBody {
    model_id: string;
    actions: string[];
}

// ─── Calls ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * One pre-call variable ([CallsPostRequestBody…CustomVariablesItems]).
 * @schema CallsPostRequestBodyContentApplicationJsonSchemaCustomVariablesItems
 */
export interface SynthflowCustomVariable {
    key: string;
    value: string;
}

/**
 * POST /calls: an outbound agent calls `phone`; `from_phone_number` must be in the agent's pool.
 * @schema POST /calls request
 */
export interface SynthflowCallRequest {
    model_id: string;
    phone: string;
    name: string;
    from_phone_number?: string;
    custom_variables?: SynthflowCustomVariable[];
}

/**
 * POST /calls `response`.
 * @schema CallsPostResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowCallStarted {
    answer?: string;
    call_id: string;
}

/**
 * GET /calls `response.calls[]` (the fields sipflow reads). `executed_actions` is an open object:
 * the sandbox keys it by action id, each `{action_type, phone, outcome, detail}` [I].
 * @schema CallsGetResponsesContentApplicationJsonSchemaResponseCallsItems
 */
// [I] assumption: call-transfer-shows-target
export interface SynthflowCallListItem {
    call_id: string;
    model_id: string;
    call_status?: string;
    end_call_reason?: string;
    error_message?: string | null;
    executed_actions?: Record<string, unknown>;
    lead_phone_number?: string;
    agent_phone_number?: string;
    phone_number_from?: string;
    phone_number_to?: string;
    start_time?: string;
    type_of_call?: string;
}

/**
 * GET /calls `response`.
 * @schema CallsGetResponsesContentApplicationJsonSchemaResponse
 */
export interface SynthflowCallList {
    pagination?: SynthflowPagination;
    calls: SynthflowCallListItem[];
}
