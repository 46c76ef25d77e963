/**
 * The base-URL rule for every provider: `https`, or plain `http` only to a loopback host
 * (127.0.0.0/8, ::1, localhost) such as the embedded sandbox. Anything else is refused before a
 * single request (and so before an API key could travel in clear text).
 */
import { isIPv4 } from 'node:net';
import { SipflowError } from '../../errors.js';

export class BaseUrlError extends SipflowError {
    constructor(message: string) {
        super('base-url', message);
    }
}

export function isLoopbackHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (host === 'localhost' || host.endsWith('.localhost')) return true;
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    if (isIPv4(host)) return host.split('.')[0] === '127';
    // IPv4-mapped IPv6 (`::ffff:127.0.0.1`, which WHATWG URL normalises to `::ffff:7f00:1`).
    const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):[0-9a-f]{1,4})$/.exec(host);
    if (mapped) return mapped[1] !== undefined ? mapped[1].startsWith('127.') : parseInt(mapped[2]!, 16) >> 8 === 0x7f;
    return false;
}

/**
 * Validates and normalises a base URL (no trailing slash, no query or fragment).
 * @param label what the URL is for, e.g. `Dixa base URL`, used in the error message.
 */
export function checkBaseUrl(raw: string, label: string): URL {
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new BaseUrlError(`${label} is not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`);
    }
    if (url.username || url.password) {
        throw new BaseUrlError(`${label} must not contain credentials; pass the API key separately`);
    }
    if (url.search || url.hash) {
        throw new BaseUrlError(`${label} must not contain a query string or fragment`);
    }
    if (url.protocol === 'http:') {
        if (!isLoopbackHost(url.hostname)) {
            throw new BaseUrlError(`${label} ${url.origin} uses plain http to a non-loopback host; use https (plain http is allowed only to 127.0.0.0/8, ::1 or localhost)`);
        }
    } else if (url.protocol !== 'https:') {
        throw new BaseUrlError(`${label} must use https (got ${url.protocol.replace(/:$/, '')})`);
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url;
}
