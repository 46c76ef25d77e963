import { InvalidArgumentError, Option, type Command } from 'commander';
import { ExitCode, stylesFor, UsageError } from '../cli-support.js';
import { terminalOf, write } from '../output.js';
import { compareReported, formatSummary, formatText, severityTotals, toReported, type ReportedDiagnostic } from '../diagnostic-report.js';
import { formatGithub, formatJunit, formatSarif } from '../report-formats.js';
import { INTERNAL_ERROR_CODE } from '../../language/diagnostic-codes.js';
import { findSipflowFiles, folderContext, integrationOf, loadWorkspace, NotRegularFileError, type LoadedFile } from '../workspace.js';
import { diagnosticAppliesTo, environmentsOf } from '../../model/sources.js';
import { addEnvironmentOption, type EnvironmentOptions } from './shared-options.js';

export const VALIDATE_FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export interface ValidateOptions extends EnvironmentOptions {
    readonly format: ValidateFormat;
    /** Fail (exit 1) when there are more warnings than this. */
    readonly maxWarnings?: number;
}

function warningLimit(value: string): number {
    const limit = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(limit)) throw new InvalidArgumentError('must be a whole number, 0 or more');
    return limit;
}

/**
 * `sipflow validate [paths…] [--env NAME] [--format text|json|sarif|github|junit] [--max-warnings N]`:
 * parse, link and validate, report, exit 0/1. Without --env, the default configuration and every
 * environment's are checked; with it, the default's and that environment's.
 */
export function registerValidateCommand(program: Command): void {
    addEnvironmentOption(program.command('validate'))
        .description('check .sipflow files and report their diagnostics (exit 0: no errors, 1: errors or a usage error)')
        .argument(
            '[paths...]',
            '.sipflow files, or directories to search recursively (default: the current directory); a named file is checked and reported together with the other files of its integration in its folder',
        )
        .addOption(
            new Option('-f, --format <format>', 'output format (sarif: SARIF 2.1.0; github: workflow-command annotations; junit: JUnit XML)')
                .choices(VALIDATE_FORMATS)
                .default('text'),
        )
        .addOption(new Option('--max-warnings <n>', 'also fail (exit 1) when there are more than N warnings').argParser(warningLimit))
        .action(async (paths: string[], options: ValidateOptions) => {
            process.exitCode = await validateCommand(paths.length > 0 ? paths : ['.'], options);
        });
}

export async function validateCommand(paths: readonly string[], options: ValidateOptions): Promise<ExitCode> {
    const { format } = options;
    let workspace;
    let files;
    try {
        files = await findSipflowFiles(paths);
        // All files in one workspace: files of the same integration may reference each other's queues, also
        // when only one of them is named (the others in its folder are loaded as context, not reported).
        workspace = await loadWorkspace(files, { validation: true, context: await folderContext(files) });
    } catch (error) {
        // --format json keeps stdout one JSON document when validation cannot run (a usage error too).
        if (format === 'json') write('stdout', jsonFailure(error instanceof Error ? error.message : String(error)));
        if (!(error instanceof NotRegularFileError)) throw error;
        write('stderr', `sipflow: ${error.message}\n`);
        return ExitCode.Failure;
    }
    const environment = options.env;
    if (environment !== undefined) {
        const documents = workspace.documents.map(d => d.document);
        const declared = new Set(documents.flatMap(document => environmentsOf(document, documents)));
        if (!declared.has(environment)) {
            const known = [...declared].sort();
            const message = `--env ${environment}: no environment ${environment} in ${paths.join(' ')}${known.length > 0 ? ` (environments: ${known.join(', ')})` : ' (it declares none: environment NAME { … })'}`;
            if (format === 'json') write('stdout', jsonFailure(message));
            throw new UsageError(message);
        }
    }
    // A named file is reported with the other files of its integration (the scoping rule, as plan loads
    // them): an error in any of them blocks plan FILE, so validate FILE must show it too.
    const reported = new Map<string, LoadedFile>();
    for (const entry of workspace.documents) {
        for (const part of integrationOf(workspace, entry)) {
            if (!reported.has(part.file.absolutePath)) reported.set(part.file.absolutePath, part);
        }
    }
    files = [...reported.values()].map(entry => entry.file);
    const diagnostics: ReportedDiagnostic[] = [];
    for (const { file, document } of reported.values()) {
        for (const diagnostic of document.diagnostics ?? []) {
            if (environment === undefined || diagnosticAppliesTo(diagnostic, environment)) diagnostics.push(toReported(file.displayPath, diagnostic));
        }
    }
    diagnostics.sort(compareReported);

    // A check that failed proves nothing about the file: say so on one line instead of counting it as a problem.
    const internal = diagnostics.find(d => d.code === INTERNAL_ERROR_CODE);
    if (internal) {
        if (format === 'json') write('stdout', jsonFailure(`internal error while checking ${internal.file}`, [internal]));
        write('stderr', `sipflow: internal error while checking ${internal.file}: ${internal.message.replace(/\s*\r?\n\s*/g, ' ')}\n`);
        return ExitCode.Failure;
    }

    const summary = formatSummary(diagnostics, files.length);
    if (format === 'text') {
        const styles = stylesFor(terminalOf('stdout'));
        const lines = diagnostics.map(d => formatText(d, styles));
        lines.push(styles.bold(summary));
        write('stdout', `${lines.join('\n')}\n`);
    } else {
        // stdout carries only the report, so that it can be piped or uploaded; the summary goes to stderr.
        const report = {
            json: () => `${JSON.stringify(diagnostics, null, 2)}\n`,
            sarif: () => formatSarif(diagnostics),
            github: () => formatGithub(diagnostics),
            junit: () =>
                formatJunit(
                    diagnostics,
                    files.map(file => file.displayPath),
                ),
        }[format];
        write('stdout', report());
        write('stderr', `${summary}\n`);
    }
    const totals = severityTotals(diagnostics);
    if (options.maxWarnings !== undefined && totals.warning > options.maxWarnings) {
        write('stderr', `sipflow: ${totals.warning} warning${totals.warning === 1 ? '' : 's'}, more than --max-warnings ${options.maxWarnings} allows\n`);
        return ExitCode.Failure;
    }
    return totals.error > 0 ? ExitCode.Failure : ExitCode.Ok;
}

/** What `--format json` prints instead of the array when validation could not run: `{ error, diagnostics }`. */
function jsonFailure(error: string, diagnostics: readonly ReportedDiagnostic[] = []): string {
    return `${JSON.stringify({ error, diagnostics }, null, 2)}\n`;
}
