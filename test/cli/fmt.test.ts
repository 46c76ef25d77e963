// `sipflow fmt [--check] [--diff] [paths…]`: the bundled CLI (out/cli.cjs, built by `npm test`) on files
// in a temporary directory; the expected layout is the editor's (test/language/formatting.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPatch } from 'diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format } from '../language/editor-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BUNDLE = path.join(ROOT, 'out/cli.cjs');
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

const MESSY = 'integration   acme{\ndixa{sip-domain    "acme.sip.dixa.com"   allowlist "1.2.3.4" ,"5.6.7.8"}\n}';
const MESSY_FORMATTED = 'integration acme {\n  dixa {\n    sip-domain "acme.sip.dixa.com"\n    allowlist "1.2.3.4", "5.6.7.8"\n  }\n}\n';
const BROKEN = 'integration acme {\n  queue q { did "+4570101111" § }\n';

let workDir: string;

beforeAll(() => {
    if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: run "npm run build" first ("npm test" builds before testing).`);
    workDir = mkdtempSync(path.join(tmpdir(), 'sipflow-fmt-'));
});

afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function project(name: string, files: Record<string, string>): string {
    const dir = path.join(workDir, name);
    for (const [relative, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
        writeFileSync(path.join(dir, relative), content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
}

function sipflow(args: string[], cwd: string) {
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, SIPFLOW_DEBUG: undefined } });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('sipflow fmt', () => {
    it('rewrites unformatted files in place, recursively from the current folder, exactly as the editor formats', async () => {
        const dir = project('rewrite', { 'messy.sipflow': MESSY, 'teams/acme.sipflow': EXAMPLE, 'node_modules/x/messy.sipflow': MESSY });
        expect(await format(MESSY)).toBe(MESSY_FORMATTED);
        const untouched = statSync(path.join(dir, 'teams/acme.sipflow')).mtimeMs;
        const result = sipflow(['fmt'], dir);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe('messy.sipflow\n');
        expect(result.stderr).toBe('');
        expect(read(dir, 'messy.sipflow')).toBe(MESSY_FORMATTED);
        expect(read(dir, 'teams/acme.sipflow')).toBe(EXAMPLE);
        expect(statSync(path.join(dir, 'teams/acme.sipflow')).mtimeMs).toBe(untouched);
        expect(read(dir, 'node_modules/x/messy.sipflow')).toBe(MESSY);
        // Idempotent: a second run changes nothing.
        const again = sipflow(['fmt'], dir);
        expect(again).toEqual({ status: 0, stdout: '', stderr: '' });
    });

    it('--check lists the files that would change, writes nothing and exits 1; 0 when all are formatted', () => {
        const dir = project('check', { 'a.sipflow': MESSY, 'b.sipflow': EXAMPLE, 'c/d.sipflow': MESSY });
        const result = sipflow(['fmt', '--check'], dir);
        expect(result.status).toBe(1);
        expect(result.stdout).toBe(`a.sipflow\n${path.join('c', 'd.sipflow')}\n`);
        expect(read(dir, 'a.sipflow')).toBe(MESSY);
        expect(read(dir, 'c/d.sipflow')).toBe(MESSY);
        expect(sipflow(['fmt', '--check', 'b.sipflow'], dir)).toEqual({ status: 0, stdout: '', stderr: '' });
    });

    it('--diff prints a unified diff that turns the file into the formatted one', () => {
        const dir = project('diff', { 'a.sipflow': MESSY });
        const result = sipflow(['fmt', '--check', '--diff', 'a.sipflow'], dir);
        expect(result.status).toBe(1);
        const [listed, ...patchLines] = result.stdout.split('\n');
        expect(listed).toBe('a.sipflow');
        const patch = patchLines.join('\n');
        expect(patch).toContain('--- a/a.sipflow\n+++ b/a.sipflow\n@@ -1,3 +1,6 @@\n');
        expect(applyPatch(MESSY, patch)).toBe(MESSY_FORMATTED);
        expect(read(dir, 'a.sipflow')).toBe(MESSY);

        // Without --check the diff is printed and the file written.
        const written = sipflow(['fmt', '--diff', 'a.sipflow'], dir);
        expect(written.status).toBe(0);
        expect(written.stdout).toBe(result.stdout);
        expect(read(dir, 'a.sipflow')).toBe(MESSY_FORMATTED);
    });

    it('reports a file that does not parse on one line and leaves it alone (exit 1); the others are still formatted', () => {
        const dir = project('broken', { 'bad.sipflow': BROKEN, 'messy.sipflow': MESSY });
        const result = sipflow(['fmt'], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^sipflow: bad\.sipflow:2:\d+: not formatted, it does not parse: .*§.*\n$/);
        expect(result.stdout).toBe('messy.sipflow\n');
        expect(read(dir, 'bad.sipflow')).toBe(BROKEN);
        expect(read(dir, 'messy.sipflow')).toBe(MESSY_FORMATTED);
        // An unterminated block is a parser error at the end of the input.
        const unterminated = project('unterminated', { 'u.sipflow': 'integration acme {\n' });
        const end = sipflow(['fmt', '--check'], unterminated);
        expect(end.status).toBe(1);
        expect(end.stderr).toMatch(/^sipflow: u\.sipflow:2:1: not formatted, it does not parse: .+\n$/);
        expect(read(unterminated, 'u.sipflow')).toBe('integration acme {\n');
    });

    it('refuses bad paths on one line', () => {
        const dir = project('usage', { 'notes.txt': 'x', 'empty/readme.md': '' });
        for (const [args, message] of [
            [['fmt', 'missing.sipflow'], 'sipflow: missing.sipflow: no such file or directory\n'],
            [['fmt', 'notes.txt'], 'sipflow: notes.txt: not a .sipflow file\n'],
            [['fmt', 'empty'], 'sipflow: empty: no .sipflow files in this directory\n'],
        ] as const) {
            const result = sipflow([...args], dir);
            expect(result.status, result.stderr).not.toBe(0);
            expect(result.stderr).toBe(message);
            expect(result.stdout).toBe('');
        }
    });
});
