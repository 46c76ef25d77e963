/**
 * Synthflow over the shared HTTP layer: `Authorization: Bearer`, `detail` errors, the
 * `{status, response}` envelope (except the flat GET /numbers/{slug}) and `limit`/`offset` paging.
 */
import type { HttpClient, VendorProfile } from '../http/client.js';
import { expectArray, expectObject, isObject, type InvalidResponse, type JsonObject } from '../http/shape.js';

/** Items per list page (the API's default is 20; fewer pages, fewer requests). */
// [I] assumption: synthflow-max-page-size
export const SYNTHFLOW_PAGE_SIZE = 100;
/** Safety stop against a server whose `total_records` never comes within reach. */
const MAX_PAGES = 10_000;

/** Extracts Synthflow's error text: `detail.description`, a string `detail`, or `{error, message}`. */
export function synthflowErrorMessage(body: unknown): string | undefined {
    if (!isObject(body)) return undefined;
    const detail = body['detail'];
    if (typeof detail === 'string') return detail;
    if (isObject(detail)) {
        if (typeof detail['description'] === 'string') return detail['description'];
        if (typeof detail['message'] === 'string') return detail['message'];
    }
    // FastAPI-style validation errors: detail: [{loc, msg}]
    if (Array.isArray(detail)) {
        const msgs = detail.map(d => (isObject(d) && typeof d['msg'] === 'string' ? d['msg'] : undefined)).filter((m): m is string => m !== undefined);
        if (msgs.length > 0) return msgs.join('; ');
    }
    if (typeof body['message'] === 'string') return body['message'];
    if (typeof body['error'] === 'string') return body['error'];
    return undefined;
}

export const SYNTHFLOW_PROFILE: VendorProfile = {
    vendor: 'synthflow',
    label: 'Synthflow',
    authorization: apiKey => `Bearer ${apiKey}`,
    errorMessage: synthflowErrorMessage,
    defaultConcurrency: 8,
};

/** What every Synthflow module shares: the HTTP client, the workspace, and the envelope and paging rules. */
export interface SynthflowTransport {
    readonly http: HttpClient;
    readonly label: string;
    /** The workspace id numbers are listed in and imported into. */
    readonly workspace: string;
    /** The invalid-response error for an operation (a write's outcome is `unknown`). */
    invalidFor(operation: string, write?: boolean): InvalidResponse;
    /** The `response` object of a `{status, response}` envelope. */
    unwrap(data: unknown, operation: string, write?: boolean): JsonObject;
    /** GETs every page of a `limit`/`offset` list; `key` names the items array inside `response`. */
    collectPages(template: string, key: string, query?: Record<string, string>): Promise<unknown[]>;
}

export function synthflowTransport(http: HttpClient, workspace: string, pageSize: number): SynthflowTransport {
    const invalidFor =
        (operation: string, write = false): InvalidResponse =>
        (what: string) =>
            http.invalidResponse(operation, what, write);
    const unwrap = (data: unknown, operation: string, write = false): JsonObject => {
        const invalid = invalidFor(operation, write);
        return expectObject(expectObject(data, 'the body', invalid)['response'], '`response`', invalid);
    };
    const collectPages = async (template: string, key: string, query: Record<string, string> = {}): Promise<unknown[]> => {
        const operation = `GET ${template}`;
        const invalid = invalidFor(operation);
        const items: unknown[] = [];
        let offset = 0;
        for (let page = 0; page < MAX_PAGES; page++) {
            const { data } = await http.request({ method: 'GET', template, query: { ...query, limit: pageSize, offset } });
            const response = unwrap(data, operation);
            const pageItems = expectArray(response[key], `\`response.${key}\``, invalid);
            items.push(...pageItems);
            const pagination = response['pagination'];
            const total = isObject(pagination) && typeof pagination['total_records'] === 'number' ? pagination['total_records'] : undefined;
            offset += pageItems.length;
            // Stop when offset reaches total_records; without a total, when a page comes back short.
            if (total === undefined ? pageItems.length < pageSize : offset >= total) return items;
            if (pageItems.length === 0) throw invalid(`an empty page before total_records (${total}) was reached`);
        }
        throw invalid(`more than ${MAX_PAGES} pages`);
    };
    return { http, label: http.profile.label, workspace, invalidFor, unwrap, collectPages };
}
