/**
 * SIP OPTIONS reachability probes over UDP, TCP and TLS: one request per target, the first final response
 * that matches it (top Via branch and Call-ID), its status, Server/User-Agent and the round-trip time.
 * Any final response proves a SIP server answers there (403/404/405 to an unknown caller are normal);
 * a silence, a refusal or a TLS failure is a failure.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket as TcpSocket } from 'node:net';
import { rootCertificates, connect as tlsConnect } from 'node:tls';
import {
    buildOptionsRequest,
    headerParameter,
    headerValue,
    headerValues,
    MAX_MESSAGE_BYTES,
    newRequestIdentity,
    parseSipMessage,
    probeRequestUri,
    SipStreamFramer,
    type RequestIdentity,
    type SipMessage,
    type SipTransport,
} from './message.js';

export interface ProbeTarget {
    /** What the target is, for people (`Synthflow eu`, or the URI as given). */
    readonly label: string;
    readonly host: string;
    readonly port: number;
    readonly transport: SipTransport;
    readonly user?: string;
}

export interface ProbeResult {
    readonly label: string;
    /** The Request-URI sent. */
    readonly uri: string;
    readonly host: string;
    readonly port: number;
    readonly transport: SipTransport;
    /** Where the request actually went (after DNS or an override), when it got that far. */
    readonly address?: string;
    readonly ok: boolean;
    readonly statusCode?: number;
    readonly reasonPhrase?: string;
    /** `SIP/2.0 200 OK` */
    readonly statusLine?: string;
    /** The response's Server header, else its User-Agent. */
    readonly server?: string;
    /** From sending the request to the matching final response. */
    readonly rttMs?: number;
    /** Why it failed, one line. */
    readonly error?: string;
}

export interface ProbeOptions {
    readonly timeoutMs: number;
    /** `sipflow/VERSION` */
    readonly userAgent: string;
    /** Where to really connect for a host and port (tests, debugging); undefined = DNS as usual. */
    readonly overrideAddress?: (host: string, port: number) => { host: string; port: number } | undefined;
    /** PEM certificates trusted for TLS besides Node's bundled roots (and NODE_EXTRA_CA_CERTS). */
    readonly trustedCertificates?: readonly string[];
}

/** RFC 3261 §17.1.2.2: a non-INVITE request over UDP is resent after T1, doubling up to T2. */
const T1_MS = 500;
const T2_MS = 4000;

/** Probes every target at once; results in target order. */
export async function probeTargets(targets: readonly ProbeTarget[], options: ProbeOptions): Promise<ProbeResult[]> {
    return Promise.all(targets.map(target => probeTarget(target, options)));
}

export async function probeTarget(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
    const uri = probeRequestUri(target.host, target.port, target.transport, target.user);
    const base = { label: target.label, uri, host: target.host, port: target.port, transport: target.transport };
    const attempt = new ProbeAttempt(target, options);
    try {
        const outcome = await attempt.run();
        return { ...base, ...outcome };
    } finally {
        attempt.close();
    }
}

type Outcome = Omit<ProbeResult, 'label' | 'uri' | 'host' | 'port' | 'transport'>;

/** One probe: resolve, connect, send (resend over UDP), wait for the matching final response or the deadline. */
class ProbeAttempt {
    private readonly identity: RequestIdentity = newRequestIdentity();
    private readonly timers: NodeJS.Timeout[] = [];
    private udp?: UdpSocket;
    private stream?: TcpSocket;
    private address?: string;
    private sentAt?: number;
    private provisional?: string;
    /** Set by close(): a start still resolving the host must not open a socket after the deadline. */
    private closed = false;
    private settle!: (outcome: Outcome) => void;

    constructor(
        private readonly target: ProbeTarget,
        private readonly options: ProbeOptions,
    ) {}

    run(): Promise<Outcome> {
        return new Promise<Outcome>(resolve => {
            let settled = false;
            this.settle = outcome => {
                if (settled) return;
                settled = true;
                resolve(this.address === undefined || outcome.address !== undefined ? outcome : { address: this.address, ...outcome });
            };
            this.timers.push(setTimeout(() => this.fail(this.silenceMessage()), this.options.timeoutMs));
            this.start().catch((error: unknown) => this.fail(describeNetworkError(error, this.target)));
        });
    }

    close(): void {
        this.closed = true;
        for (const timer of this.timers) clearTimeout(timer);
        try {
            this.udp?.close();
        } catch {
            // Already closed by a failed bind or connect.
        }
        this.stream?.destroy();
    }

    private fail(error: string): void {
        this.settle({ ok: false, error });
    }

