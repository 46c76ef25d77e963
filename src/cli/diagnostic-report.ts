import type { Diagnostic } from 'vscode-languageserver-types';
import type { Styles } from './cli-support.js';
import { hiddenProblemsOf, type HiddenProblems } from '../language/validation/sipflow-document-validator.js';

export type SeverityName = 'error' | 'warning' | 'info' | 'hint';

/** One diagnostic as `sipflow validate --format json` prints it: 0-based LSP positions. */
export interface ReportedDiagnostic {
    readonly file: string;
    readonly range: {
        readonly start: { readonly line: number; readonly character: number };
        readonly end: { readonly line: number; readonly character: number };
    };
    readonly severity: SeverityName;
    readonly code: string;
    readonly message: string;
    /** Only on `problems-capped`: how many problems of each severity it stands for. */
    readonly hidden?: HiddenProblems;
    /** Only on a finding of environments' configurations (`environment NAME { … }`): which ones. */
    readonly environments?: readonly string[];
}

/** LSP DiagnosticSeverity (1–4) → name. Langium always sets a severity; default to error to be safe. */
const SEVERITY_NAMES: Readonly<Record<number, SeverityName>> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

/** The codes Langium gives lexer/parser problems (in `data.code`), all reported as `parse-error`. */
const LANGIUM_PARSE_CODES = new Set(['lexing-error', 'lexing-warning', 'lexing-info', 'lexing-hint', 'parsing-error']);

/**
 * The stable code of a diagnostic. Validators set `code`; Langium's built-in lexer, parser and linker
 * diagnostics carry theirs only in `data.code`.
 */
export function diagnosticCode(diagnostic: Diagnostic): string {
    const builtIn = (diagnostic.data as { code?: unknown } | undefined)?.code;
    const code = diagnostic.code ?? (typeof builtIn === 'string' ? builtIn : undefined);
    if (code === undefined) return 'unknown';
    return LANGIUM_PARSE_CODES.has(String(code)) ? 'parse-error' : String(code);
}

export function toReported(file: string, diagnostic: Diagnostic): ReportedDiagnostic {
    const { start, end } = diagnostic.range;
    const hidden = hiddenProblemsOf(diagnostic);
    const environments = (diagnostic.data as { environments?: unknown } | undefined)?.environments;
    return {
        file,
        range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
        severity: SEVERITY_NAMES[diagnostic.severity ?? 1] ?? 'error',
        code: diagnosticCode(diagnostic),
        // LSP 3.18 allows markup messages; the language only produces plain strings.
        message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value,
        ...(hidden ? { hidden } : {}),
        ...(Array.isArray(environments) ? { environments: environments.map(String) } : {}),
    };
}

/** Stable output order: by file, then position, then code. */
export function compareReported(a: ReportedDiagnostic, b: ReportedDiagnostic): number {
    return a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

/** `file:line:col: severity code: message`, 1-based like a compiler; messages are kept on one line. */
export function formatText(diagnostic: ReportedDiagnostic, styles: Styles): string {
    const location = `${diagnostic.file}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
    const paint = { error: styles.red, warning: styles.yellow, info: styles.blue, hint: styles.dim }[diagnostic.severity];
    const message = diagnostic.message.replace(/\s*\r?\n\s*/g, ' ');
    return `${styles.bold(location)}: ${paint(diagnostic.severity)} ${styles.dim(diagnostic.code)}: ${message}`;
}

/** How many problems of each severity: a `problems-capped` diagnostic counts as the problems it stands for. */
export function severityTotals(diagnostics: readonly ReportedDiagnostic[]): Record<SeverityName, number> {
    const totals: Record<SeverityName, number> = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const diagnostic of diagnostics) {
        if (diagnostic.hidden) {
            for (const severity of Object.keys(totals) as SeverityName[]) totals[severity] += diagnostic.hidden[severity];
        } else {
            totals[diagnostic.severity]++;
        }
    }
    return totals;
}

/**
 * `2 errors, 1 warning in 3 files` (infos and hints are added only when there are some). The real
 * totals: a `problems-capped` diagnostic counts as the problems it stands for.
 */
export function formatSummary(diagnostics: readonly ReportedDiagnostic[], fileCount: number): string {
    const totals = severityTotals(diagnostics);
    const count = (severity: SeverityName) => totals[severity];
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
    if (count('info') > 0) parts.push(plural(count('info'), 'info'));
    if (count('hint') > 0) parts.push(plural(count('hint'), 'hint'));
    return `${parts.join(', ')} in ${plural(fileCount, 'file')}`;
}
