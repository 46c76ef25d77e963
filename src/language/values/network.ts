/** Pure checks for network values; no I/O so that they also run in a browser worker. */

const IPV4_OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

export function isIPv4(text: string): boolean {
    return IPV4.test(text);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

// The last answer: validation asks about the integration's one sip-domain for every department and
// escalation (thousands of times in a large file), each time splitting it and matching every label.
let lastHostName: string | undefined;
let lastHostNameValid = false;

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
export function isHostName(text: string): boolean {
    if (text !== lastHostName) {
        lastHostNameValid = computeIsHostName(text);
        lastHostName = text;
    }
    return lastHostNameValid;
}

function computeIsHostName(text: string): boolean {
    if (text.length === 0 || text.length > 253) return false;
    const labels = text.split('.');
    if (labels.length < 2) return false;
    if (!labels.every(label => LABEL.test(label))) return false;
    // the top-level label is never all-numeric
    return !/^\d+$/.test(labels[labels.length - 1]);
}

export interface SipUri {
    readonly scheme: 'sip' | 'sips';
    readonly user: string;
    readonly host: string;
    readonly port?: number;
    readonly params: string;
}

const SIP_URI = /^(sips?):([^@\s:;]+)@([^:;\s]+)(?::(\d{1,5}))?((?:;[^;\s]*)*)$/i;

export type SipUriCheck = { readonly ok: true; readonly uri: SipUri } | { readonly ok: false; readonly reason: string };

/** Parses `sip:user@host[:port][;params]` as Synthflow's transfer targets need it. */
export function parseSipUri(text: string): SipUriCheck {
    const match = SIP_URI.exec(text);
    if (!match) {
        if (!/^sips?:/i.test(text)) return { ok: false, reason: 'it does not start with sip: or sips:' };
        if (!text.includes('@')) return { ok: false, reason: 'it has no user part (write sip:{queue did}@{sip-domain})' };
        return { ok: false, reason: 'it is not of the form sip:user@host[:port]' };
    }
    const [, scheme, user, host, portText, params] = match;
    if (!isHostName(host) && !isIPv4(host)) return { ok: false, reason: `"${host}" is not a valid host name` };
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && (port < 1 || port > 65535)) return { ok: false, reason: `port ${port} is out of range` };
    return {
        ok: true,
        uri: { scheme: scheme.toLowerCase() as 'sip' | 'sips', user, host: host.toLowerCase(), port, params },
    };
}
