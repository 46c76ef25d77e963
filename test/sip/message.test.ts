import { describe, expect, it } from 'vitest';
import { buildOptionsRequest, headerParameter, headerValue, headerValues, newRequestIdentity, parseSipMessage, SipStreamFramer } from '../../src/sip/message.js';
import { parseHostOverrides, parseSipTarget } from '../../src/sip/probe.js';

describe('parseSipMessage', () => {
    it('reads a status line, compact header names, folded lines and the body', () => {
        const text = [
            'SIP/2.0 200 OK',
            'v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKabc;rport=5060, SIP/2.0/UDP proxy:5060;branch=z9hG4bKdef',
            'i: call-1@host',
            'SERVER: Acme',
            '  SBC 2.1',
            'l : 5',
            '',
            'hello',
        ].join('\r\n');
        const message = parseSipMessage(text);
        expect(message).toMatchObject({ kind: 'response', statusCode: 200, reasonPhrase: 'OK', body: 'hello' });
        expect(headerValue(message!, 'Call-ID')).toBe('call-1@host');
        expect(headerValue(message!, 'server')).toBe('Acme SBC 2.1');
        expect(headerValue(message!, 'Content-Length')).toBe('5');
        expect(headerValues(message!, 'via')).toHaveLength(2);
        expect(headerParameter(headerValues(message!, 'via')[0], 'branch')).toBe('z9hG4bKabc');
    });

    it('accepts LF-only line ends and leading keep-alive CRLFs; reason phrases with spaces', () => {
        const message = parseSipMessage('\r\n\r\nSIP/2.0 404 Not Found Here\nCall-ID: x\n\n');
        expect(message).toMatchObject({ kind: 'response', statusCode: 404, reasonPhrase: 'Not Found Here' });
        expect(headerValue(message!, 'i')).toBe('x');
    });

    it('reads requests, and refuses what is not SIP', () => {
        expect(parseSipMessage('OPTIONS sip:a.example SIP/2.0\r\nCall-ID: y\r\n\r\n')).toMatchObject({ kind: 'request', method: 'OPTIONS', requestUri: 'sip:a.example' });
        expect(parseSipMessage('hello, not SIP at all')).toBeUndefined();
        expect(parseSipMessage('HTTP/1.1 200 OK\r\n\r\n')).toBeUndefined();
        expect(parseSipMessage('SIP/2.0 200 OK\r\nno colon here\r\n\r\n')).toBeUndefined();
        expect(parseSipMessage('SIP/2.0 200 OK\r\n folded-without-header\r\n\r\n')).toBeUndefined();
    });

    it('keeps commas inside quotes and angle brackets within one header value', () => {
        const message = parseSipMessage('SIP/2.0 200 OK\r\nContact: "Doe, John" <sip:a@b;x=1,2>, <sip:c@d>\r\n\r\n')!;
        expect(headerValues(message, 'm')).toEqual(['"Doe, John" <sip:a@b;x=1,2>', '<sip:c@d>']);
    });
});

