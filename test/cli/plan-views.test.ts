// plan --format markdown, sipflow show PLAN and sipflow graph, run as a user runs them: the bundled CLI,
// spawned, with --sandbox (an in-process stand-in for both vendors) where a plan is made. `show` and
// `graph` must not contact any vendor: their base URLs point at a server this test starts, which counts
// every request it gets.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromDot } from 'ts-graphviz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHashOf } from '../../src/plan/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

let dir: string;
/** A checkout with the example and a plan saved from the sandbox by `plan --out`. */
let checkout: string;
let planFile: string;
let vendorRequests = 0;
let vendor: Server;
let vendorUrl: string;

function sipflow(args: readonly string[], cwd = checkout): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        NO_COLOR: '1',
        DIXA_BASE_URL: vendorUrl,
        DIXA_API_TOKEN: 'not-a-real-token',
        SYNTHFLOW_BASE_URL: vendorUrl,
        SYNTHFLOW_API_KEY: 'not-a-real-key',
    };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}

beforeAll(async () => {
    vendor = createServer((_request, response) => {
        vendorRequests++;
        response.writeHead(500).end();
    });
    await new Promise<void>(resolve => vendor.listen(0, '127.0.0.1', resolve));
    vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-plan-views-'));
    checkout = path.join(dir, 'checkout');
    mkdirSync(path.join(checkout, '.git'), { recursive: true });
    writeFileSync(path.join(checkout, 'acme.sipflow'), EXAMPLE);
    planFile = path.join(checkout, 'plan.json');
    const saved = await sipflow(['plan', 'acme.sipflow', '--sandbox', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
});

afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise(resolve => vendor.close(resolve));
});

describe('plan --format', () => {
    it('markdown: a PR comment with the verdict, the diagram naming the assistants, and the vendors', async () => {
        const run = await sipflow(['plan', 'acme.sipflow', '--sandbox', '--format', 'markdown']);
        expect(run.code, run.stderr).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines[0]).toBe('## sipflow plan for integration `acme`');
        expect(lines).toContain('Plan: 5 to create, 4 to attach · 1 unchanged · 5 manual steps (sipflow checklist).');
        expect(lines).toContain('```mermaid');
        // The sandbox's assistants are read, so the diagram names them.
        expect(lines.some(l => l.endsWith('[["Acme DK support front door"]]'))).toBe(true);
        expect(lines).toContain('<summary><b>Synthflow</b>: 8 to change</summary>');
        expect(run.stdout).not.toContain('Planning integration');
    });

    it('json: the same plan as --json', async () => {
        const [format, alias] = await Promise.all([sipflow(['plan', 'acme.sipflow', '--sandbox', '--format', 'json']), sipflow(['plan', 'acme.sipflow', '--sandbox', '--json'])]);
        expect(format.code).toBe(0);
        expect(alias.code).toBe(0);
        const items = (text: string) => (JSON.parse(text) as { items: unknown[] }).items;
        expect(items(format.stdout)).toEqual(items(alias.stdout));
        expect(items(format.stdout).length).toBeGreaterThan(5);
    });

    it('refuses --json with another --format, and an unknown format, as usage errors', async () => {
        const both = await sipflow(['plan', 'acme.sipflow', '--sandbox', '--json', '--format', 'markdown']);
        expect(both.code).toBe(1);
        expect(both.stderr.trim()).toBe('sipflow: --json and --format markdown disagree; give one of them');
        const unknown = await sipflow(['plan', 'acme.sipflow', '--sandbox', '--format', 'html']);
        expect(unknown.code).toBe(1);
        expect(unknown.stdout).toBe('');
    });
});

