// End-to-end tests of `sipflow validate`: the bundled CLI (out/cli.cjs, built by `npm test`) run as a
// user runs it, on files in a temporary directory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stylesFor } from '../../src/cli/cli-support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BUNDLE = path.join(ROOT, 'out/cli.cjs');
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface JsonDiagnostic {
    file: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity: 'error' | 'warning' | 'info' | 'hint';
    code: string;
    message: string;
}

let workDir: string;

beforeAll(() => {
    if (!existsSync(CLI_BUNDLE)) {
        throw new Error(`${CLI_BUNDLE} is missing: run "npm run build" first ("npm test" builds before testing).`);
    }
    workDir = mkdtempSync(path.join(tmpdir(), 'sipflow-cli-'));
});

afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A fresh directory under the suite's temp dir, with the given files (relative path → content). */
function project(name: string, files: Record<string, string>): string {
    const dir = path.join(workDir, name);
    for (const [relative, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
        writeFileSync(path.join(dir, relative), content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
}

function sipflow(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NO_COLOR: undefined, SIPFLOW_DEBUG: undefined, ...env },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function validateJson(args: string[], cwd: string) {
    const result = sipflow(['validate', '--format', 'json', ...args], cwd);
    return { ...result, diagnostics: JSON.parse(result.stdout) as JsonDiagnostic[] };
}

/** The 0-based range of the `occurrence`-th appearance of `search` (on one line) in `text`. */
function rangeOf(text: string, search: string, occurrence = 1) {
    let offset = -1;
    for (let i = 0; i < occurrence; i++) {
        offset = text.indexOf(search, offset + 1);
        if (offset < 0) throw new Error(`"${search}" (#${occurrence}) is not in the text`);
    }
    const before = text.slice(0, offset).split('\n');
    const line = before.length - 1;
    const character = before[line].length;
    return { start: { line, character }, end: { line, character: character + search.length } };
}

/** The example with `search` replaced; throws if absent so a test cannot pass by accident. */
function exampleWith(search: string, replacement: string): string {
    if (!EXAMPLE.includes(search)) throw new Error(`example does not contain ${search}`);
    return EXAMPLE.replace(search, replacement);
}

const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

describe('sipflow validate: results and exit codes', () => {
    it('exits 0 and reports no problems for the canonical example', () => {
        const dir = project('clean', { 'acme.sipflow': EXAMPLE });
        const result = sipflow(['validate', 'acme.sipflow'], dir);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(result.stderr).toBe('');
    });

    it('exits 0 on warnings only, and reports them with exact code, severity and range', () => {
        const text = exampleWith('did "+4535551234"', 'did "+45 35 55 12 34"');
        const dir = project('warning', { 'acme.sipflow': text });
        const result = validateJson(['acme.sipflow'], dir);
        expect(result.status).toBe(0);
        expect(result.diagnostics).toEqual([
            {
                file: 'acme.sipflow',
                range: rangeOf(text, '"+45 35 55 12 34"'),
                severity: 'warning',
                code: 'e164-not-canonical',
                message: expect.stringContaining('"+4535551234"'),
            },
        ]);
        expect(result.stderr).toBe('0 errors, 1 warning in 1 file\n');
    });

    it('exits 1 on errors, as JSON with 0-based LSP ranges', () => {
        const text = exampleWith('allowlist synthflow', '').replace('mode warm', 'mode cold').replace('timeout 30s', 'timeout 2s');
        const dir = project('errors-json', { 'acme.sipflow': text });
        const result = validateJson(['acme.sipflow'], dir);
        expect(result.status).toBe(1);
        expect(result.diagnostics.map(d => ({ code: d.code, severity: d.severity, range: d.range }))).toEqual([
            { code: 'allowlist-missing', severity: 'error', range: rangeOf(text, 'dixa') }, // the block's keyword
            { code: 'timeout-range', severity: 'error', range: rangeOf(text, '2s') },
            { code: 'cold-transfer-refer', severity: 'warning', range: rangeOf(text, 'cold') },
        ]);
        for (const diagnostic of result.diagnostics) {
            expect(diagnostic.file).toBe('acme.sipflow');
            expect(diagnostic.message.length).toBeGreaterThan(10);
        }
        expect(result.stderr).toBe('2 errors, 1 warning in 1 file\n');
    });

    it('prints errors like a compiler in text format: file:line:col: severity code: message, then a summary', () => {
        const text = exampleWith('did "+4570102222"', 'did "12"');
        const dir = project('errors-text', { 'acme.sipflow': text });
        const result = sipflow(['validate', 'acme.sipflow'], dir);
        expect(result.status).toBe(1);
        const { line, character } = rangeOf(text, '"12"').start;
        const lines = result.stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(new RegExp(`^acme\\.sipflow:${line + 1}:${character + 1}: error e164-invalid: "12" is not a valid phone number: .+`));
        expect(lines[1]).toBe('1 error, 0 warnings in 1 file');
        // Not a terminal: no colour codes.
        expect(result.stdout).not.toContain('\u001b[');
        expect(result.stderr).toBe('');
    });

    it('counts hints in the summary without failing', () => {
        const text = exampleWith('  department sales {', '  queue spare {\n    name "Spare"\n    did "+4570103333"\n  }\n\n  department sales {');
        const dir = project('hint', { 'acme.sipflow': text });
        const result = validateJson(['acme.sipflow'], dir);
        expect(result.status).toBe(0);
        expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'queue-unused', severity: 'hint', range: rangeOf(text, 'spare') })]);
        expect(result.stderr).toBe('0 errors, 0 warnings, 1 hint in 1 file\n');
    });
});

