/**
 * The machine-readable reports of `sipflow validate --format sarif|github|junit`, built from the same
 * ReportedDiagnostic list as the text and JSON reports (0-based LSP ranges, converted here).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import packageJson from '../../package.json' with { type: 'json' };
import { DIAGNOSTICS, INTERNAL_ERROR_CODE, PROBLEMS_CAPPED_CODE } from '../language/diagnostic-codes.js';
import { formatText, type ReportedDiagnostic, type SeverityName } from './diagnostic-report.js';

/** The published schema location of SARIF 2.1.0 (what GitHub code scanning and the SARIF viewers expect). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Our severities in SARIF: it has no `info` or `hint`, its `note` covers both. */
const SARIF_LEVELS: Readonly<Record<SeverityName, Result.level>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Codes outside DIAGNOSTICS that a report can still carry, with the severity they usually have. */
const EXTRA_RULES: ReadonlyArray<readonly [string, SeverityName]> = [
    ['parse-error', 'error'],
    [PROBLEMS_CAPPED_CODE, 'error'],
    [INTERNAL_ERROR_CODE, 'error'],
];

/**
 * A file's path relative to `root` with forward slashes, or undefined when it lies outside `root`
 * (reports name files as the user did: relative, or absolute when given so).
 */
function relativePosixPath(file: string, root: string): string | undefined {
    const relative = path.relative(root, path.resolve(root, file));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
}

