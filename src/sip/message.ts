/**
 * The small part of SIP (RFC 3261) a reachability probe needs: building an OPTIONS request, parsing a
 * message (start line, headers with compact forms and folded lines, body), and framing messages on a
 * stream transport by Content-Length.
 */
import { randomBytes } from 'node:crypto';

export type SipTransport = 'udp' | 'tcp' | 'tls';
export const SIP_TRANSPORTS: readonly SipTransport[] = ['udp', 'tcp', 'tls'];

/** RFC 3261 §8.1.1.7: every branch of a compliant client starts with this magic cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';
/** Largest message accepted (a response to OPTIONS is a few hundred bytes; this bounds a hostile peer). */
export const MAX_MESSAGE_BYTES = 65_536;

/** RFC 3261 §7.3.3 and the IANA registry: compact header names → full names (lower case). */
const COMPACT_HEADER_NAMES: Readonly<Record<string, string>> = {
    v: 'via',
    i: 'call-id',
    f: 'from',
    t: 'to',
    m: 'contact',
    l: 'content-length',
    c: 'content-type',
    e: 'content-encoding',
    k: 'supported',
    s: 'subject',
    o: 'event',
    u: 'allow-events',
    r: 'refer-to',
    b: 'referred-by',
    x: 'session-expires',
    a: 'accept-contact',
    j: 'reject-contact',
    d: 'request-disposition',
    y: 'identity',
    n: 'identity-info',
};

/** Lower-case full name of a header, whichever form (compact or full, any case) it was written in. */
export function canonicalHeaderName(name: string): string {
    const lower = name.trim().toLowerCase();
    return COMPACT_HEADER_NAMES[lower] ?? lower;
}

export interface SipMessage {
    readonly kind: 'request' | 'response';
    readonly startLine: string;
    /** Responses only. */
    readonly statusCode?: number;
    readonly reasonPhrase?: string;
    /** Requests only. */
    readonly method?: string;
    readonly requestUri?: string;
    /** In message order; names are canonical (lower-case full names); folded lines are joined. */
    readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
    readonly body: string;
}

/** The first value of a header, by any of its names. */
export function headerValue(message: SipMessage, name: string): string | undefined {
    const wanted = canonicalHeaderName(name);
    return message.headers.find(([headerName]) => headerName === wanted)?.[1];
}

/** Every value of a header: repeated headers and comma-separated values, in order (commas inside quotes kept). */
export function headerValues(message: SipMessage, name: string): string[] {
    const wanted = canonicalHeaderName(name);
    return message.headers.filter(([headerName]) => headerName === wanted).flatMap(([, value]) => splitOutsideQuotes(value));
}

function splitOutsideQuotes(value: string): string[] {
    const parts: string[] = [];
    let current = '';
    let quoted = false;
    let angle = false;
    for (let index = 0; index < value.length; index++) {
        const char = value[index];
        if (quoted && char === '\\') {
            current += char + (value[index + 1] ?? '');
            index++;
            continue;
        }
        if (char === '"') quoted = !quoted;
        else if (!quoted && char === '<') angle = true;
        else if (!quoted && char === '>') angle = false;
        if (char === ',' && !quoted && !angle) {
            parts.push(current.trim());
            current = '';
        } else {
            current += char;
        }
    }
    if (current.trim() !== '') parts.push(current.trim());
    return parts;
}

