// A SIP responder on loopback for the probe tests: UDP and TCP on one port number, TLS on another when
// given a certificate. It records every request it receives as raw text and answers OPTIONS the way the
// test asks: plainly, in compact form with a folded header, after stray datagrams, after 100 Trying, in
// chunks, or not at all. It reads requests with its own few regexes, not with src/sip, so that a
// wrong parser cannot agree with itself.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';

export type ResponderBehaviour = 'answer' | 'compact-folded' | 'stray-first' | 'provisional-first' | 'chunked-with-body' | 'silent';

export interface ResponderOptions {
    readonly behaviour?: ResponderBehaviour;
    readonly status?: string;
    readonly server?: string;
    /** Use User-Agent instead of Server. */
    readonly userAgentOnly?: boolean;
    readonly tls?: { readonly key: string; readonly cert: string };
}

export interface ReceivedRequest {
    readonly transport: 'udp' | 'tcp' | 'tls';
    readonly raw: string;
}

export interface SipResponder {
    /** UDP and TCP. */
    readonly port: number;
    readonly tlsPort?: number;
    readonly received: ReceivedRequest[];
    close(): Promise<void>;
}

/** The request's header lines by lower-case name, as written (no unfolding: the probe writes none). */
function rawHeaders(raw: string): Map<string, string[]> {
    const headers = new Map<string, string[]>();
    for (const line of raw.split('\r\n').slice(1)) {
        const match = /^([^:]+):\s*(.*)$/.exec(line);
        if (!match) continue;
        const name = match[1].toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), match[2]]);
    }
    return headers;
}

