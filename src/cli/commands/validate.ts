import { Option, type Command } from 'commander';
import { ExitCode, stylesFor } from '../cli-support.js';
import { compareReported, formatSummary, formatText, toReported, type ReportedDiagnostic } from '../diagnostic-report.js';
import { INTERNAL_ERROR_CODE } from '../../language/diagnostic-codes.js';
import { findSipflowFiles, folderContext, loadWorkspace, NotRegularFileError } from '../workspace.js';

export type ValidateFormat = 'text' | 'json';

/** `sipflow validate [paths…] [--format text|json]`: parse, link and validate, report, exit 0/1/2. */
export function registerValidateCommand(program: Command): void {
    program
        .command('validate')
        .description('check .sipflow files and report their diagnostics (exit 0: no errors, 1: errors, 2: usage error)')
        .argument('[paths...]', '.sipflow files, or directories to search recursively (default: the current directory); a named file is checked together with the other .sipflow files in its folder')
        .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
        .action(async (paths: string[], options: { format: ValidateFormat }) => {
            process.exitCode = await validateCommand(paths.length > 0 ? paths : ['.'], options.format);
        });
}

export async function validateCommand(paths: readonly string[], format: ValidateFormat): Promise<ExitCode> {
    let workspace;
    let files;
    try {
        files = await findSipflowFiles(paths);
        // All files in one workspace: files of the same integration may reference each other's queues, also
        // when only one of them is named (the others in its folder are loaded as context, not reported).
        workspace = await loadWorkspace(files, { validation: true, context: await folderContext(files) });
    } catch (error) {
        if (!(error instanceof NotRegularFileError)) throw error;
        process.stderr.write(`sipflow: ${error.message}\n`);
        return ExitCode.Failure;
    }
    const diagnostics: ReportedDiagnostic[] = [];
    for (const { file, document } of workspace.documents) {
        for (const diagnostic of document.diagnostics ?? []) diagnostics.push(toReported(file.displayPath, diagnostic));
    }
    diagnostics.sort(compareReported);

    // A check that failed proves nothing about the file: say so on one line instead of counting it as a problem.
    const internal = diagnostics.find(d => d.code === INTERNAL_ERROR_CODE);
    if (internal) {
        process.stderr.write(`sipflow: internal error while checking ${internal.file}: ${internal.message.replace(/\s*\r?\n\s*/g, ' ')}\n`);
        return ExitCode.Failure;
    }

    const summary = formatSummary(diagnostics, files.length);
    if (format === 'json') {
        // stdout carries only the JSON array, so that it can be piped; the summary goes to stderr.
        process.stdout.write(`${JSON.stringify(diagnostics, null, 2)}\n`);
        process.stderr.write(`${summary}\n`);
    } else {
        const styles = stylesFor(process.stdout);
        const lines = diagnostics.map(d => formatText(d, styles));
        lines.push(styles.bold(summary));
        process.stdout.write(`${lines.join('\n')}\n`);
    }
    return diagnostics.some(d => d.severity === 'error') ? ExitCode.Failure : ExitCode.Ok;
}
