// `sipflow probe` run as a user runs it (the bundled CLI), against SIP responders on loopback. The file's
// hosts are sent to loopback with the SIPFLOW_PROBE_HOSTS hook; the TLS responder's self-signed
// certificate (generated here, for sip.eu.synthflow.ai) is trusted through NODE_EXTRA_CA_CERTS.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSilentUdpPort, startSipResponder, type SipResponder } from '../support/sip-responder.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly elapsedMs: number;
}

let dir: string;
let responder: SipResponder;
let silent: Awaited<ReturnType<typeof startSilentUdpPort>>;
let caFile: string;
/** How long `sipflow --version` takes here: Node's start-up, which a deadline check must allow for (the machine may be loaded). */
let startupMs: number;

function sipflow(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    const started = performance.now();
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', NODE_EXTRA_CA_CERTS: caFile, ...env };
    // An empty value removes the variable.
    for (const [key, value] of Object.entries(env)) if (value === '') delete childEnv[key];
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], {
            cwd: dir,
            env: childEnv,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr, elapsedMs: performance.now() - started }));
    });
}

/** The example's hosts on loopback: Synthflow UDP/TCP and TLS on the responder, Dixa where asked. */
function hostsTo(dixaPort: number): Record<string, string> {
    return {
        SIPFLOW_PROBE_HOSTS: [
            `sip.eu.synthflow.ai:32681=127.0.0.1:${responder.port}`,
            `sip.eu.synthflow.ai:32682=127.0.0.1:${responder.tlsPort}`,
            `acme.sip.dixa.com=127.0.0.1:${dixaPort}`,
        ].join(','),
    };
}

beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-probe-'));
    writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
    writeFileSync(path.join(dir, 'broken.sipflow'), 'integration broken { dixa { } }\n');
    const pems = await generate([{ name: 'commonName', value: 'sip.eu.synthflow.ai' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'sip.eu.synthflow.ai' }] }],
    });
    caFile = path.join(dir, 'test-ca.pem');
    writeFileSync(caFile, pems.cert);
    responder = await startSipResponder({ server: 'TestSBC/2.0', tls: { key: pems.private, cert: pems.cert } });
    silent = await startSilentUdpPort();
    startupMs = (await sipflow(['--version'])).elapsedMs;
});

