/**
 * Dixa cursor paging: `pageLimit` + opaque `pageKey`; each page's `meta.next` is the URL of the
 * next one (root-relative or absolute; it carries the original filters). Follow it as given, stop
 * when it is absent. Only some Dixa lists are paginated (agents, end users, …); queues, contact
 * endpoints and flows return the whole collection (shared/reference/dixa-api.md §3.3).
 */
import type { HttpClient, HttpRequest } from '../http/client.js';
import { expectArray, expectObject, isObject } from '../http/shape.js';

/** Safety stop against a server whose cursor never ends. */
const MAX_PAGES = 10_000;

/**
 * GETs `first` and every following page; returns all `data` items in order.
 * Later pages are counted under the same operation as the first (`GET /agents`).
 */
export async function collectDixaPages(http: HttpClient, first: HttpRequest): Promise<unknown[]> {
    const operation = `GET ${first.template}`;
    const invalid = (what: string) => http.error(operation, `${http.profile.label} ${operation} returned an unexpected response: ${what}`, { kind: 'invalid-response' });
    const items: unknown[] = [];
    const seen = new Set<string>();
    let request: HttpRequest = first;
    for (let page = 0; page < MAX_PAGES; page++) {
        const { data } = await http.request(request);
        const body = expectObject(data, 'the page', invalid);
        items.push(...expectArray(body['data'], '`data`', invalid));
        const meta = body['meta'];
        const next = isObject(meta) ? meta['next'] : undefined;
        if (typeof next !== 'string' || next.trim() === '') return items;
        let resolved: string;
        try {
            resolved = http.resolveServerUrl(next);
        } catch {
            throw invalid('`meta.next` is not a URL');
        }
        if (seen.has(resolved)) throw invalid('`meta.next` repeats an earlier page (the cursor does not advance)');
        seen.add(resolved);
        request = { method: 'GET', template: first.template, url: next };
    }
    throw invalid(`more than ${MAX_PAGES} pages`);
}
