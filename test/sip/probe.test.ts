// The probe against SIP responders this test starts on loopback: UDP, TCP and TLS (a self-signed
// certificate generated here), a silent UDP port and a closed TCP port. No other network.
import { createSocket } from 'node:dgram';
import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeTarget, type ProbeOptions, type ProbeTarget } from '../../src/sip/probe.js';
import { closedTcpPort, startSilentUdpPort, startSipResponder, type ReceivedRequest, type ResponderOptions, type SipResponder } from '../support/sip-responder.js';

const OPTIONS: ProbeOptions = { timeoutMs: 2000, userAgent: 'sipflow/test' };

function target(port: number, transport: ProbeTarget['transport'], host = '127.0.0.1'): ProbeTarget {
    return { label: 'test', host, port, transport };
}

async function withResponder<T>(options: ResponderOptions, run: (responder: SipResponder) => Promise<T>): Promise<T> {
    const responder = await startSipResponder(options);
    try {
        return await run(responder);
    } finally {
        await responder.close();
    }
}

/** Checks the request as received on the wire, header by header, with no help from src/sip. */
function expectWellFormedOptions(request: ReceivedRequest, requestUri: string, via: 'UDP' | 'TCP' | 'TLS'): void {
    const { raw } = request;
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
    // Every line ends in CRLF: no bare LF or CR anywhere.
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const [requestLine, ...headerLines] = raw.slice(0, -4).split('\r\n');
    expect(requestLine).toBe(`OPTIONS ${requestUri} SIP/2.0`);
    const header = (name: string) => headerLines.filter(line => line.toLowerCase().startsWith(`${name.toLowerCase()}:`)).map(line => line.slice(name.length + 1).trim());
    expect(header('Via')).toHaveLength(1);
    expect(header('Via')[0]).toMatch(new RegExp(`^SIP/2\\.0/${via} 127\\.0\\.0\\.1:\\d+;branch=z9hG4bK[0-9a-zA-Z]+;rport$`));
    expect(header('Max-Forwards')).toEqual(['70']);
    expect(header('From')[0]).toMatch(/^<sip:[^>]+>;tag=[0-9a-f]+$/);
    expect(header('To')).toEqual([`<${requestUri}>`]);
    expect(header('Call-ID')[0]).toMatch(/^\S+$/);
    expect(header('CSeq')).toEqual(['1 OPTIONS']);
    expect(header('Contact')[0]).toMatch(/^<sip:[^>]+@127\.0\.0\.1:\d+(;transport=(tcp|tls))?>$/);
    expect(header('Accept')).toEqual(['application/sdp']);
    expect(header('User-Agent')).toEqual(['sipflow/test']);
    expect(header('Content-Length')).toEqual(['0']);
}

