/**
 * `sipflow sandbox`: the register function in-process (options, output, stop), and spawned as a real
 * process stopped by SIGINT/SIGTERM — through src/cli/main.ts once it wires the command, and through a
 * minimal entry that registers only this command either way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/cli-support.js';
import { registerSandboxCommand, type SandboxCommandIo } from '../../src/cli/commands/sandbox.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { call, dixaClient, synthflowClient, waitFor } from '../support/http.js';
import { REPO_ROOT } from '../support/spec-errata.js';

let dir: string;
beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sipflow-sandbox-cli-'));
});
afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
});

/** Parses `export A=1 B=2 …` into an object (what `eval` would set). */
function parseExports(line: string): Record<string, string> {
    expect(line.startsWith('export ')).toBe(true);
    return Object.fromEntries(
        line
            .slice('export '.length)
            .trim()
            .split(/\s+/)
            .map(pair => pair.split('=') as [string, string]),
    );
}

interface InProcessRun {
    readonly stdout: string[];
    readonly stderr: string[];
    readonly listening: Promise<Sandbox>;
    readonly done: Promise<void>;
    stop(): void;
}

function runInProcess(args: string[]): InProcessRun {
    const stdout: string[] = [];
    const stderr: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>(resolve => (stop = resolve));
    let onListening!: (s: Sandbox) => void;
    const listening = new Promise<Sandbox>(resolve => (onListening = resolve));
    const io: SandboxCommandIo = {
        stdout: { write: (t: string) => stdout.push(t) },
        stderr: { write: (t: string) => stderr.push(t) },
        untilStopped: () => stopped,
        onListening,
    };
    const program = new Command('sipflow').exitOverride().configureOutput({ writeErr: t => stderr.push(t), writeOut: t => stdout.push(t) });
    registerSandboxCommand(program, io);
    const done = program.parseAsync(['sandbox', ...args], { from: 'user' }).then(() => undefined);
    return { stdout, stderr, listening, done, stop };
}

describe('registerSandboxCommand (in-process)', () => {
    it('prints an eval-able export line, serves both APIs with the options, and stops cleanly', async () => {
        const statePath = join(dir, 'state.json');
        const run = runInProcess(['--port', '0', '--seed', 'empty', '--latency', '5', '--faults', 'dixa:GET:/queues=503*1', '--state', statePath]);
        const sandbox = await Promise.race([run.listening, run.done.then(() => Promise.reject(new Error(run.stderr.join(''))))]);
        const env = parseExports(run.stdout[0]!.trim());
        expect(env).toEqual({
            DIXA_BASE_URL: `${sandbox.url}/v1`,
            DIXA_API_TOKEN: 'sandbox',
            SYNTHFLOW_BASE_URL: `${sandbox.url}/v2`,
            SYNTHFLOW_API_KEY: 'sandbox',
        });
        expect(env.DIXA_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const dixa = dixaClient(env.DIXA_BASE_URL!, env.DIXA_API_TOKEN);
        expect((await dixa('GET', '/queues')).status).toBe(503); // --faults
        const queues = await dixa('GET', '/queues');
        expect(queues.body).toEqual({ data: [] }); // --seed empty
        expect((await synthflowClient(env.SYNTHFLOW_BASE_URL!, env.SYNTHFLOW_API_KEY)('GET', '/assistants/')).status).toBe(200);
        expect(sandbox.requests.every(r => r.durationMs >= 4)).toBe(true); // --latency
        expect(JSON.parse(readFileSync(statePath, 'utf8')).version).toBe(1); // --state
        expect(run.stderr.join('')).toContain('Press Ctrl+C to stop.');

        run.stop();
        await run.done;
        expect(run.stderr.join('')).toContain('sipflow sandbox stopped');
        await expect(call(`${sandbox.adminUrl}/health`, { timeoutMs: 2_000 })).rejects.toThrow();
    });

    it('--dixa-manual done fills the Dixa side with no API as examples/acme.sipflow needs; none leaves it empty', async () => {
        const done = runInProcess(['--port', '0', '--dixa-manual', 'done']);
        const sandbox = await done.listening;
        const manual = (await call(`${sandbox.adminUrl}/dixa-manual`)).body;
        expect(manual.allowlist).toEqual(['34.185.212.150', '34.89.186.33', '35.242.217.198']);
        expect(manual.transferSteps['+4535551234']).toEqual({
            sipAddress: '+4535551234@sip.eu.synthflow.ai:32681',
            uuiHeader: 'phone_number={caller}',
            timeoutSeconds: 30,
            fallbackQueue: 'Phone – Tier 1',
        });
        expect(manual.queueRouting).toEqual({ 'Phone – Tier 1': ['+4570101111'], 'Phone – Sales': ['+4570102222'] });
        expect(done.stderr.join('')).toContain('transfer steps and queue routing done');
        done.stop();
        await done.done;
        const none = runInProcess(['--port', '0', '--dixa-manual', 'none']);
        const empty = await none.listening;
        expect((await call(`${empty.adminUrl}/dixa-manual`)).body).toEqual({ allowlist: [], transferSteps: {}, queueRouting: {} });
        none.stop();
        await none.done;
    });

    it('--dixa-organization sets the subdomain GET /organization answers; PUT /_sandbox/organization changes it', async () => {
        const run = runInProcess(['--port', '0', '--dixa-organization', 'globex']);
        const sandbox = await run.listening;
        const dixa = dixaClient(sandbox.dixaBaseUrl);
        expect((await dixa('GET', '/organization')).body.data.subdomain).toBe('globex');
        expect(run.stderr.join('')).toContain('Dixa organization subdomain globex');
        expect((await call(`${sandbox.adminUrl}/organization`, { method: 'PUT', json: { subdomain: 'initech' } })).status).toBe(200);
        expect((await dixa('GET', '/organization')).body.data.subdomain).toBe('initech');
        const refused = await call(`${sandbox.adminUrl}/organization`, { method: 'PUT', json: { subdomain: 'not a label' } });
        expect(refused.status).toBe(400);
        expect(refused.body.error).toContain('DNS label');
        expect((await dixa('GET', '/organization')).body.data.subdomain).toBe('initech');
        run.stop();
        await run.done;
    });

    it('--verbose prints each request', async () => {
        const run = runInProcess(['--port', '0', '--verbose']);
        const sandbox = await run.listening;
        await dixaClient(sandbox.dixaBaseUrl)('GET', '/organization');
        run.stop();
        await run.done;
        expect(run.stderr.join('')).toMatch(/GET \/v1\/organization → 200/);
    });

    it.each([
        [['--port', 'abc'], /--port must be an integer/],
        [['--port', '70000'], /--port must be an integer/],
        [['--latency', '-3'], /--latency/],
        [['--faults', 'dixa:*:*=explode'], /--faults: .*unknown action/],
        [['--dixa-organization', 'acme.dixa.com'], /DNS label/],
    ])('refuses %j with a UsageError', async (args, message) => {
        const run = runInProcess(args);
        await expect(run.done).rejects.toSatisfy((e: unknown) => e instanceof UsageError && message.test((e as Error).message));
    });

    it('refuses an unknown seed (commander choices)', async () => {
        const run = runInProcess(['--seed', 'nope']);
        await expect(run.done).rejects.toThrow(/Allowed choices are demo, empty/);
    });

    it('reports a port in use as a UsageError', async () => {
        const first = runInProcess(['--port', '0']);
        const sandbox = await first.listening;
        const second = runInProcess(['--port', String(sandbox.port)]);
        await expect(second.done).rejects.toThrow(/already in use/);
        first.stop();
        await first.done;
    });
});

// ─── Spawned ────────────────────────────────────────────────────────────────────────────────────────

interface Spawned {
    readonly child: ChildProcess;
    readonly stdout: () => string;
    readonly stderr: () => string;
    readonly exit: Promise<number | null>;
}

function spawnCli(script: string, args: string[]): Spawned {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const exit = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    return { child, stdout: () => out, stderr: () => err, exit };
}

async function bundle(entry: string, name: string): Promise<string> {
    const outfile = join(dir, `${name}.cjs`);
    await esbuild.build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node22',
        logLevel: 'silent',
        external: ['vscode'],
        define: { 'import.meta.url': 'importMetaUrl' },
        banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    });
    return outfile;
}

