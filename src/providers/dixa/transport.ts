/**
 * Dixa over the shared HTTP layer: `/v1` paths, raw-token `Authorization` (no `Bearer`), a
 * client-side throttle to Dixa's published rate limit, and the `{data}` envelope.
 */
import { DIXA_RATE_LIMIT } from '../../vendors/dixa-facts.js';
import type { HttpClient, VendorProfile } from '../http/client.js';
import { expectObject, isObject, type InvalidResponse } from '../http/shape.js';

/**
 * The throttle sits a little under the published limit (DIXA_RATE_LIMIT): requests leave at most at
 * 80 % of the rate with one token less of burst, so network jitter between our clock and Dixa's
 * cannot make Dixa see a burst we did not send.
 */
export const DIXA_CLIENT_THROTTLE = {
    requestsPerSecond: DIXA_RATE_LIMIT.requestsPerSecond * 0.8,
    burst: Math.max(1, DIXA_RATE_LIMIT.burst - 1),
} as const;

export const DIXA_PROFILE: VendorProfile = {
    vendor: 'dixa',
    label: 'Dixa',
    authorization: apiKey => apiKey,
    errorMessage: body => (isObject(body) && typeof body['message'] === 'string' ? body['message'] : undefined),
    defaultConcurrency: DIXA_RATE_LIMIT.burst,
    rateLimit: DIXA_CLIENT_THROTTLE,
};

/** What every Dixa module shares: the HTTP client and the envelope rule. */
export interface DixaTransport {
    readonly http: HttpClient;
    readonly label: string;
    /** `pageLimit` for paginated lists; undefined: Dixa's own default. */
    readonly pageSize: number | undefined;
    /** The invalid-response error for an operation (a write's outcome is `unknown`). */
    invalidFor(operation: string, write?: boolean): InvalidResponse;
    /** GET and unwrap `data`. */
    getData(template: string, query?: Record<string, string>, pathParams?: Record<string, string>): Promise<unknown>;
}

export function dixaTransport(http: HttpClient, pageSize: number | undefined): DixaTransport {
    const invalidFor =
        (operation: string, write = false): InvalidResponse =>
        (what: string) =>
            http.invalidResponse(operation, what, write);
    return {
        http,
        label: http.profile.label,
        pageSize,
        invalidFor,
        async getData(template, query, pathParams) {
            const operation = `GET ${template}`;
            const { data } = await http.request({ method: 'GET', template, ...(query ? { query } : {}), ...(pathParams ? { pathParams } : {}) });
            return expectObject(data, 'the body', invalidFor(operation))['data'];
        },
    };
}