    private silenceMessage(): string {
        const seconds = `${Number((this.options.timeoutMs / 1000).toFixed(3))} s`;
        if (this.sentAt === undefined) return `no connection within ${seconds}`;
        return this.provisional === undefined ? `no response within ${seconds}` : `only a provisional response (${this.provisional}) within ${seconds}`;
    }

    private async start(): Promise<void> {
        const override = this.options.overrideAddress?.(this.target.host, this.target.port);
        const port = override?.port ?? this.target.port;
        const host = override?.host ?? this.target.host;
        const address = isIP(host) ? host : (await lookup(host)).address;
        if (this.closed) return;
        this.address = `${address}:${port}`;
        if (this.target.transport === 'udp') await this.startUdp(address, port);
        else await this.startStream(address, port);
    }

    private async startUdp(address: string, port: number): Promise<void> {
        const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
        this.udp = socket;
        // A connected socket only hears its peer (other senders are dropped by the kernel) and learns of an
        // ICMP port-unreachable as ECONNREFUSED, so a closed port fails at once rather than at the deadline.
        socket.on('error', error => this.fail(describeNetworkError(error, this.target)));
        socket.on('message', datagram => this.receive(datagram));
        await new Promise<void>((resolve, reject) => {
            socket.once('error', reject);
            socket.connect(port, address, () => {
                socket.off('error', reject);
                resolve();
            });
        });
        if (this.closed) return;
        const local = socket.address();
        const request = Buffer.from(this.request(local.address, local.port));
        const send = () => socket.send(request, error => error && this.fail(describeNetworkError(error, this.target)));
        this.sentAt = performance.now();
        send();
        let delay = T1_MS;
        let elapsed = 0;
        while (elapsed + delay < this.options.timeoutMs) {
            elapsed += delay;
            this.timers.push(setTimeout(send, elapsed));
            delay = Math.min(delay * 2, T2_MS);
        }
    }

    private async startStream(address: string, port: number): Promise<void> {
        const servername = isIP(this.target.host) ? undefined : this.target.host;
        const socket: TcpSocket =
            this.target.transport === 'tls'
                ? tlsConnect({
                      host: address,
                      port,
                      ...(servername ? { servername } : {}),
                      ...(this.options.trustedCertificates ? { ca: [...rootCertificates, ...this.options.trustedCertificates] } : {}),
                  })
                : netConnect({ host: address, port });
        this.stream = socket;
        socket.on('error', error => this.fail(describeNetworkError(error, this.target)));
        socket.on('close', () => this.fail(this.sentAt === undefined ? 'connection closed before the request was sent' : 'connection closed without a response'));
        await new Promise<void>(resolve => socket.once(this.target.transport === 'tls' ? 'secureConnect' : 'connect', () => resolve()));
        const framer = new SipStreamFramer();
        socket.on('data', (chunk: Buffer) => {
            let messages: Buffer[];
            try {
                messages = framer.push(chunk);
            } catch (error) {
                this.fail(`unreadable response: ${error instanceof Error ? error.message : String(error)}`);
                return;
            }
            for (const message of messages) this.receive(message);
        });
        this.sentAt = performance.now();
        socket.write(this.request(socket.localAddress ?? '0.0.0.0', socket.localPort ?? 0));
    }

    private request(localAddress: string, localPort: number): string {
        return buildOptionsRequest({
            host: this.target.host,
            port: this.target.port,
            ...(this.target.user !== undefined ? { user: this.target.user } : {}),
            transport: this.target.transport,
            localAddress,
            localPort,
            identity: this.identity,
            userAgent: this.options.userAgent,
        });
    }

    /** Handles one received message; anything that is not our response is ignored. */
    private receive(bytes: Buffer): void {
        if (this.sentAt === undefined || bytes.length > MAX_MESSAGE_BYTES) return;
        const message = parseSipMessage(bytes.toString('utf8'));
        if (message === undefined || message.kind !== 'response' || !this.matches(message)) return;
        const statusCode = message.statusCode ?? 0;
        const statusLine = `SIP/2.0 ${statusCode}${message.reasonPhrase ? ` ${message.reasonPhrase}` : ''}`;
        if (statusCode < 200) {
            this.provisional = statusLine;
            return;
        }
        const rttMs = Math.round((performance.now() - this.sentAt) * 100) / 100;
        const server = headerValue(message, 'server') ?? headerValue(message, 'user-agent');
        this.settle({
            ok: true,
            statusCode,
            reasonPhrase: message.reasonPhrase ?? '',
            statusLine,
            ...(server !== undefined ? { server } : {}),
            rttMs,
        });
    }