/** A relative URI reference for a relative path: every segment percent-encoded (spaces, `#`, `%`…). */
function relativeUri(posixPath: string): string {
    return posixPath.split('/').map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0: one run of the `sipflow` driver whose rules are every diagnostic code (from
 * DIAGNOSTICS, plus parse-error and the capping/internal codes, plus any other code reported), results
 * with `ruleId` = the code and 1-based regions, and URIs relative to `%SRCROOT%` = `root`.
 */
export function formatSarif(diagnostics: readonly ReportedDiagnostic[], root: string = process.cwd()): string {
    const severities = new Map<string, SeverityName>([...Object.entries(DIAGNOSTICS), ...EXTRA_RULES]);
    for (const diagnostic of diagnostics) if (!severities.has(diagnostic.code)) severities.set(diagnostic.code, diagnostic.severity);
    const ruleIds = [...severities.keys()];
    const rules: ReportingDescriptor[] = ruleIds.map(id => ({
        id,
        name: id,
        defaultConfiguration: { level: SARIF_LEVELS[severities.get(id)!] },
    }));
    const results: Result[] = diagnostics.map(diagnostic => {
        const relative = relativePosixPath(diagnostic.file, root);
        const { start, end } = diagnostic.range;
        return {
            ruleId: diagnostic.code,
            ruleIndex: ruleIds.indexOf(diagnostic.code),
            level: SARIF_LEVELS[diagnostic.severity],
            message: { text: diagnostic.message },
            locations: [
                {
                    physicalLocation: {
                        artifactLocation:
                            relative === undefined ? { uri: pathToFileURL(path.resolve(root, diagnostic.file)).href } : { uri: relativeUri(relative), uriBaseId: '%SRCROOT%' },
                        // LSP and SARIF both count UTF-16 code units; SARIF's end column is exclusive, like LSP's.
                        region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
                    },
                },
            ],
            ...(diagnostic.hidden ? { properties: { hidden: diagnostic.hidden } } : {}),
        };
    });
    const log: Log = {
        $schema: SARIF_SCHEMA_URI,
        version: '2.1.0',
        runs: [
            {
                tool: { driver: { name: 'sipflow', version: packageJson.version, semanticVersion: packageJson.version, rules } },
                // A trailing slash: relative URIs resolve inside the folder, not next to it.
                originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}` } },
                columnKind: 'utf16CodeUnits',
                results,
            },
        ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
}

/** GitHub's escaping of a workflow command's message (actions/toolkit `escapeData`). */
function escapeGithubData(text: string): string {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a workflow command's property values (actions/toolkit `escapeProperty`). */
function escapeGithubProperty(text: string): string {
    return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMANDS: Readonly<Record<SeverityName, string>> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * GitHub Actions workflow commands, one line per diagnostic:
 * `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=sipflow CODE::MESSAGE` (`::warning`, and
 * `::notice` for infos and hints). Paths are relative to `root`, as GitHub resolves them against the checkout.
 */
export function formatGithub(diagnostics: readonly ReportedDiagnostic[], root: string = process.cwd()): string {
    return diagnostics
        .map(diagnostic => {
            const { start, end } = diagnostic.range;
            const properties: Array<[string, string | number]> = [
                ['file', relativePosixPath(diagnostic.file, root) ?? diagnostic.file],
                ['line', start.line + 1],
                ['col', start.character + 1],
                ['endLine', end.line + 1],
                // GitHub's endColumn is inclusive.
                ['endColumn', Math.max(end.character, start.character + 1)],
                ['title', `sipflow ${diagnostic.code}`],
            ];
            const list = properties.map(([name, value]) => `${name}=${escapeGithubProperty(String(value))}`).join(',');
            return `::${GITHUB_COMMANDS[diagnostic.severity]} ${list}::${escapeGithubData(diagnostic.message)}\n`;
        })
        .join('');
}

/** XML 1.0 text and attribute escaping; characters XML 1.0 cannot carry at all are replaced by U+FFFD. */
export function escapeXml(text: string): string {
    return (
        text
            // Exactly the characters XML 1.0 forbids: C0 controls but tab/newline/return, U+FFFE/F, lone surrogates.
            .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;')
            .replace(/'/g, '&apos;')
            // Attribute values normalise raw newlines and tabs to spaces; keep them as written.
            .replace(/\n/g, '&#10;')
            .replace(/\r/g, '&#13;')
            .replace(/\t/g, '&#9;')
    );
}

const PLAIN = { bold: String, dim: String, red: String, green: String, yellow: String, blue: String, cyan: String } as const;

/**
 * JUnit XML: a `testsuite` per checked file (in `files` order), a `testcase` per diagnostic (named
 * `LINE:COL CODE`), with a `failure` for each error; warnings, infos and hints pass and carry their text
 * in `system-out`. A file without diagnostics has one passing testcase, `valid`.
 */
export function formatJunit(diagnostics: readonly ReportedDiagnostic[], files: readonly string[]): string {
    const byFile = new Map<string, ReportedDiagnostic[]>(files.map(file => [file, []]));
    for (const diagnostic of diagnostics) {
        const list = byFile.get(diagnostic.file);
        if (list) list.push(diagnostic);
        else byFile.set(diagnostic.file, [diagnostic]);
    }
    const attributes = (values: Record<string, string | number>) =>
        Object.entries(values)
            .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
            .join('');
    const suites: string[] = [];
    let totalTests = 0;
    let totalFailures = 0;
    for (const [file, fileDiagnostics] of byFile) {
        const cases: string[] = [];
        let failures = 0;
        if (fileDiagnostics.length === 0) cases.push(`    <testcase${attributes({ name: 'valid', classname: file })}/>`);
        for (const diagnostic of fileDiagnostics) {
            const { line, character } = diagnostic.range.start;
            const head = `    <testcase${attributes({ name: `${line + 1}:${character + 1} ${diagnostic.code}`, classname: file })}>`;
            const text = escapeXml(formatText(diagnostic, PLAIN));
            if (diagnostic.severity === 'error') {
                failures++;
                cases.push(`${head}\n      <failure${attributes({ message: diagnostic.message, type: diagnostic.code })}>${text}</failure>\n    </testcase>`);
            } else {
                cases.push(`${head}\n      <system-out>${text}</system-out>\n    </testcase>`);
            }
        }
        const tests = Math.max(fileDiagnostics.length, 1);
        totalTests += tests;
        totalFailures += failures;
        suites.push(`  <testsuite${attributes({ name: file, tests, failures, errors: 0, skipped: 0 })}>\n${cases.join('\n')}\n  </testsuite>`);
    }
    const head = `<testsuites${attributes({ name: 'sipflow validate', tests: totalTests, failures: totalFailures, errors: 0 })}>`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.join('\n')}\n</testsuites>\n`;
}
