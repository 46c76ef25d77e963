/**
 * A tiny scripted node:http server on loopback for the few transport behaviours the sandbox does not
 * offer (an HTTP-date `Retry-After`, redirects, absolute paging links to another host, a server that
 * echoes credentials back in its error text). Every test that starts one closes it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
    readonly method: string;
    /** Path and query. */
    readonly url: string;
    readonly headers: IncomingHttpHeaders;
    readonly body: string;
    /** performance.now() when the request arrived. */
    readonly at: number;
}

export interface ScriptedReply {
    readonly status: number;
    readonly headers?: Readonly<Record<string, string>>;
    /** Sent as is; objects are JSON-encoded. */
    readonly body?: string | object;
}

/** Decides the reply to the n-th request (0-based). */
export type Script = (request: SeenRequest, index: number) => ScriptedReply;

export interface FaultServer {
    /** `http://127.0.0.1:PORT` */
    readonly url: string;
    readonly requests: SeenRequest[];
    close(): Promise<void>;
}

export async function startFaultServer(script: Script): Promise<FaultServer> {
    const requests: SeenRequest[] = [];
    const server: Server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const seen: SeenRequest = {
                method: req.method ?? 'GET',
                url: req.url ?? '/',
                headers: req.headers,
                body: Buffer.concat(chunks).toString('utf8'),
                at: performance.now(),
            };
            requests.push(seen);
            let reply: ScriptedReply;
            try {
                reply = script(seen, requests.length - 1);
            } catch (error) {
                reply = { status: 500, body: { message: `script error: ${String(error)}` } };
            }
            const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
            res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...(reply.headers ?? {}) });
            res.end(body);
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    let closing: Promise<void> | undefined;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
            (closing ??= new Promise<void>(resolve => {
                server.close(() => resolve());
                server.closeAllConnections();
            })),
    };
}