async function exercise(script: string, signal: NodeJS.Signals): Promise<void> {
    const run = spawnCli(script, ['sandbox', '--port', '0']);
    try {
        await waitFor(() => run.stdout().includes('\n') || run.child.exitCode !== null, 30_000);
        expect(run.child.exitCode, run.stderr()).toBeNull();
        const env = parseExports(run.stdout().split('\n')[0]!);
        const org = await dixaClient(env.DIXA_BASE_URL!, env.DIXA_API_TOKEN)('GET', '/organization');
        expect(org.body.data.subdomain).toBe('acme');
        const wrong = await synthflowClient(env.SYNTHFLOW_BASE_URL!, 'not-the-key')('GET', '/assistants/');
        expect(wrong.status).toBe(401);
        run.child.kill(signal);
        expect(await run.exit).toBe(0);
        expect(run.stderr()).toContain('sipflow sandbox stopped');
    } finally {
        if (run.child.exitCode === null) {
            run.child.kill('SIGKILL');
            await run.exit;
        }
    }
}

describe('sipflow sandbox as a process', () => {
    let entryScript: string;
    beforeAll(async () => {
        entryScript = await bundle(join(REPO_ROOT, 'test', 'support', 'sandbox-cli-entry.ts'), 'sandbox-cli');
    });

    it('runs until SIGINT, then closes and exits 0', async () => {
        await exercise(entryScript, 'SIGINT');
    });

    it('runs until SIGTERM, then closes and exits 0', async () => {
        await exercise(entryScript, 'SIGTERM');
    });

    it('exits 1 with one line for a bad option', async () => {
        const run = spawnCli(entryScript, ['sandbox', '--port', 'x']);
        expect(await run.exit).toBe(1);
        expect(run.stderr().trim()).toBe('sipflow: --port must be an integer between 0 and 65535, got "x"');
    });

    const mainSource = readFileSync(join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    it.runIf(mainSource.includes('registerSandboxCommand'))('works through src/cli/main.ts (sipflow sandbox)', async () => {
        const cli = await bundle(join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'sipflow-cli');
        await exercise(cli, 'SIGINT');
    });
});
