// CI plumbing on the bundled CLI (out/cli.cjs, built by `npm test`): a closed pipe ends quietly, JSON output
// stays JSON on errors, and every command takes --no-color.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const STACK_FRAME = /^\s+at /m;

let dir: string;

beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first.');
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-pipes-'));
    writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
    // Many diagnostics: more output than a pipe buffer holds, so the writer meets the closed pipe.
    const many = Array.from({ length: 400 }, (_, i) => `  queue q${i} { name "Q${i}" did "bad${i}" }`).join('\n');
    writeFileSync(path.join(dir, 'many.sipflow'), `integration many {\n${many}\n}\n`);
    writeFileSync(path.join(dir, 'broken.sipflow'), EXAMPLE.replace('integration acme', 'integration broken').replace('did "+4570102222"', 'did "12"'));
});

afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
});

function sipflow(args: string[]) {
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SIPFLOW_DEBUG: undefined } });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `sipflow ARGS | head -1` in bash: sipflow's exit status, its stderr, and what head printed. */
function piped(args: string[]) {
    const quoted = [process.execPath, CLI_BIN, ...args].map(arg => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
    const result = spawnSync('bash', ['-c', `${quoted} 2>"$0" | head -1; echo "status=\${PIPESTATUS[0]}"`, path.join(dir, 'stderr.txt')], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
    });
    const [first, statusLine] = result.stdout.trimEnd().split('\n');
    return { first, status: Number(statusLine.replace('status=', '')), stderr: readFileSync(path.join(dir, 'stderr.txt'), 'utf8') };
}

describe('a closed pipe ends quietly', () => {
    it('validate | head -1', () => {
        const result = piped(['validate', 'many.sipflow']);
        expect(result.first).toMatch(/^many\.sipflow:\d+:\d+: error /);
        expect(result.stderr).not.toMatch(STACK_FRAME);
        expect(result.stderr).not.toContain('EPIPE');
        expect(result.status).toBe(1);
    });

    it('plan | head -1', () => {
        const result = piped(['plan', 'acme.sipflow', '--sandbox', '--verbose']);
        expect(result.first).toMatch(/^Planning integration acme against /);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
    });
});

describe('JSON output stays JSON on errors', () => {
    it('plan --json with errors in the file: { error, diagnostics } on stdout, one line on stderr, exit 1', () => {
        const result = sipflow(['plan', 'broken.sipflow', '--json', '--sandbox']);
        expect(result.status).toBe(1);
        const report = JSON.parse(result.stdout) as { error: string; diagnostics: Array<{ file: string; code: string; severity: string }> };
        expect(report.error).toMatch(/^broken\.sipflow: 1 error .*to fix first/);
        expect(report.diagnostics).toEqual([expect.objectContaining({ file: 'broken.sipflow', code: 'e164-invalid', severity: 'error' })]);
        expect(result.stderr).toBe(`sipflow: ${report.error}\n`);
    });

    it('plan --json with a usage or vendor error: { error, diagnostics: [] }', () => {
        const usage = sipflow(['plan', 'acme.sipfow', '--json']);
        expect(usage.status).toBe(1);
        expect(JSON.parse(usage.stdout)).toEqual({ error: 'acme.sipfow: not a .sipflow file', diagnostics: [] });
        const vendor = sipflow(['plan', 'acme.sipflow', '--json']);
        expect(vendor.status).toBe(1);
        expect(JSON.parse(vendor.stdout)).toEqual({ error: expect.stringContaining('DIXA_API_TOKEN'), diagnostics: [] });
    });

    it('validate --format json when validation cannot run: { error, diagnostics: [] }', () => {
        const result = sipflow(['validate', 'missing.sipflow', '--format', 'json']);
        expect(result.status).toBe(1);
        expect(JSON.parse(result.stdout)).toEqual({ error: 'missing.sipflow: no such file or directory', diagnostics: [] });
        expect(result.stderr).toBe('sipflow: missing.sipflow: no such file or directory\n');
    });
});

describe('--no-color', () => {
    it.each(['validate', 'fmt', 'plan', 'apply', 'pull', 'checklist', 'sandbox', 'lsp'])('is an option of %s', command => {
        const help = sipflow([command, '--help']);
        expect(help.status).toBe(0);
        expect(help.stdout).toContain('--no-color');
    });

    it('is accepted and changes nothing off a terminal', () => {
        const plain = sipflow(['validate', 'broken.sipflow']);
        const noColor = sipflow(['validate', 'broken.sipflow', '--no-color']);
        expect(noColor).toEqual(plain);
        expect(noColor.stdout).not.toContain('\u001b[');
    });
});
