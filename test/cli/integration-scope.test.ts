// Which files form an integration (src/language/references/integration-scope.ts), as the bundled CLI
// sees it: validate FILE and plan FILE load the same files and report the same errors; a pulled file
// stands alone beside the file it came from; a subfolder is another scope. Plans run against the
// in-process sandbox (--sandbox), with its state kept in a file across runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const SALES_DESK = '  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"\n    kind ring-group\n  }\n';
/** The example without its sales_desk queue, which QUEUES declares. */
const DEPARTMENTS = without(EXAMPLE, SALES_DESK);
const QUEUES = `integration acme {\n${SALES_DESK}}\n`;
/** A second file of acme whose queue reuses tier1's DID: a did-duplicate, reported in the later file. */
const CLASHING = `integration acme {\n  queue overflow {\n    name "Phone – Overflow"\n    did "+4570101111"\n  }\n}\n`;

interface Diagnostic {
    file: string;
    range: { start: { line: number; character: number } };
    severity: string;
    code: string;
    message: string;
}

let workDir: string;

beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first.');
    workDir = mkdtempSync(path.join(tmpdir(), 'sipflow-scope-'));
});

afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function without(text: string, part: string): string {
    if (!text.includes(part)) throw new Error(`the text does not contain ${part}`);
    return text.replace(part, '');
}

function project(name: string, files: Record<string, string>): string {
    const dir = path.join(workDir, name);
    for (const [relative, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
        writeFileSync(path.join(dir, relative), content);
    }
    return dir;
}

function sipflow(args: string[], cwd: string) {
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: '1', SIPFLOW_DEBUG: undefined, DIXA_API_TOKEN: undefined, SYNTHFLOW_API_KEY: undefined },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function validateErrors(file: string, cwd: string): Diagnostic[] {
    const result = sipflow(['validate', '--format', 'json', file], cwd);
    return (JSON.parse(result.stdout) as Diagnostic[]).filter(d => d.severity === 'error');
}

/** plan --json against a fresh sandbox: the diagnostics it refused with, or undefined when it planned. */
function planErrors(file: string, cwd: string): Diagnostic[] | undefined {
    const result = sipflow(['plan', file, '--json', '--sandbox'], cwd);
    const report = JSON.parse(result.stdout) as { error?: string; diagnostics?: Diagnostic[] };
    if (report.error === undefined) {
        expect(result.status, result.stderr).toBe(0);
        return undefined;
    }
    expect(result.status).toBe(1);
    return report.diagnostics;
}

const essentials = (diagnostics: readonly Diagnostic[] | undefined) => diagnostics?.map(d => ({ file: d.file, line: d.range.start.line, code: d.code, message: d.message }));

describe('validate FILE and plan FILE see the same files', () => {
    it('two files of one integration in one folder with a clash: both report it, whichever file is named', () => {
        const dir = project('clash', { 'a.sipflow': EXAMPLE, 'b.sipflow': CLASHING });
        for (const named of ['a.sipflow', 'b.sipflow']) {
            const validated = validateErrors(named, dir);
            expect(essentials(validated)).toEqual([
                { file: 'b.sipflow', line: 3, code: 'did-duplicate', message: expect.stringContaining('DID +4570101111 is already used by queue tier1 in a.sipflow:') },
            ]);
            expect(essentials(planErrors(named, dir))).toEqual(essentials(validated));
            expect(sipflow(['validate', named], dir).status).toBe(1);
        }
    });

    it('without a clash they are one integration for both: queues in one file, departments in the other', () => {
        const dir = project('split', { 'departments.sipflow': DEPARTMENTS, 'queues.sipflow': QUEUES });
        for (const named of ['departments.sipflow', 'queues.sipflow']) {
            const result = sipflow(['validate', named], dir);
            expect(result.stdout).toBe('0 errors, 0 warnings in 2 files\n');
            expect(result.status).toBe(0);
            expect(planErrors(named, dir)).toBeUndefined();
        }
        const plan = sipflow(['plan', 'departments.sipflow', '--sandbox'], dir);
        expect(plan.stdout).toContain('+ create queue "Phone – Sales"');
    });

    it('the same integration in a subfolder is not a sibling, named or not', () => {
        const dir = project('subfolder', { 'departments.sipflow': DEPARTMENTS, 'more/queues.sipflow': QUEUES });
        const validated = validateErrors('departments.sipflow', dir);
        expect(validated.map(d => d.code)).toEqual(['linking-error', 'linking-error']);
        expect(essentials(planErrors('departments.sipflow', dir))).toEqual(essentials(validated));
        // Named together (a directory names both) they are still two scopes: the queue file is an
        // integration of its own, without the dixa and synthflow blocks.
        const both = JSON.parse(sipflow(['validate', '--format', 'json', '.'], dir).stdout) as Diagnostic[];
        const queuesFile = path.join('more', 'queues.sipflow');
        expect(both.filter(d => d.severity === 'error').map(d => `${d.file} ${d.code}`)).toEqual([
            'departments.sipflow linking-error',
            'departments.sipflow linking-error',
            `${queuesFile} required-missing`,
            `${queuesFile} required-missing`,
        ]);
        expect(both).toContainEqual(expect.objectContaining({ file: queuesFile, code: 'queue-unused' }));
    });
});

describe('a pulled file stands alone', () => {
    it('pull --from acme.sipflow --out pulled.sipflow beside the original breaks neither validate nor plan', () => {
        const dir = project('pulled', { 'acme.sipflow': EXAMPLE });
        const sandbox = ['--sandbox', '--sandbox-state', 'sandbox-state.json'];
        expect(sipflow(['apply', 'acme.sipflow', '--yes', ...sandbox], dir).status).toBe(0);
        const pull = sipflow(['pull', '--from', 'acme.sipflow', '--out', 'pulled.sipflow', ...sandbox], dir);
        expect(pull.status, pull.stderr).toBe(0);
        const pulled = readFileSync(path.join(dir, 'pulled.sipflow'), 'utf8');
        expect(pulled.split('\n')[0]).toBe('// sipflow pull: live state of integration acme, read from Dixa and Synthflow.');

        const original = sipflow(['validate', 'acme.sipflow'], dir);
        expect(original.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(original.status).toBe(0);
        const plan = sipflow(['plan', 'acme.sipflow', '--detailed-exitcode', ...sandbox], dir);
        expect(plan.status, plan.stdout + plan.stderr).toBe(0);
        expect(plan.stdout).toContain('No changes');

        const alone = sipflow(['validate', 'pulled.sipflow'], dir);
        // (Its warnings are what pull cannot read, e.g. a fallback no Dixa queue shows.)
        expect(alone.stdout).toMatch(/(^|\n)0 errors, \d+ warnings? in 1 file\n$/);
        expect(alone.status).toBe(0);
        const planPulled = sipflow(['plan', 'pulled.sipflow', '--detailed-exitcode', ...sandbox], dir);
        expect(planPulled.status, planPulled.stdout + planPulled.stderr).toBe(0);
        expect(sipflow(['validate', '.'], dir).status).toBe(0);

        // Without the marker it is an ordinary file of the folder again, and its duplicates are reported.
        writeFileSync(path.join(dir, 'pulled.sipflow'), pulled.slice(pulled.indexOf('\n') + 1));
        const adopted = validateErrors('acme.sipflow', dir);
        expect(adopted.map(d => d.code)).toContain('block-duplicate');
        expect(adopted.every(d => d.file === 'pulled.sipflow')).toBe(true);
        expect(essentials(planErrors('acme.sipflow', dir))).toEqual(essentials(adopted));
    });
});