describe('sipflow validate: unparseable input', () => {
    it('reports lexer and parser errors as parse-error diagnostics, without a stack trace', () => {
        const broken = 'integration acme {\n  dixa { sip-domain "acme.sip.dixa.com" allowlist synthflow }\n  queue q { did "+4570101111" § }\n  department {{\n';
        const dir = project('unparseable', { 'broken.sipflow': broken, 'binary.sipflow': '\u0000\u0001\u00ff\ufffe{{{{ "unterminated\n' });
        const result = validateJson([], dir);
        expect(result.status).toBe(1);
        const parseErrors = result.diagnostics.filter(d => d.code === 'parse-error');
        expect(parseErrors.length).toBeGreaterThanOrEqual(2);
        expect(new Set(parseErrors.map(d => d.file))).toEqual(new Set(['binary.sipflow', 'broken.sipflow']));
        expect(parseErrors.every(d => d.severity === 'error')).toBe(true);
        // The stray § is reported where it is.
        expect(result.diagnostics).toContainEqual(
            expect.objectContaining({ file: 'broken.sipflow', code: 'parse-error', range: expect.objectContaining({ start: rangeOf(broken, '§').start }) }),
        );
        expect(result.stderr).not.toMatch(STACK_FRAME);
        expect(result.stdout).not.toMatch(STACK_FRAME);

        const text = sipflow(['validate'], dir);
        expect(text.status).toBe(1);
        expect(text.stdout).toMatch(/^broken\.sipflow:3:\d+: error parse-error: /m);
        expect(text.stderr).toBe('');
    });

    it('accepts an empty file (nothing declared, nothing wrong) and a file with only comments', () => {
        const dir = project('empty-files', { 'empty.sipflow': '', 'comments.sipflow': '// nothing yet\n/* later */\n' });
        const result = sipflow(['validate'], dir);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe('0 errors, 0 warnings in 2 files\n');
    });
});

