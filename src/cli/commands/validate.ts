import { Option, type Command } from 'commander';
import { ExitCode, stylesFor } from '../cli-support.js';
import { compareReported, formatSummary, formatText, toReported, type ReportedDiagnostic } from '../diagnostic-report.js';
import { findSipflowFiles, folderContext, loadWorkspace } from '../workspace.js';

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
    const files = await findSipflowFiles(paths);
    // All files in one workspace: files of the same integration may reference each other's queues, also
    // when only one of them is named (the others in its folder are loaded as context, not reported).
    const workspace = await loadWorkspace(files, { validation: true, context: await folderContext(files) });
    const diagnostics: ReportedDiagnostic[] = workspace.documents
        .flatMap(({ file, document }) => (document.diagnostics ?? []).map(d => toReported(file.displayPath, d)))
        .sort(compareReported);

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