function responseTo(raw: string, options: ResponderOptions, status: string, overrides: { branch?: string } = {}, body = ''): string {
    const headers = rawHeaders(raw);
    let via = headers.get('via')?.[0] ?? '';
    if (overrides.branch !== undefined) via = via.replace(/branch=[^;]+/, `branch=${overrides.branch}`);
    // RFC 3261 §18.2.1: the server adds received (and rport's value) to the top Via.
    via = via.replace(/;rport(?=;|$)/, ';rport=5060;received=127.0.0.1');
    const compact = options.behaviour === 'compact-folded';
    const server = options.server ?? 'TestResponder/1.0';
    const lines = [
        `SIP/2.0 ${status}`,
        `${compact ? 'v' : 'Via'}: ${via}`,
        `${compact ? 'f' : 'From'}: ${headers.get('from')?.[0] ?? ''}`,
        `${compact ? 't' : 'To'}: ${headers.get('to')?.[0] ?? ''};tag=responder1`,
        `${compact ? 'i' : 'Call-ID'}: ${headers.get('call-id')?.[0] ?? ''}`,
        `CSeq: ${headers.get('cseq')?.[0] ?? ''}`,
        // A folded header line (RFC 3261 §7.3.1): the value continues on the next line after whitespace.
        compact ? `Server: ${server.split(' ')[0]}\r\n   ${server.split(' ').slice(1).join(' ')}`.trimEnd() : `${options.userAgentOnly ? 'User-Agent' : 'Server'}: ${server}`,
        'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE',
        `${compact ? 'l' : 'Content-Length'}: ${Buffer.byteLength(body)}`,
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** What to send back for one request, in order (each item one datagram or one write). */
function repliesFor(raw: string, options: ResponderOptions, stream: boolean): string[] {
    const status = options.status ?? '200 OK';
    switch (options.behaviour ?? 'answer') {
        case 'silent':
            return [];
        case 'stray-first':
            // Garbage, then a response to someone else's request (other branch), then ours.
            return [...(stream ? [] : ['hello, not SIP at all']), responseTo(raw, options, '486 Busy Here', { branch: 'z9hG4bKsomeoneelse' }), responseTo(raw, options, status)];
        case 'provisional-first':
            return [responseTo(raw, options, '100 Trying'), responseTo(raw, options, status)];
        case 'chunked-with-body': {
            const whole = responseTo(raw, options, status, {}, 'v=0\r\n');
            // Split inside the headers and inside the body: the probe must frame by Content-Length.
            return [whole.slice(0, 40), whole.slice(40, whole.length - 2), whole.slice(whole.length - 2)];
        }
        default:
            return [responseTo(raw, options, status)];
    }
}

function serveStream(socket: Socket, transport: 'tcp' | 'tls', options: ResponderOptions, received: ReceivedRequest[]): void {
    let buffer = '';
    socket.on('error', () => undefined);
    socket.on('data', chunk => {
        buffer += chunk.toString('utf8');
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const raw = buffer.slice(0, end + 4);
        buffer = buffer.slice(end + 4);
        received.push({ transport, raw });
        const replies = repliesFor(raw, options, true);
        // Separate writes a little apart, so that they arrive as separate chunks.
        replies.forEach((reply, index) => setTimeout(() => socket.write(reply), index * 15));
    });
}

export async function startSipResponder(options: ResponderOptions = {}): Promise<SipResponder> {
    const received: ReceivedRequest[] = [];
    const sockets = new Set<Socket>();
    // TCP on an ephemeral port, then UDP on the same number (retried if someone holds that UDP port).
    let tcp: TcpServer | undefined;
    let udp: UdpSocket | undefined;
    for (let attempt = 0; attempt < 10 && udp === undefined; attempt++) {
        const server = createTcpServer(socket => {
            sockets.add(socket);
            serveStream(socket, 'tcp', options, received);
        });
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        const port = (server.address() as { port: number }).port;
        const socket = createSocket('udp4');
        const bound = await new Promise<boolean>(resolve => {
            socket.once('error', () => resolve(false));
            socket.bind(port, '127.0.0.1', () => resolve(true));
        });
        if (bound) {
            tcp = server;
            udp = socket;
        } else {
            socket.close();
            await new Promise(resolve => server.close(resolve));
        }
    }
    if (tcp === undefined || udp === undefined) throw new Error('could not bind UDP and TCP on one port');
    const udpSocket = udp;
    udpSocket.on('message', (datagram, peer) => {
        const raw = datagram.toString('utf8');
        received.push({ transport: 'udp', raw });
        for (const reply of repliesFor(raw, options, false)) udpSocket.send(reply, peer.port, peer.address);
    });
    let tls: TlsServer | undefined;
    if (options.tls) {
        tls = createTlsServer({ key: options.tls.key, cert: options.tls.cert }, socket => {
            sockets.add(socket);
            serveStream(socket, 'tls', options, received);
        });
        tls.on('tlsClientError', () => undefined);
        const tlsServer = tls;
        await new Promise<void>(resolve => tlsServer.listen(0, '127.0.0.1', resolve));
    }
    const port = (tcp.address() as { port: number }).port;
    const tlsPort = tls === undefined ? undefined : (tls.address() as { port: number }).port;
    const tcpServer = tcp;
    return {
        port,
        ...(tlsPort !== undefined ? { tlsPort } : {}),
        received,
        async close() {
            for (const socket of sockets) socket.destroy();
            udpSocket.close();
            await new Promise(resolve => tcpServer.close(resolve));
            if (tls) await new Promise(resolve => tls.close(resolve));
        },
    };
}

/** A UDP port that is bound and never answers: the probe must give up at its deadline. */
export async function startSilentUdpPort(): Promise<{ port: number; datagrams: number; close(): void }> {
    const socket = createSocket('udp4');
    await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
    const state = { port: socket.address().port, datagrams: 0, close: () => socket.close() };
    socket.on('message', () => state.datagrams++);
    return state;
}

/** A TCP port number nothing listens on (bound for a moment to learn a free one, then closed). */
export async function closedTcpPort(): Promise<number> {
    const server = createTcpServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise(resolve => server.close(resolve));
    return port;
}