describe('sipflow show PLAN', () => {
    it('prints the saved plan as text, without contacting a vendor', async () => {
        const before = vendorRequests;
        const run = await sipflow(['show', 'plan.json']);
        expect(run.code, run.stderr).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines[0]).toBe('Plan for integration acme  (Dixa acme.sip.dixa.com · Synthflow eu, workspace 1738660423280x428309622607052800)');
        expect(lines).toContain('    + create queue "Phone – Sales" as a ring group (offers to all agents at once)');
        expect(lines.at(-2)).toBe('Plan: 5 to create, 4 to attach · 1 unchanged · 5 manual steps (sipflow checklist).');
        expect(vendorRequests).toBe(before);
    });

    it('--json prints the plan file as saved; --format json too', async () => {
        const json = await sipflow(['show', 'plan.json', '--json']);
        expect(json.code).toBe(0);
        expect(json.stdout).toBe(readFileSync(planFile, 'utf8'));
        expect((await sipflow(['show', 'plan.json', '--format', 'json'])).stdout).toBe(json.stdout);
    });

    it('--format markdown prints the PR comment with the diagram', async () => {
        const before = vendorRequests;
        const run = await sipflow(['show', path.join(checkout, 'plan.json'), '--format', 'markdown'], dir);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout.split('\n')[0]).toBe('## sipflow plan for integration `acme`');
        expect(run.stdout).toContain('```mermaid\nflowchart LR\n');
        expect(run.stdout).toContain('class ');
        expect(vendorRequests).toBe(before);
    });

    it('still shows a plan whose source file changed, without the diagram, and says apply would refuse it', async () => {
        const copy = path.join(dir, 'changed');
        mkdirSync(path.join(copy, '.git'), { recursive: true });
        writeFileSync(path.join(copy, 'acme.sipflow'), EXAMPLE.replace('timeout 30s', 'timeout 20s'));
        writeFileSync(path.join(copy, 'plan.json'), readFileSync(planFile));
        const text = await sipflow(['show', 'plan.json'], copy);
        expect(text.code).toBe(0);
        expect(text.stdout.split('\n')[0]).toBe('Plan for integration acme');
        expect(text.stdout).toContain('sipflow apply would refuse this plan');
        const markdown = await sipflow(['show', 'plan.json', '--format', 'markdown'], copy);
        expect(markdown.code).toBe(0);
        expect(markdown.stdout).not.toContain('```mermaid');
        expect(markdown.stdout).toContain('No diagram');
    });

    it.each([
        ['not JSON', () => 'not json', /^sipflow: bad\.json: Not a sipflow plan: the file is not JSON \(.*\)\.$/],
        [
            'edited (content hash)',
            () => readFileSync(planFile, 'utf8').replace('"Phone – Sales"', '"Phone – Evil"'),
            /^sipflow: bad\.json: The plan file was edited after sipflow wrote it: its content hash does not match\.$/,
        ],
        [
            'malformed, re-hashed',
            () => {
                const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
                plan.desired = { integration: 'evil' };
                plan.contentHash = contentHashOf(plan as never);
                return JSON.stringify(plan);
            },
            /^sipflow: bad\.json: The plan is malformed: .*\.$/,
        ],
    ])('refuses a plan file that is %s in one line, exit 1', async (_name, content, message) => {
        writeFileSync(path.join(checkout, 'bad.json'), content());
        for (const args of [
            ['show', 'bad.json'],
            ['show', 'bad.json', '--json'],
            ['show', 'bad.json', '--format', 'markdown'],
        ]) {
            const run = await sipflow(args);
            expect(run.code).toBe(1);
            expect(run.stdout).toBe('');
            expect(run.stderr.endsWith('\n')).toBe(true);
            expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
            expect(run.stderr.trimEnd()).toMatch(message);
        }
    });

    it('a missing plan file is a usage error', async () => {
        const run = await sipflow(['show', 'nowhere.json']);
        expect(run.code).toBe(1);
        expect(run.stderr.trim()).toBe('sipflow: nowhere.json: cannot read (ENOENT)');
    });
});

describe('sipflow graph', () => {
    it('prints the Mermaid flowchart of the only .sipflow file here, without contacting a vendor', async () => {
        const before = vendorRequests;
        const run = await sipflow(['graph']);
        expect(run.code, run.stderr).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines[0]).toBe('flowchart LR');
        expect(lines).toContain('    n3[("Phone – Tier 1")]');
        expect(lines).toContain('    n1 -.->|"no answer in 30s → fallback"| n3');
        expect(vendorRequests).toBe(before);
    });

    it('--format dot prints a digraph a DOT parser reads', async () => {
        const run = await sipflow(['graph', 'acme.sipflow', '--format', 'dot']);
        expect(run.code, run.stderr).toBe(0);
        const graph = fromDot(run.stdout);
        expect(graph.nodes.map(n => n.attributes.get('label'))).toEqual([
            '+4535551234',
            '“Support DK”',
            'assistant b336ab4e…',
            'Phone – Tier 1',
            '+4535555678',
            '“Sales DK”',
            'assistant 0e4d6c2a…',
            'Phone – Sales',
        ]);
        expect(graph.edges).toHaveLength(8);
    });

    it('refuses a file with errors (diagnostics on stderr, nothing on stdout), and a folder without one file', async () => {
        const broken = path.join(dir, 'broken');
        mkdirSync(broken, { recursive: true });
        writeFileSync(path.join(broken, 'acme.sipflow'), EXAMPLE.replace('did "+4535555678"', 'did "12"'));
        const run = await sipflow(['graph', 'acme.sipflow'], broken);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain('e164-invalid');
        const empty = path.join(dir, 'empty');
        mkdirSync(empty, { recursive: true });
        const none = await sipflow(['graph'], empty);
        expect(none.code).toBe(1);
        expect(none.stderr.trim()).toBe('sipflow: no .sipflow file in the current folder; name one: sipflow graph FILE');
        const unknown = await sipflow(['graph', 'acme.sipflow', '--format', 'svg']);
        expect(unknown.code).toBe(1);
    });
});