describe('probe over UDP', () => {
    it('sends a well-formed OPTIONS and reports the status line, Server and round-trip time', async () => {
        await withResponder({ server: 'Kamailio (5.8.1)' }, async responder => {
            const started = performance.now();
            const result = await probeTarget(target(responder.port, 'udp'), OPTIONS);
            const elapsed = performance.now() - started;
            expect(result).toMatchObject({
                ok: true,
                statusCode: 200,
                reasonPhrase: 'OK',
                statusLine: 'SIP/2.0 200 OK',
                server: 'Kamailio (5.8.1)',
                address: `127.0.0.1:${responder.port}`,
            });
            expect(result.rttMs).toBeGreaterThan(0);
            expect(result.rttMs).toBeLessThanOrEqual(elapsed);
            expect(responder.received).toHaveLength(1);
            expectWellFormedOptions(responder.received[0], `sip:127.0.0.1:${responder.port}`, 'UDP');
        });
    });

    it('each probe has its own branch and Call-ID', async () => {
        await withResponder({}, async responder => {
            await probeTarget(target(responder.port, 'udp'), OPTIONS);
            await probeTarget(target(responder.port, 'udp'), OPTIONS);
            const [first, second] = responder.received.map(request => ({
                branch: /branch=([^;\r\n]+)/.exec(request.raw)?.[1],
                callId: /\r\nCall-ID: ([^\r\n]+)/.exec(request.raw)?.[1],
            }));
            expect(first.branch).not.toBe(second.branch);
            expect(first.callId).not.toBe(second.callId);
        });
    });

    it('ignores garbage and responses to other requests, and reports a non-2xx final response as answered', async () => {
        await withResponder({ behaviour: 'stray-first', status: '403 Forbidden' }, async responder => {
            const result = await probeTarget(target(responder.port, 'udp'), OPTIONS);
            // The stray 486 carries another branch; only the 403 matches ours.
            expect(result).toMatchObject({ ok: true, statusCode: 403, statusLine: 'SIP/2.0 403 Forbidden' });
        });
    });

    it('reads compact header names and a folded Server line', async () => {
        await withResponder({ behaviour: 'compact-folded', server: 'Acme SBC 2.1' }, async responder => {
            const result = await probeTarget(target(responder.port, 'udp'), OPTIONS);
            expect(result).toMatchObject({ ok: true, statusCode: 200, server: 'Acme SBC 2.1' });
        });
    });

    it('waits past a 100 Trying for the final response; falls back to User-Agent when there is no Server', async () => {
        await withResponder({ behaviour: 'provisional-first', userAgentOnly: true, server: 'FreeSWITCH' }, async responder => {
            const result = await probeTarget(target(responder.port, 'udp'), OPTIONS);
            expect(result).toMatchObject({ ok: true, statusCode: 200, server: 'FreeSWITCH' });
        });
    });

    it('a silent port fails at the deadline, after resending on the RFC 3261 schedule', async () => {
        const silent = await startSilentUdpPort();
        try {
            const started = performance.now();
            const result = await probeTarget(target(silent.port, 'udp'), { ...OPTIONS, timeoutMs: 1600 });
            const elapsed = performance.now() - started;
            expect(result).toMatchObject({ ok: false, error: 'no response within 1.6 s' });
            expect(elapsed).toBeGreaterThanOrEqual(1550);
            expect(elapsed).toBeLessThan(2500);
            // Sent at 0, then resent at 500 ms and 1500 ms (T1, doubling).
            expect(silent.datagrams).toBe(3);
        } finally {
            silent.close();
        }
    });

    it('a responder that never sends a final response fails at the deadline, naming the provisional one', async () => {
        // A responder that only ever says 100 Trying.
        const socket = createSocket('udp4');
        await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
        socket.on('message', (datagram, peer) => {
            const raw = datagram.toString();
            const via = /\r\nVia: ([^\r\n]+)/.exec(raw)?.[1];
            const callId = /\r\nCall-ID: ([^\r\n]+)/.exec(raw)?.[1];
            socket.send(`SIP/2.0 100 Trying\r\nVia: ${via}\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`, peer.port, peer.address);
        });
        try {
            const result = await probeTarget(target(socket.address().port, 'udp'), { ...OPTIONS, timeoutMs: 700 });
            expect(result).toMatchObject({ ok: false, error: 'only a provisional response (SIP/2.0 100 Trying) within 0.7 s' });
        } finally {
            socket.close();
        }
    });

    it('an unresolvable host fails with one line', async () => {
        // .invalid never resolves (RFC 6761); the resolver may answer at once or only at the deadline.
        const result = await probeTarget(target(5060, 'udp', 'nothing-here.invalid'), { ...OPTIONS, timeoutMs: 1500 });
        expect(result.ok).toBe(false);
        expect(result.error).toMatch(/^(cannot resolve nothing-here\.invalid|no connection within 1\.5 s)/);
    });
});

