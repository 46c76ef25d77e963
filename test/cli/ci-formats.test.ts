// `sipflow validate --format sarif|github|junit` and `--max-warnings`, as CI runs them: the bundled CLI
// (out/cli.cjs, built by `npm test`) on files in a temporary directory. SARIF is checked against the
// SARIF 2.1.0 schema that Microsoft's sarif-js-sdk ships (@microsoft/jest-sarif), JUnit with an XML parser.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTICS } from '../../src/language/diagnostic-codes.js';
import type { ReportedDiagnostic } from '../../src/cli/diagnostic-report.js';
import { escapeXml, formatGithub, formatJunit } from '../../src/cli/report-formats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BUNDLE = path.join(ROOT, 'out/cli.cjs');
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const require = createRequire(import.meta.url);
const SARIF_SCHEMA = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
// CommonJS packages whose module.exports is the class/plugin (that schema is draft-04: ajv 8 needs ajv-draft-04).
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

let workDir: string;

beforeAll(() => {
    if (!existsSync(CLI_BUNDLE)) throw new Error(`${CLI_BUNDLE} is missing: run "npm run build" first ("npm test" builds before testing).`);
    workDir = mkdtempSync(path.join(tmpdir(), 'sipflow-ci-formats-'));
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
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NO_COLOR: undefined, SIPFLOW_DEBUG: undefined },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function exampleWith(...replacements: Array<[string, string]>): string {
    let text = EXAMPLE;
    for (const [search, replacement] of replacements) {
        if (!text.includes(search)) throw new Error(`example does not contain ${search}`);
        text = text.replace(search, replacement);
    }
    return text;
}

/** The 1-based line and column of `search` in `text`. */
function positionOf(text: string, search: string): { line: number; column: number } {
    const offset = text.indexOf(search);
    if (offset < 0) throw new Error(`"${search}" is not in the text`);
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
}

// One error (e164-invalid) and one warning (e164-not-canonical), in a folder whose name needs escaping
// in URIs and in GitHub properties; and a clean file beside it.
const BROKEN = exampleWith(['did "+4570102222"', 'did "12"'], ['did "+4535551234"', 'did "+45 35 55 12 34"']);
const BROKEN_PATH = 'teams/sales, 100%/acme.sipflow';
const CLEAN_PATH = 'teams/other.sipflow';
const CLEAN = EXAMPLE.replace('integration acme', 'integration other');

function ciProject(name: string): string {
    return project(name, { [BROKEN_PATH]: BROKEN, [CLEAN_PATH]: CLEAN });
}

describe('sipflow validate --format sarif', () => {
    it('is valid SARIF 2.1.0 with our codes as rules, 1-based regions and relative URIs', () => {
        const dir = ciProject('sarif');
        const result = sipflow(['validate', '--format', 'sarif'], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe('1 error, 1 warning in 2 files\n');
        const log = JSON.parse(result.stdout) as Log;

        const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
        addFormats(ajv);
        const validate = ajv.compile(SARIF_SCHEMA);
        expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

        expect(log.version).toBe('2.1.0');
        expect(log.runs).toHaveLength(1);
        const [run] = log.runs;
        const rules = run.tool.driver.rules ?? [];
        const ruleIds = rules.map(rule => rule.id);
        for (const code of [...Object.keys(DIAGNOSTICS), 'parse-error']) expect(ruleIds).toContain(code);
        expect(rules.find(rule => rule.id === 'e164-invalid')?.defaultConfiguration?.level).toBe('error');
        expect(rules.find(rule => rule.id === 'queue-unused')?.defaultConfiguration?.level).toBe('note');
        expect(run.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe(`${pathToFileURL(dir).href}/`);

        const results = run.results ?? [];
        expect(results.map(r => [r.ruleId, r.level])).toEqual([
            ['e164-invalid', 'error'],
            ['e164-not-canonical', 'warning'],
        ]);
        for (const item of results) expect(ruleIds[item.ruleIndex!]).toBe(item.ruleId);
        const error = results[0];
        const at = positionOf(BROKEN, '"12"');
        expect(error.message.text).toContain('"12" is not a valid phone number');
        expect(error.locations?.[0]?.physicalLocation).toEqual({
            artifactLocation: { uri: 'teams/sales%2C%20100%25/acme.sipflow', uriBaseId: '%SRCROOT%' },
            region: { startLine: at.line, startColumn: at.column, endLine: at.line, endColumn: at.column + '"12"'.length },
        });
        // The relative URI resolves to the file against the base.
        const resolved = new URL(error.locations![0].physicalLocation!.artifactLocation!.uri!, run.originalUriBaseIds!['%SRCROOT%'].uri);
        expect(fileURLToPath(resolved)).toBe(path.join(dir, BROKEN_PATH));
    });

    it('is valid with no results for clean files', () => {
        const dir = project('sarif-clean', { 'acme.sipflow': EXAMPLE });
        const result = sipflow(['validate', '--format', 'sarif'], dir);
        expect(result.status).toBe(0);
        const log = JSON.parse(result.stdout) as Log;
        const ajv = new Ajv({ strict: false, unicodeRegExp: false });
        addFormats(ajv);
        expect(ajv.validate(SARIF_SCHEMA, log)).toBe(true);
        expect(log.runs[0].results).toEqual([]);
    });
});

describe('sipflow validate --format github', () => {
    it('prints one workflow command per diagnostic, with escaped properties', () => {
        const dir = ciProject('github');
        const result = sipflow(['validate', '--format', 'github'], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe('1 error, 1 warning in 2 files\n');
        const json = JSON.parse(sipflow(['validate', '--format', 'json'], dir).stdout) as ReportedDiagnostic[];
        const message = (code: string) => json.find(d => d.code === code)!.message;
        const warning = positionOf(BROKEN, '"+45 35 55 12 34"');
        const error = positionOf(BROKEN, '"12"');
        const file = 'teams/sales%2C 100%25/acme.sipflow';
        // GitHub's endColumn is inclusive: the last character of the quoted number.
        expect(result.stdout).toBe(
            `::error file=${file},line=${error.line},col=${error.column},endLine=${error.line},endColumn=${error.column + 3},title=sipflow e164-invalid::${message('e164-invalid')}\n` +
                `::warning file=${file},line=${warning.line},col=${warning.column},endLine=${warning.line},endColumn=${warning.column + 16},title=sipflow e164-not-canonical::${message('e164-not-canonical')}\n`,
        );
    });

    it('escapes %, CR and LF in messages, and also : and , in properties; infos and hints are notices', () => {
        const diagnostic = (severity: ReportedDiagnostic['severity'], message: string): ReportedDiagnostic => ({
            file: 'a:b,c.sipflow',
            range: { start: { line: 0, character: 0 }, end: { line: 1, character: 4 } },
            severity,
            code: 'queue-unused',
            message,
        });
        expect(formatGithub([diagnostic('hint', '100% done\r\nnext: a, b'), diagnostic('info', 'x')])).toBe(
            '::notice file=a%3Ab%2Cc.sipflow,line=1,col=1,endLine=2,endColumn=4,title=sipflow queue-unused::100%25 done%0D%0Anext: a, b\n' +
                '::notice file=a%3Ab%2Cc.sipflow,line=1,col=1,endLine=2,endColumn=4,title=sipflow queue-unused::x\n',
        );
    });

    it('prints nothing on stdout for clean files', () => {
        const dir = project('github-clean', { 'acme.sipflow': EXAMPLE });
        const result = sipflow(['validate', '--format', 'github'], dir);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe('0 errors, 0 warnings in 1 file\n');
    });
});

interface JunitCase {
    name: string;
    classname: string;
    failure?: { message: string; type: string; '#text': string };
    'system-out'?: string;
}
interface JunitSuite {
    name: string;
    tests: string;
    failures: string;
    testcase: JunitCase[];
}

function parseJunit(xml: string): { testsuites: { name: string; tests: string; failures: string; testsuite: JunitSuite[] } } {
    expect(XMLValidator.validate(xml)).toBe(true);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: name => name === 'testsuite' || name === 'testcase' });
    return parser.parse(xml) as ReturnType<typeof parseJunit>;
}

describe('sipflow validate --format junit', () => {
    it('has a testsuite per file and a failure per error', () => {
        const dir = ciProject('junit');
        const result = sipflow(['validate', '--format', 'junit'], dir);
        expect(result.status).toBe(1);
        expect(result.stderr).toBe('1 error, 1 warning in 2 files\n');
        const { testsuites } = parseJunit(result.stdout);
        expect(testsuites).toMatchObject({ name: 'sipflow validate', tests: '3', failures: '1' });
        const brokenFile = path.join('teams', 'sales, 100%', 'acme.sipflow');
        expect(testsuites.testsuite.map(s => [s.name, s.tests, s.failures])).toEqual([
            [path.join('teams', 'other.sipflow'), '1', '0'],
            [brokenFile, '2', '1'],
        ]);
        const [error, warning] = testsuites.testsuite[1].testcase;
        const at = positionOf(BROKEN, '"12"');
        expect(error.name).toBe(`${at.line}:${at.column} e164-invalid`);
        expect(error.classname).toBe(brokenFile);
        expect(error.failure?.type).toBe('e164-invalid');
        expect(error.failure?.message).toContain('"12" is not a valid phone number');
        expect(error.failure?.['#text']).toContain(`${brokenFile}:${at.line}:${at.column}: error e164-invalid: `);
        expect(warning.failure).toBeUndefined();
        expect(warning['system-out']).toContain('warning e164-not-canonical');
        expect(testsuites.testsuite[0].testcase).toEqual([{ name: 'valid', classname: path.join('teams', 'other.sipflow') }]);
    });

    it('escapes markup and drops characters XML cannot carry', () => {
        const message = 'a <b> & "c" \'d\' \u0000\u001b end';
        const xml = formatJunit(
            [
                {
                    file: 'x&y.sipflow',
                    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
                    severity: 'error',
                    code: 'parse-error',
                    message,
                },
            ],
            ['x&y.sipflow'],
        );
        const { testsuites } = parseJunit(xml);
        expect(testsuites.testsuite[0].name).toBe('x&y.sipflow');
        expect(testsuites.testsuite[0].testcase[0].failure?.message).toBe('a <b> & "c" \'d\' \uFFFD\uFFFD end');
        expect(escapeXml('\uD800 \uD83D\uDE00')).toBe('\uFFFD \uD83D\uDE00');
    });
});

describe('sipflow validate --max-warnings', () => {
    const warnings = exampleWith(['did "+4535551234"', 'did "+45 35 55 12 34"'], ['did "+4535555678"', 'did "+45 35 55 56 78"']);

    it('fails only when there are more warnings than allowed', () => {
        const dir = project('max-warnings', { 'acme.sipflow': warnings });
        expect(sipflow(['validate'], dir).status).toBe(0);
        expect(sipflow(['validate', '--max-warnings', '2'], dir).status).toBe(0);
        const over = sipflow(['validate', '--max-warnings', '1'], dir);
        expect(over.status).toBe(1);
        expect(over.stdout).toContain('0 errors, 2 warnings in 1 file');
        expect(over.stderr).toBe('sipflow: 2 warnings, more than --max-warnings 1 allows\n');
        const none = sipflow(['validate', '--max-warnings', '0', '--format', 'sarif'], dir);
        expect(none.status).toBe(1);
        expect((JSON.parse(none.stdout) as Log).runs[0].results).toHaveLength(2);
    });

    it.each(['-1', 'x', '1.5', ''])('refuses --max-warnings %j on one line', value => {
        const dir = project('max-warnings-bad', { 'acme.sipflow': EXAMPLE });
        const result = sipflow(['validate', '--max-warnings', value], dir);
        expect(result.status).not.toBe(0);
        expect(result.stdout).toBe('');
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/^sipflow: option '--max-warnings <n>' argument '.*' is invalid\. must be a whole number, 0 or more\n$/);
    });
});
