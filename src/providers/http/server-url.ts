/**
 * Resolves a link the server handed out (Dixa `meta.next`: root-relative `/v1/agents?pageKey=…` or
 * absolute) against our own base URL. Only the path and query are taken from the link: requests
 * always go to the configured origin, so a link naming another host can never receive the key, and
 * a base URL behind a path prefix (a proxy) keeps working. If the link's path lacks the base's
 * leading path segments (e.g. base `/proxy/v1`, link `/v1/agents`), they are restored.
 */
export function resolveServerUrl(base: URL, link: string): string {
    const target = new URL(link, base.origin + '/');
    let path = target.pathname;
    const basePath = base.pathname.replace(/\/+$/, '');
    if (basePath !== '' && !(path === basePath || path.startsWith(basePath + '/'))) {
        const segments = basePath.split('/').filter(Boolean);
        for (let i = 1; i < segments.length; i++) {
            const suffix = '/' + segments.slice(i).join('/');
            if (path === suffix || path.startsWith(suffix + '/')) {
                path = '/' + segments.slice(0, i).join('/') + path;
                break;
            }
        }
    }
    return base.origin + path + target.search;
}
