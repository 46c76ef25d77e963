// The CLI run as a user runs it, on inputs at the edges: 140,000 problems in one file, FIFOs named
// *.sipflow, a file with nothing to plan, and files validate must refuse for plan's sake.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

let workDir: string;

beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    workDir = mkdtempSync(path.join(tmpdir(), 'sipflow-limits-'));
});

afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function project(name: string, files: Record<string, string>, fifos: readonly string[] = []): string {
    const dir = path.join(workDir, name);
    mkdirSync(dir, { recursive: true });
    for (const [relative, content] of Object.entries(files)) writeFileSync(path.join(dir, relative), content);
    for (const fifo of fifos) execFileSync('mkfifo', [path.join(dir, fifo)]);
    return dir;
}

/** A run that would hang on an opened FIFO fails on the timeout instead of blocking the suite. */
function sipflow(args: string[], cwd: string) {
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', SIPFLOW_DEBUG: undefined, DIXA_API_TOKEN: undefined, SYNTHFLOW_API_KEY: undefined },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withInvalidIps(count: number): string {
    const ips = Array.from({ length: count }, (_, i) => `"x${i}"`).join(', ');
    return EXAMPLE.replace('allowlist synthflow', `allowlist synthflow\n    allowlist ${ips}`);
}

describe('sipflow validate with 140,000 problems in one file', () => {
    let dir: string;
    beforeAll(() => {
        dir = project('huge', { 'acme.sipflow': withInvalidIps(140_000) });
    });

    it('shows 1,000, says how many more, counts them all, and fails', () => {
        const result = sipflow(['validate', 'acme.sipflow'], dir);
        expect(result.status).toBe(1);
        const lines = result.stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(1000 + 2);
        expect(lines.slice(0, 1000).every(line => / error ip-invalid: /.test(line))).toBe(true);
        expect(lines[1000]).toMatch(/^acme\.sipflow:\d+:1: error problems-capped: … and 139000 more problems in this file \(139000 errors\)/);
        expect(lines[1001]).toBe('140000 errors, 0 warnings in 1 file');
    }, 90_000);

    it('in JSON: 1,001 entries, the last one counting the hidden problems', () => {
        const result = sipflow(['validate', '--format', 'json', 'acme.sipflow'], dir);
        expect(result.status).toBe(1);
        const diagnostics = JSON.parse(result.stdout) as Array<{ code: string; hidden?: unknown }>;
        expect(diagnostics).toHaveLength(1001);
        expect(diagnostics[1000]).toMatchObject({ code: 'problems-capped', severity: 'error', hidden: { error: 139_000, warning: 0, info: 0, hint: 0 } });
        expect(result.stderr).toBe('140000 errors, 0 warnings in 1 file\n');
    }, 90_000);
});

describe('only regular files are read', () => {
    it('a FIFO (and a link to one) in a folder walk is skipped, never opened', () => {
        const dir = project('walk', { 'acme.sipflow': EXAMPLE }, ['pipe.sipflow']);
        symlinkSync('pipe.sipflow', path.join(dir, 'link.sipflow'));
        const result = sipflow(['validate'], dir);
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(result.status).toBe(0);
    });

    it('a FIFO next to a named file is not read as its context', () => {
        const dir = project('context', { 'acme.sipflow': EXAMPLE }, ['queues.sipflow']);
        const result = sipflow(['validate', 'acme.sipflow'], dir);
        expect(result.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(result.status).toBe(0);
    });

    it('a named FIFO gets one line and exit 1', () => {
        const dir = project('named', { 'acme.sipflow': EXAMPLE }, ['pipe.sipflow']);
        const result = sipflow(['validate', 'pipe.sipflow'], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe('sipflow: pipe.sipflow: is a FIFO (named pipe), not a regular file; sipflow reads only regular .sipflow files\n');
        expect(result.stdout).toBe('');
    });

    it('plan skips a FIFO among its sibling files, and refuses a named one in one line', () => {
        const dir = project('plan', { 'acme.sipflow': EXAMPLE }, ['pipe.sipflow']);
        const planned = sipflow(['plan', 'acme.sipflow', '--sandbox'], dir);
        expect(planned.stderr).not.toMatch(STACK_FRAME);
        expect(planned.stdout).toContain('acme');
        expect(planned.status).toBe(0);
        const named = sipflow(['plan', 'pipe.sipflow', '--sandbox'], dir);
        expect(named.status).toBe(1);
        expect(named.stderr).toBe('sipflow: pipe.sipflow: is a FIFO (named pipe), not a regular file; sipflow reads only regular .sipflow files\n');
    }, 90_000);
});

describe('what validate passes, plan accepts; what plan refuses, validate reports', () => {
    it.each([
        ['a queue without did', EXAMPLE.replace('    did "+4570101111"\n', ''), 'required-missing'],
        [
            'a department escalating twice to one queue',
            EXAMPLE.replace('    escalate sales_desk\n', '    escalate sales_desk\n    escalate sales_desk { mode cold }\n'),
            'escalation-duplicate',
        ],
        ['two departments on one assistant', EXAMPLE.replace('0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90', 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6'), 'assistant-shared'],
    ])(
        '%s: validate and plan both refuse, with the same documented code',
        (name, text, code) => {
            const dir = project(`refuse-${name.replace(/\W+/g, '-')}`, { 'acme.sipflow': text });
            const validated = sipflow(['validate', 'acme.sipflow'], dir);
            expect(validated.status).toBe(1);
            expect(validated.stdout).toMatch(new RegExp(`^acme\\.sipflow:\\d+:\\d+: error ${code}: `, 'm'));
            const planned = sipflow(['plan', 'acme.sipflow', '--sandbox'], dir);
            expect(planned.status).toBe(1);
            expect(planned.stdout).toMatch(new RegExp(`^acme\\.sipflow:\\d+:\\d+: error ${code}: `, 'm'));
            expect(`${planned.stdout}${planned.stderr}`).not.toMatch(/model-/);
            expect(planned.stderr).toMatch(/^sipflow: acme\.sipflow: 1 error to fix first; nothing was sent to Dixa or Synthflow\.\n$/);
        },
        90_000,
    );

    it('a file with nothing declared passes validate, and plan says there is nothing to plan', () => {
        const dir = project('nothing', { 'empty.sipflow': '// later\n' });
        expect(sipflow(['validate', 'empty.sipflow'], dir).status).toBe(0);
        const planned = sipflow(['plan', 'empty.sipflow', '--sandbox'], dir);
        expect(planned.status).toBe(1);
        expect(planned.stderr).toBe('sipflow: empty.sipflow: declares no integration, so there is nothing to plan; write integration NAME { … }.\n');
    }, 60_000);
});