describe('probe over TCP', () => {
    it('sends a well-formed OPTIONS and frames a chunked response with a body by Content-Length', async () => {
        await withResponder({ behaviour: 'chunked-with-body', server: 'OpenSIPS (3.4)' }, async responder => {
            const result = await probeTarget(target(responder.port, 'tcp'), OPTIONS);
            expect(result).toMatchObject({ ok: true, statusCode: 200, server: 'OpenSIPS (3.4)' });
            expect(responder.received).toHaveLength(1);
            expectWellFormedOptions(responder.received[0], `sip:127.0.0.1:${responder.port};transport=tcp`, 'TCP');
        });
    });

    it('skips a response to another request on the same connection', async () => {
        await withResponder({ behaviour: 'stray-first' }, async responder => {
            expect(await probeTarget(target(responder.port, 'tcp'), OPTIONS)).toMatchObject({ ok: true, statusCode: 200 });
        });
    });

    it('a closed port fails fast with "connection refused"', async () => {
        const port = await closedTcpPort();
        const started = performance.now();
        const result = await probeTarget(target(port, 'tcp'), OPTIONS);
        expect(result).toMatchObject({ ok: false, error: 'connection refused' });
        expect(performance.now() - started).toBeLessThan(1000);
    });

    it('a responder that accepts but never answers fails at the deadline', async () => {
        await withResponder({ behaviour: 'silent' }, async responder => {
            const result = await probeTarget(target(responder.port, 'tcp'), { ...OPTIONS, timeoutMs: 500 });
            expect(result).toMatchObject({ ok: false, error: 'no response within 0.5 s' });
            expect(responder.received).toHaveLength(1);
        });
    });
});

describe('probe over TLS', () => {
    let certificate: { key: string; cert: string };

    beforeAll(async () => {
        const pems = await generate([{ name: 'commonName', value: 'sip.test.example' }], {
            keyType: 'ec',
            algorithm: 'sha256',
            extensions: [
                {
                    name: 'subjectAltName',
                    altNames: [
                        { type: 2, value: 'sip.test.example' },
                        { type: 7, ip: '127.0.0.1' },
                    ],
                },
            ],
        });
        certificate = { key: pems.private, cert: pems.cert };
    });

    it('refuses a certificate it cannot verify (a self-signed one), with one line', async () => {
        await withResponder({ tls: certificate }, async responder => {
            const result = await probeTarget(target(responder.tlsPort!, 'tls'), OPTIONS);
            expect(result.ok).toBe(false);
            expect(result.error).toMatch(/^TLS handshake failed: .*self[- ]signed/i);
            expect(responder.received).toHaveLength(0);
        });
    });

    it('with the certificate trusted, sends a well-formed OPTIONS over TLS, using the host name for SNI and verification', async () => {
        await withResponder({ tls: certificate, server: 'Synthflow-SBC' }, async responder => {
            const result = await probeTarget(target(5061, 'tls', 'sip.test.example'), {
                ...OPTIONS,
                trustedCertificates: [certificate.cert],
                overrideAddress: host => (host === 'sip.test.example' ? { host: '127.0.0.1', port: responder.tlsPort! } : undefined),
            });
            expect(result).toMatchObject({ ok: true, statusCode: 200, server: 'Synthflow-SBC', address: `127.0.0.1:${responder.tlsPort}` });
            expect(responder.received).toHaveLength(1);
            expectWellFormedOptions(responder.received[0], 'sip:sip.test.example:5061;transport=tls', 'TLS');
        });
    });

    it('refuses a trusted certificate issued for another name', async () => {
        await withResponder({ tls: certificate }, async responder => {
            const result = await probeTarget(target(5061, 'tls', 'other.test.example'), {
                ...OPTIONS,
                trustedCertificates: [certificate.cert],
                overrideAddress: () => ({ host: '127.0.0.1', port: responder.tlsPort! }),
            });
            expect(result.ok).toBe(false);
            expect(result.error).toMatch(/^TLS handshake failed: .*other\.test\.example/);
        });
    });
});