describe('sipflow validate: files, directories and the workspace', () => {
    it('searches the current directory recursively by default, skipping node_modules and dot-directories', () => {
        const bad = exampleWith('did "+4535555678"', 'did "nonsense"');
        const dir = project('tree', {
            'acme.sipflow': EXAMPLE,
            'teams/nested/deep/other.sipflow': EXAMPLE.replace('integration acme', 'integration other'),
            'node_modules/pkg/bad.sipflow': bad,
            '.git/bad.sipflow': bad,
            '.hidden/bad.sipflow': bad,
            'notes.txt': 'not a sipflow file',
        });
        const result = sipflow(['validate'], dir);
        expect(result.stdout).toBe('0 errors, 0 warnings in 2 files\n');
        expect(result.status).toBe(0);

        const named = sipflow(['validate', 'teams'], dir);
        expect(named.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(named.status).toBe(0);
    });

    it('reports paths as given, joined onto the directory named', () => {
        const bad = exampleWith('did "+4535555678"', 'did "nonsense"');
        const dir = project('paths', { 'teams/sales/acme.sipflow': bad });
        const result = validateJson(['teams/'], dir);
        expect(result.status).toBe(1);
        expect(result.diagnostics.map(d => d.file)).toEqual([path.join('teams', 'sales', 'acme.sipflow')]);
        // A file named twice (directly and through its directory) is validated once.
        const twice = validateJson(['teams/sales/acme.sipflow', 'teams'], dir);
        expect(twice.diagnostics).toHaveLength(1);
        expect(twice.stderr).toBe('1 error, 0 warnings in 1 file\n');
    });

    it('resolves queues declared in another file of the same integration', () => {
        // departments.sipflow uses sales_desk, which lives in queues.sipflow.
        const departments = exampleWith('  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"\n    kind ring-group\n  }\n', '');
        // The dixa and synthflow blocks live in departments.sipflow: an integration has one of each.
        const queues = `integration acme {\n  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"\n    kind ring-group\n  }\n}\n`;
        const dir = project('cross-file', {
            'departments.sipflow': departments,
            'queues.sipflow': queues,
            // Another integration's broken draft in the same folder: context only, never reported.
            'draft.sipflow': 'integration draft { department d { did "nonsense" } ',
        });

        const together = validateJson(['departments.sipflow', 'queues.sipflow'], dir);
        expect(together.stderr).toBe('0 errors, 0 warnings in 2 files\n');
        expect(together.diagnostics).toEqual([]);
        expect(together.status).toBe(0);

        // Named alone, each file is checked and reported with the other files of its integration in its
        // folder (as sipflow plan loads them); the other integration's draft stays out of the report.
        const departmentsAlone = validateJson(['departments.sipflow'], dir);
        expect(departmentsAlone.diagnostics).toEqual([]);
        expect(departmentsAlone.stderr).toBe('0 errors, 0 warnings in 2 files\n');
        const queuesAlone = validateJson(['queues.sipflow'], dir);
        expect(queuesAlone.diagnostics).toEqual([]);
        expect(queuesAlone.status).toBe(0);

        // In another folder the queues are out of reach: one linking error per use of sales_desk.
        const apart = project('cross-file-apart', { 'departments/departments.sipflow': departments, 'queues/queues.sipflow': queues });
        const alone = validateJson(['departments/departments.sipflow'], apart);
        expect(alone.status).toBe(1);
        const linkingErrors = [
            { file: path.join('departments', 'departments.sipflow'), code: 'linking-error', range: rangeOf(departments, 'sales_desk', 1) },
            { file: path.join('departments', 'departments.sipflow'), code: 'linking-error', range: rangeOf(departments, 'sales_desk', 2) },
        ];
        expect(alone.diagnostics.map(d => ({ file: d.file, code: d.code, range: d.range }))).toEqual(linkingErrors);
        // Named together they are still two integrations: an integration is the files of one folder.
        const both = validateJson(['departments', 'queues'], apart);
        expect(both.status).toBe(1);
        expect(both.diagnostics.filter(d => d.code === 'linking-error').map(d => ({ file: d.file, code: d.code, range: d.range }))).toEqual(linkingErrors);

        // Queues of another integration are not in scope.
        const otherIntegration = queues.replace('integration acme', 'integration globex');
        const dir2 = project('cross-file-other', { 'departments.sipflow': departments, 'queues.sipflow': otherIntegration });
        const separate = validateJson([], dir2);
        expect(separate.status).toBe(1);
        expect(separate.diagnostics.filter(d => d.code === 'linking-error').map(d => d.file)).toEqual(['departments.sipflow', 'departments.sipflow']);
        expect(separate.diagnostics).toContainEqual(expect.objectContaining({ file: 'queues.sipflow', code: 'queue-unused' }));
    });
});

describe('sipflow validate: usage errors exit 1 with one clear line', () => {
    const cases: Array<[string, string[], RegExp]> = [
        ['a nonexistent path', ['validate', 'missing.sipflow'], /^sipflow: missing\.sipflow: no such file or directory$/],
        ['a file that is not .sipflow', ['validate', 'notes.txt'], /^sipflow: notes\.txt: not a \.sipflow file$/],
        ['a directory without .sipflow files', ['validate', 'empty'], /^sipflow: empty: no \.sipflow files in this directory$/],
        ['an unknown format', ['validate', '--format', 'xml'], /^sipflow: .*'xml' is invalid\. Allowed choices are text, json, sarif, github, junit\.$/],
        ['an unknown option', ['validate', '--frobnicate'], /^sipflow: unknown option '--frobnicate'$/],
        ['an unknown command', ['frobnicate'], /^sipflow: unknown command 'frobnicate'$/],
    ];
    it.each(cases)('%s', (_name, args, message) => {
        const dir = project('usage', { 'acme.sipflow': EXAMPLE, 'notes.txt': 'hello', 'empty/readme.md': '' });
        const result = sipflow(args, dir);
        expect(result.status).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(result.stderr.trimEnd()).toMatch(message);
    });

    it('an unreadable file (a symlink loop) is reported, not crashed on', () => {
        const dir = project('unreadable', { 'acme.sipflow': EXAMPLE });
        symlinkSync('loop.sipflow', path.join(dir, 'loop.sipflow'));
        const result = sipflow(['validate'], dir);
        expect(result.status).toBe(1);
        expect(result.stderr.trimEnd()).toMatch(/^sipflow: loop\.sipflow: cannot read \(ELOOP\)$/);
        expect(result.stderr).not.toMatch(STACK_FRAME);
    });

    it('no command at all prints help and exits 1', () => {
        const result = sipflow([], workDir);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('Usage: sipflow');
    });
});

describe('sipflow --help and --version', () => {
    it('--version prints the package version', () => {
        const result = sipflow(['--version'], workDir);
        expect(result.status).toBe(0);
        expect(result.stdout.trim()).toBe(VERSION);
    });

    it('--help lists the validate command; validate --help documents its options', () => {
        const main = sipflow(['--help'], workDir);
        expect(main.status).toBe(0);
        expect(main.stdout).toMatch(/validate \[options\] \[paths\.\.\.\]/);
        const validate = sipflow(['validate', '--help'], workDir);
        expect(validate.status).toBe(0);
        expect(validate.stdout).toContain('--format <format>');
        expect(validate.stdout).toContain('"text", "json"');
    });
});

describe('colour', () => {
    it('is used only on a terminal with NO_COLOR unset', () => {
        expect(stylesFor({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
        expect(stylesFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
        expect(stylesFor({ isTTY: false }, {}).red('x')).toBe('x');
        expect(stylesFor({}, {}).bold('x')).toBe('x');
    });
});