    private matches(message: SipMessage): boolean {
        const topVia = headerValues(message, 'via')[0];
        return topVia !== undefined && headerParameter(topVia, 'branch') === this.identity.branch && headerValue(message, 'call-id') === this.identity.callId;
    }
}

/** One line for a network failure, naming the cause a person can act on. */
export function describeNetworkError(error: unknown, target: Pick<ProbeTarget, 'host' | 'transport'>): string {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    switch (code) {
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `cannot resolve ${target.host} (${code})`;
        case 'ECONNREFUSED':
            return target.transport === 'udp' ? 'port unreachable (ICMP): nothing listens there' : 'connection refused';
        case 'ECONNRESET':
            return 'connection reset by the peer';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `no route to the host (${code})`;
        default:
            break;
    }
    if (target.transport === 'tls' && typeof code === 'string' && /CERT|SELF_SIGNED|ERR_TLS|ALTNAME|SSL/.test(code)) {
        return `TLS handshake failed: ${message.split('\n')[0]}`;
    }
    return message.split('\n')[0];
}

/** `sip:[user@]host[:port]` or `sips:` (TLS), as given on the command line. */
export interface ParsedSipTarget {
    readonly host: string;
    /** As written; undefined when the URI names none (see defaultSipPort). */
    readonly port?: number;
    readonly user?: string;
    /** `sips:` or `;transport=` in the URI, if any. */
    readonly transport?: SipTransport;
}

/** Parses a probe target URI; throws with a one-line reason when it is not one. */
export function parseSipTarget(text: string): ParsedSipTarget {
    const match = /^(sips?):(?:([^@\s;]+)@)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?((?:;[^;\s]+)*)$/.exec(text.trim());
    if (!match) throw new Error(`${text}: not a SIP URI; write sip:HOST[:PORT] (e.g. sip:sip.eu.synthflow.ai:32681)`);
    const [, scheme, user, rawHost, rawPort, parameters] = match;
    const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
    if (rawHost.startsWith('[') ? isIP(host) !== 6 : !isHostName(host)) throw new Error(`${text}: ${host} is not a valid host`);
    const transportParameter = headerParameter(parameters ?? '', 'transport')?.toLowerCase();
    if (transportParameter !== undefined && !['udp', 'tcp', 'tls'].includes(transportParameter)) {
        throw new Error(`${text}: transport=${transportParameter} is not supported (udp, tcp or tls)`);
    }
    const transport = scheme === 'sips' ? 'tls' : (transportParameter as SipTransport | undefined);
    if (scheme === 'sips' && transportParameter !== undefined && transportParameter !== 'tls') {
        throw new Error(`${text}: a sips: URI is TLS only`);
    }
    const port = rawPort === undefined ? undefined : Number(rawPort);
    if (port !== undefined && (port < 1 || port > 65_535)) throw new Error(`${text}: port ${rawPort} is out of range (1–65535)`);
    return { host, ...(port !== undefined ? { port } : {}), ...(user !== undefined ? { user } : {}), ...(transport !== undefined ? { transport } : {}) };
}

/** RFC 3261 §19.1.2: 5060 for UDP and TCP, 5061 for TLS. */
export function defaultSipPort(transport: SipTransport): number {
    return transport === 'tls' ? 5061 : 5060;
}

function isHostName(host: string): boolean {
    if (isIP(host) === 4) return true;
    return host.length <= 253 && host.split('.').every(label => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

/**
 * The test/debug hook `SIPFLOW_PROBE_HOSTS=host[:port]=address[:port],…`: sends the probe for a host (on
 * any port, or only on the given one) to another address. The entry with a port wins.
 */
export function parseHostOverrides(text: string | undefined): (host: string, port: number) => { host: string; port: number } | undefined {
    const entries = new Map<string, { host: string; port?: number }>();
    for (const entry of (text ?? '')
        .split(',')
        .map(part => part.trim())
        .filter(part => part !== '')) {
        const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?=([A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(entry);
        if (!match) throw new Error(`SIPFLOW_PROBE_HOSTS: "${entry}" is not host[:port]=address[:port]`);
        const [, fromHost, fromPort, toHost, toPort] = match;
        const key = fromPort === undefined ? fromHost.toLowerCase() : `${fromHost.toLowerCase()}:${fromPort}`;
        entries.set(key, { host: toHost.replace(/^\[(.*)\]$/, '$1'), ...(toPort !== undefined ? { port: Number(toPort) } : {}) });
    }
    return (host, port) => {
        const found = entries.get(`${host.toLowerCase()}:${port}`) ?? entries.get(host.toLowerCase());
        return found === undefined ? undefined : { host: found.host, port: found.port ?? port };
    };
}