describe('SipStreamFramer', () => {
    const response = (body: string, lengthHeader = 'Content-Length') => `SIP/2.0 200 OK\r\nCall-ID: a\r\n${lengthHeader}: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

    it('frames by Content-Length across chunks, several messages per chunk, and keep-alives between', () => {
        const framer = new SipStreamFramer();
        const first = response('v=0\r\nø');
        const second = response('', 'l');
        const stream = Buffer.from(`\r\n\r\n${first}\r\n${second}`);
        const messages: Buffer[] = [];
        for (let offset = 0; offset < stream.length; offset += 7) messages.push(...framer.push(stream.subarray(offset, offset + 7)));
        expect(messages.map(message => message.toString('utf8'))).toEqual([first, second]);
    });

    it('waits for the whole body', () => {
        const framer = new SipStreamFramer();
        const whole = Buffer.from(response('abcdef'));
        expect(framer.push(whole.subarray(0, whole.length - 1))).toEqual([]);
        expect(framer.push(whole.subarray(whole.length - 1)).map(message => message.toString())).toEqual([whole.toString()]);
    });

    it('refuses an invalid Content-Length and oversized messages', () => {
        expect(() => new SipStreamFramer().push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n'))).toThrow(/Content-Length/);
        expect(() => new SipStreamFramer().push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 999999\r\n\r\n'))).toThrow(/exceeds/);
        expect(() => new SipStreamFramer().push(Buffer.alloc(70_000, 'a'))).toThrow(/exceed/);
    });
});

describe('buildOptionsRequest', () => {
    it('writes every RFC 3261 header an OPTIONS needs, CRLF-terminated, with a fresh identity each time', () => {
        const identity = newRequestIdentity();
        const text = buildOptionsRequest({
            host: 'sip.eu.synthflow.ai',
            port: 32681,
            transport: 'tcp',
            localAddress: '10.1.2.3',
            localPort: 40000,
            identity,
            userAgent: 'sipflow/9.9.9',
        });
        expect(text.endsWith('\r\n\r\n')).toBe(true);
        expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        const lines = text.split('\r\n');
        expect(lines[0]).toBe('OPTIONS sip:sip.eu.synthflow.ai:32681;transport=tcp SIP/2.0');
        expect(lines).toContain(`Via: SIP/2.0/TCP 10.1.2.3:40000;branch=${identity.branch};rport`);
        expect(identity.branch).toMatch(/^z9hG4bK[0-9a-f]{20}$/);
        expect(lines).toContain(`From: <sip:sipflow-probe@10.1.2.3:40000>;tag=${identity.fromTag}`);
        expect(lines).toContain('To: <sip:sip.eu.synthflow.ai:32681;transport=tcp>');
        expect(lines).toContain(`Call-ID: ${identity.callId}`);
        expect(lines).toContain('CSeq: 1 OPTIONS');
        expect(lines).toContain('Max-Forwards: 70');
        expect(lines).toContain('User-Agent: sipflow/9.9.9');
        expect(lines).toContain('Content-Length: 0');
        const other = newRequestIdentity();
        expect([other.branch, other.callId, other.fromTag]).not.toEqual([identity.branch, identity.callId, identity.fromTag]);
    });

    it('brackets IPv6 addresses in Via and the Request-URI', () => {
        const text = buildOptionsRequest({ host: '::1', port: 5060, transport: 'udp', localAddress: '::1', localPort: 5062, identity: newRequestIdentity(), userAgent: 'x' });
        expect(text).toMatch(/^OPTIONS sip:\[::1\]:5060 SIP\/2\.0\r\n/);
        expect(text).toMatch(/\r\nVia: SIP\/2\.0\/UDP \[::1\]:5062;branch=/);
    });
});

describe('parseSipTarget', () => {
    it('reads host, port, user and transport', () => {
        expect(parseSipTarget('sip:sip.eu.synthflow.ai:32681')).toEqual({ host: 'sip.eu.synthflow.ai', port: 32681 });
        expect(parseSipTarget('sip:+4535551234@acme.sip.dixa.com')).toEqual({ host: 'acme.sip.dixa.com', user: '+4535551234' });
        expect(parseSipTarget('sips:host.example')).toEqual({ host: 'host.example', transport: 'tls' });
        expect(parseSipTarget('sip:[::1]:5070;transport=TCP')).toEqual({ host: '::1', port: 5070, transport: 'tcp' });
    });

    it('refuses what is not a target, saying why', () => {
        expect(() => parseSipTarget('http://example.com')).toThrow(/not a SIP URI/);
        expect(() => parseSipTarget('sip:bad_host')).toThrow(/not a SIP URI/);
        expect(() => parseSipTarget('sip:-bad.example')).toThrow(/not a valid host/);
        expect(() => parseSipTarget('sip:a.example:70000')).toThrow(/out of range/);
        expect(() => parseSipTarget('sip:a.example;transport=sctp')).toThrow(/not supported/);
        expect(() => parseSipTarget('sips:a.example;transport=udp')).toThrow(/TLS only/);
    });
});

describe('parseHostOverrides', () => {
    it('maps a host on any port, or on one port (which wins)', () => {
        const override = parseHostOverrides('sip.eu.synthflow.ai=127.0.0.1:4000, sip.eu.synthflow.ai:32682=127.0.0.1:4001,acme.sip.dixa.com=127.0.0.2');
        expect(override('SIP.EU.SYNTHFLOW.AI', 32681)).toEqual({ host: '127.0.0.1', port: 4000 });
        expect(override('sip.eu.synthflow.ai', 32682)).toEqual({ host: '127.0.0.1', port: 4001 });
        expect(override('acme.sip.dixa.com', 5060)).toEqual({ host: '127.0.0.2', port: 5060 });
        expect(override('other.example', 5060)).toBeUndefined();
        expect(parseHostOverrides(undefined)('a', 1)).toBeUndefined();
        expect(() => parseHostOverrides('nonsense')).toThrow(/host\[:port\]=address\[:port\]/);
    });
});