const STATUS_LINE = /^SIP\/2\.0[ \t]+(\d{3})(?:[ \t]+(.*))?$/i;
const REQUEST_LINE = /^([A-Za-z][A-Za-z0-9.!%*_+`'~-]*)[ \t]+(\S+)[ \t]+SIP\/2\.0$/i;

/**
 * Parses one SIP message, or returns undefined when the text is not one (a stray datagram, a keep-alive,
 * garbage). Tolerant where RFC 3261 §7.3.1 allows: LF-only line ends, folded header lines, any header case,
 * compact names, whitespace around the colon.
 */
export function parseSipMessage(text: string): SipMessage | undefined {
    // Leading CRLFs are keep-alives (RFC 5626 §3.5.1) and tolerated before a message (RFC 3261 §7.5).
    const trimmed = text.replace(/^(?:\r?\n)+/, '');
    const headerEnd = findHeaderEnd(trimmed);
    const head = headerEnd === undefined ? trimmed : trimmed.slice(0, headerEnd.index);
    const body = headerEnd === undefined ? '' : trimmed.slice(headerEnd.index + headerEnd.length);
    const lines = head.split(/\r?\n/);
    const startLine = (lines.shift() ?? '').trim();
    const headers: Array<[string, string]> = [];
    for (const line of lines) {
        if (line === '') continue;
        if (/^[ \t]/.test(line)) {
            // A folded continuation of the previous header (RFC 3261 §7.3.1): joined by one space.
            const previous = headers.at(-1);
            if (previous === undefined) return undefined;
            previous[1] = `${previous[1]} ${line.trim()}`;
            continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) return undefined;
        const name = line.slice(0, colon);
        if (!/^[!-9;-~]+$/.test(name.trim())) return undefined;
        headers.push([canonicalHeaderName(name), line.slice(colon + 1).trim()]);
    }
    const status = STATUS_LINE.exec(startLine);
    if (status) {
        return { kind: 'response', startLine, statusCode: Number(status[1]), reasonPhrase: (status[2] ?? '').trim(), headers, body };
    }
    const request = REQUEST_LINE.exec(startLine);
    if (request) return { kind: 'request', startLine, method: request[1].toUpperCase(), requestUri: request[2], headers, body };
    return undefined;
}

function findHeaderEnd(text: string): { index: number; length: number } | undefined {
    const match = /\r?\n\r?\n/.exec(text);
    return match ? { index: match.index, length: match[0].length } : undefined;
}

/** A `;name=value` parameter of a header value (Via `branch`, From `tag`), case-insensitive. */
export function headerParameter(value: string, name: string): string | undefined {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`;\\s*${escaped}\\s*=\\s*("[^"]*"|[^;,\\s>]+)`, 'i').exec(value);
    return match?.[1].replace(/^"(.*)"$/, '$1');
}

/**
 * Splits a byte stream (TCP, TLS) into SIP messages: each ends after its header block plus Content-Length
 * bytes of body (RFC 3261 §18.3). A missing Content-Length on a stream is taken as 0.
 */
export class SipStreamFramer {
    private buffer = Buffer.alloc(0);

    /** Adds received bytes; returns the messages they complete. Throws when a message is too large. */
    push(chunk: Buffer): Buffer[] {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        const messages: Buffer[] = [];
        for (;;) {
            // Skip CRLF keep-alives between messages.
            let start = 0;
            while (start < this.buffer.length && (this.buffer[start] === 0x0d || this.buffer[start] === 0x0a)) start++;
            if (start > 0) this.buffer = this.buffer.subarray(start);
            const headerEnd = this.buffer.indexOf('\r\n\r\n');
            if (headerEnd < 0) {
                if (this.buffer.length > MAX_MESSAGE_BYTES) throw new Error(`a message's headers exceed ${MAX_MESSAGE_BYTES} bytes`);
                return messages;
            }
            const head = this.buffer.subarray(0, headerEnd).toString('utf8');
            const contentLength = contentLengthOf(head);
            if (contentLength === undefined) throw new Error('a message has an invalid Content-Length');
            const total = headerEnd + 4 + contentLength;
            if (total > MAX_MESSAGE_BYTES) throw new Error(`a message exceeds ${MAX_MESSAGE_BYTES} bytes`);
            if (this.buffer.length < total) return messages;
            messages.push(Buffer.from(this.buffer.subarray(0, total)));
            this.buffer = this.buffer.subarray(total);
        }
    }
}

function contentLengthOf(head: string): number | undefined {
    // Unfold first, so that a folded Content-Length value is read whole.
    for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon <= 0 || canonicalHeaderName(line.slice(0, colon)) !== 'content-length') continue;
        const value = line.slice(colon + 1).trim();
        return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
    }
    return 0;
}

/** The identifiers that tie a response to the request: unique per probe. */
export interface RequestIdentity {
    readonly branch: string;
    readonly callId: string;
    readonly fromTag: string;
}

export function newRequestIdentity(): RequestIdentity {
    return {
        branch: `${BRANCH_MAGIC_COOKIE}${randomBytes(10).toString('hex')}`,
        callId: `${randomBytes(16).toString('hex')}@sipflow`,
        fromTag: randomBytes(6).toString('hex'),
    };
}

export interface OptionsRequestInput {
    /** The target: host (name or IP literal) and port; user part optional. */
    readonly host: string;
    readonly port: number;
    readonly user?: string;
    readonly transport: SipTransport;
    /** The local address and port the request leaves from (for Via and Contact). */
    readonly localAddress: string;
    readonly localPort: number;
    readonly identity: RequestIdentity;
    /** e.g. `sipflow/0.1.0` */
    readonly userAgent: string;
}

/** `host:port` with IPv6 literals in brackets (RFC 3261 §25.1, hostport). */
export function hostPort(host: string, port: number): string {
    return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** The Request-URI of a probe: `sip:[user@]host:port[;transport=tcp|tls]`. */
export function probeRequestUri(host: string, port: number, transport: SipTransport, user?: string): string {
    const userPart = user === undefined || user === '' ? '' : `${user}@`;
    return `sip:${userPart}${hostPort(host, port)}${transport === 'udp' ? '' : `;transport=${transport}`}`;
}

/** An RFC 3261 OPTIONS request (§11), CRLF line ends, no body. */
export function buildOptionsRequest(input: OptionsRequestInput): string {
    const requestUri = probeRequestUri(input.host, input.port, input.transport, input.user);
    const local = hostPort(input.localAddress, input.localPort);
    const viaTransport = input.transport.toUpperCase();
    const lines = [
        `OPTIONS ${requestUri} SIP/2.0`,
        `Via: SIP/2.0/${viaTransport} ${local};branch=${input.identity.branch};rport`,
        'Max-Forwards: 70',
        `From: <sip:sipflow-probe@${local}>;tag=${input.identity.fromTag}`,
        `To: <${requestUri}>`,
        `Call-ID: ${input.identity.callId}`,
        'CSeq: 1 OPTIONS',
        `Contact: <sip:sipflow-probe@${local}${input.transport === 'udp' ? '' : `;transport=${input.transport}`}>`,
        'Accept: application/sdp',
        `User-Agent: ${input.userAgent}`,
        'Content-Length: 0',
    ];
    return `${lines.join('\r\n')}\r\n\r\n`;
}