afterAll(async () => {
    await responder?.close();
    silent?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sipflow probe sip:URI', () => {
    it('reports the status line, the Server and the round-trip time, then a summary table; exit 0', async () => {
        const run = await sipflow(['probe', `sip:127.0.0.1:${responder.port}`]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(new RegExp(`^✓ UDP sip:127\\.0\\.0\\.1:${responder.port}: SIP/2\\.0 200 OK \\(TestSBC/2\\.0\\) in \\d+(\\.\\d)? ms\\n`));
        expect(run.stdout).toMatch(/\ntarget\s+transport\s+result\s+server\s+rtt\n/);
        expect(run.stdout).toMatch(new RegExp(`\\n127\\.0\\.0\\.1:${responder.port}\\s+udp\\s+200 OK\\s+TestSBC/2\\.0\\s+\\d+(\\.\\d)? ms\\n`));
        expect(run.stdout).toContain('1 target: 1 answered, 0 failed');
    });

    it('--transport tcp --json prints one JSON document', async () => {
        const run = await sipflow(['probe', `sip:127.0.0.1:${responder.port}`, '--transport', 'tcp', '--json']);
        expect(run.code).toBe(0);
        const report = JSON.parse(run.stdout) as { targets: Array<Record<string, unknown>>; summary: Record<string, number> };
        expect(report.summary).toEqual({ total: 1, reachable: 1, failed: 0 });
        expect(report.targets[0]).toMatchObject({ transport: 'tcp', ok: true, statusCode: 200, statusLine: 'SIP/2.0 200 OK', server: 'TestSBC/2.0' });
        expect(report.targets[0].rttMs).toEqual(expect.any(Number));
        expect(responder.received.at(-1)?.transport).toBe('tcp');
    });

    it('a silent UDP target fails in one line within the timeout; exit 1', async () => {
        const run = await sipflow(['probe', `sip:127.0.0.1:${silent.port}`, '--timeout', '1']);
        expect(run.code).toBe(1);
        expect(run.stdout.split('\n')[0]).toBe(`✗ UDP sip:127.0.0.1:${silent.port}: no response within 1 s`);
        expect(run.stdout).toContain('1 target: 0 answered, 1 failed');
        // Node's start-up plus the 1 s deadline (the default is 5 s), with a margin for a loaded machine.
        expect(run.elapsedMs).toBeLessThan(startupMs + 1000 + 1500);
    });

    it('refuses bad input with one line and exit 1 (usage errors exit 1, as every error)', async () => {
        for (const args of [
            ['probe', 'sip:bad_host'],
            ['probe', 'sip:127.0.0.1', '--timeout', '0'],
            ['probe', 'sip:127.0.0.1', '--transport', 'sctp'],
            ['probe', 'sips:127.0.0.1', '--transport', 'udp'],
            ['probe', 'notes.txt'],
        ]) {
            const run = await sipflow(args);
            expect(run.code, args.join(' ')).toBe(1);
            expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
            expect(run.stderr, args.join(' ')).toMatch(/^sipflow: /);
        }
        const badHook = await sipflow(['probe', 'sip:127.0.0.1'], { SIPFLOW_PROBE_HOSTS: 'nonsense' });
        expect(badHook.code).toBe(1);
        expect(badHook.stderr).toBe('sipflow: SIPFLOW_PROBE_HOSTS: "nonsense" is not host[:port]=address[:port]\n');
    });
});

describe('sipflow probe FILE', () => {
    it('probes Synthflow of the region on 32681 UDP and TCP and 32682 TLS, and the Dixa SIP domain on 5060; exit 0 when all answer', async () => {
        const before = responder.received.length;
        const run = await sipflow(['probe', 'acme.sipflow', '--json'], hostsTo(responder.port));
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const report = JSON.parse(run.stdout) as { targets: Array<Record<string, unknown>>; summary: Record<string, number> };
        expect(report.targets.map(t => [t.label, t.host, t.port, t.transport, t.ok, t.statusCode])).toEqual([
            ['Synthflow eu', 'sip.eu.synthflow.ai', 32681, 'udp', true, 200],
            ['Synthflow eu', 'sip.eu.synthflow.ai', 32681, 'tcp', true, 200],
            ['Synthflow eu', 'sip.eu.synthflow.ai', 32682, 'tls', true, 200],
            ['Dixa SIP domain', 'acme.sip.dixa.com', 5060, 'udp', true, 200],
        ]);
        expect(report.summary).toEqual({ total: 4, reachable: 4, failed: 0 });
        // The requests name the real hosts, whatever address they were sent to.
        const requestLines = responder.received
            .slice(before)
            .map(request => `${request.transport} ${request.raw.split('\r\n')[0]}`)
            .sort();
        expect(requestLines).toEqual([
            'tcp OPTIONS sip:sip.eu.synthflow.ai:32681;transport=tcp SIP/2.0',
            'tls OPTIONS sip:sip.eu.synthflow.ai:32682;transport=tls SIP/2.0',
            'udp OPTIONS sip:acme.sip.dixa.com:5060 SIP/2.0',
            'udp OPTIONS sip:sip.eu.synthflow.ai:32681 SIP/2.0',
        ]);
    });

    it('a silent Dixa domain fails while the others answer; exit 1, all within the timeout', async () => {
        const run = await sipflow(['probe', 'acme.sipflow', '--timeout', '1.5'], hostsTo(silent.port));
        expect(run.code).toBe(1);
        const lines = run.stdout.split('\n');
        expect(lines.slice(0, 4)).toEqual([
            expect.stringMatching(/^✓ Synthflow eu: UDP sip:sip\.eu\.synthflow\.ai:32681: SIP\/2\.0 200 OK \(TestSBC\/2\.0\) in /),
            expect.stringMatching(/^✓ Synthflow eu: TCP sip:sip\.eu\.synthflow\.ai:32681;transport=tcp: SIP\/2\.0 200 OK/),
            expect.stringMatching(/^✓ Synthflow eu: TLS sip:sip\.eu\.synthflow\.ai:32682;transport=tls: SIP\/2\.0 200 OK/),
            '✗ Dixa SIP domain: UDP sip:acme.sip.dixa.com:5060: no response within 1.5 s',
        ]);
        expect(run.stdout).toMatch(/\nacme\.sip\.dixa\.com:5060\s+udp\s+FAILED\n/);
        expect(run.stdout).toContain('4 targets: 3 answered, 1 failed');
        // The targets are probed at once: one deadline, not four.
        expect(run.elapsedMs).toBeLessThan(startupMs + 1500 + 1500);
    });

    it('without the test certificate trusted, the TLS target fails on verification; --transport tls probes only it', async () => {
        const run = await sipflow(['probe', 'acme.sipflow', '--transport', 'tls'], { ...hostsTo(responder.port), NODE_EXTRA_CA_CERTS: '' });
        expect(run.code).toBe(1);
        expect(run.stdout.split('\n')[0]).toMatch(/^✗ Synthflow eu: TLS sip:sip\.eu\.synthflow\.ai:32682;transport=tls: TLS handshake failed: .*self[- ]signed/i);
        expect(run.stdout).toContain('1 target: 0 answered, 1 failed');
    });

    it('a file with errors is refused before anything is sent', async () => {
        const before = responder.received.length;
        const run = await sipflow(['probe', 'broken.sipflow'], hostsTo(responder.port));
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/^sipflow: broken\.sipflow: \d+ errors? .*to fix first/);
        expect(responder.received.length).toBe(before);
    });
});
