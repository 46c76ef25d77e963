/** Test calls (`sipflow verify --call`) and the probes `sipflow doctor` sends to learn how the API answers. */
import { expectArray, expectString, isObject } from '../http/shape.js';
import type { SynthflowCallRequest } from './api-types.js';
import { toCall, type LiveCall } from './decoders.js';
import { synthflowErrorMessage, type SynthflowTransport } from './transport.js';

/** A test call to start: an outbound agent (`modelId`) calls `phone` from one of its pool numbers. */
export interface CallRequest {
    readonly modelId: string;
    readonly phone: string;
    readonly name: string;
    readonly fromPhoneNumber?: string;
    readonly customVariables?: Readonly<Record<string, string>>;
}

/** What one list page answered, for `sipflow doctor`'s page-size probe. */
export interface SynthflowPageProbe {
    readonly requestedLimit: number;
    readonly items: number;
    /** `pagination.limit` as answered, when there is one. */
    readonly paginationLimit?: number;
    /** `pagination.total_records`, when there is one. */
    readonly totalRecords?: number;
}

/** The status and vendor text of a request doctor sends to learn how the API answers it. */
export interface SynthflowProbeAnswer {
    readonly status: number;
    readonly message?: string;
}

export interface SynthflowCalls {
    /** POST /calls; returns the call id. Not retried blindly: a call costs real minutes. */
    startCall(request: CallRequest): Promise<string>;
    /** GET /calls?model_id=…, newest first as the API lists them; `fromMs` filters by start time. */
    listCalls(modelId: string, options?: { readonly fromMs?: number; readonly limit?: number }): Promise<LiveCall[]>;
    /** One page of a list with an explicit `limit` (doctor: does the API honour it?). */
    probeListPage(list: 'actions' | 'assistants' | 'numbers', limit: number): Promise<SynthflowPageProbe>;
    /**
     * `POST /custom-numbers` with only `workspace_id` (no number, so nothing can be created): a workspace
     * that may import numbers answers 400 (the missing field), one that may not 403. Returns the answer.
     */
    probeNumberImportPermission(): Promise<SynthflowProbeAnswer>;
}

export function synthflowCalls(transport: SynthflowTransport): SynthflowCalls {
    const { http, workspace, invalidFor, unwrap } = transport;
    return {
        async startCall(request: CallRequest): Promise<string> {
            const operation = 'POST /calls';
            const body: SynthflowCallRequest = {
                model_id: request.modelId,
                phone: request.phone,
                name: request.name,
                ...(request.fromPhoneNumber !== undefined ? { from_phone_number: request.fromPhoneNumber } : {}),
                ...(request.customVariables ? { custom_variables: Object.entries(request.customVariables).map(([key, value]) => ({ key, value })) } : {}),
            };
            const { data } = await http.request({ method: 'POST', template: '/calls', body, idempotent: false });
            return expectString(unwrap(data, operation, true)['call_id'], '`response.call_id`', invalidFor(operation, true));
        },

        async listCalls(modelId: string, options: { readonly fromMs?: number; readonly limit?: number } = {}): Promise<LiveCall[]> {
            const operation = 'GET /calls';
            const invalid = invalidFor(operation);
            const { data } = await http.request({
                method: 'GET',
                template: '/calls',
                query: { model_id: modelId, limit: options.limit ?? 20, offset: 0, ...(options.fromMs !== undefined ? { from_date: options.fromMs } : {}) },
            });
            return expectArray(unwrap(data, operation)['calls'], '`response.calls`', invalid).map(value => toCall(value, modelId, invalid));
        },

        async probeListPage(list: 'actions' | 'assistants' | 'numbers', limit: number): Promise<SynthflowPageProbe> {
            const template = list === 'assistants' ? '/assistants/' : `/${list}`;
            const key = list === 'numbers' ? 'phone_numbers' : list;
            const operation = `GET ${template}`;
            const { data } = await http.request({ method: 'GET', template, query: { ...(list === 'numbers' ? { workspace } : {}), limit, offset: 0 } });
            const response = unwrap(data, operation);
            const items = expectArray(response[key], `\`response.${key}\``, invalidFor(operation));
            const pagination = response['pagination'];
            const field = (name: string) => (isObject(pagination) && typeof pagination[name] === 'number' ? { [name]: pagination[name] as number } : {});
            const { limit: paginationLimit, total_records: totalRecords } = { ...field('limit'), ...field('total_records') } as { limit?: number; total_records?: number };
            return {
                requestedLimit: limit,
                items: items.length,
                ...(paginationLimit !== undefined ? { paginationLimit } : {}),
                ...(totalRecords !== undefined ? { totalRecords } : {}),
            };
        },

        async probeNumberImportPermission(): Promise<SynthflowProbeAnswer> {
            // [I] assumption: number-import-permitted
            const { status, data } = await http.request({ method: 'POST', template: '/custom-numbers', body: { workspace_id: workspace }, accept: [400, 403, 404, 422] });
            const message = synthflowErrorMessage(data);
            return { status, ...(message !== undefined ? { message } : {}) };
        },
    };
}
