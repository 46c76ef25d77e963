import { readFile, stat, writeFile } from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import { EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import { Option, type Command } from 'commander';
import { ExitCode, UsageError } from '../cli-support.js';
import { createSipflowServices } from '../../language/sipflow-module.js';
import { findSipflowFiles, NotRegularFileError, type SourceFile } from '../workspace.js';

interface FmtOptions {
    readonly check?: boolean;
    readonly diff?: boolean;
}

/**
 * `sipflow fmt [--check] [--diff] [paths…]`: the editor's formatter over files on disk, like `terraform fmt`.
 * Lists the files it rewrote (or, with --check, would rewrite, writing nothing); exit 1 when --check finds
 * one, or when a file cannot be parsed (it is left alone: formatting a broken file could lose text).
 */
export function registerFmtCommand(program: Command): void {
    program
        .command('fmt')
        .description("rewrite .sipflow files in the canonical layout (the editor's Format Document)")
        .argument('[paths...]', '.sipflow files, or directories to search recursively (default: the current directory)')
        .addOption(new Option('--check', 'write nothing; list the files that are not formatted and exit 1 if there are any'))
        .addOption(new Option('--diff', 'also print the changes as a unified diff'))
        .action(async (paths: string[], options: FmtOptions) => {
            process.exitCode = await fmtCommand(paths.length > 0 ? paths : ['.'], options);
        });
}

/** The outcome of formatting one file's text. */
type Formatted = { readonly kind: 'formatted'; readonly text: string } | { readonly kind: 'unparseable'; readonly position: string; readonly message: string };

export async function fmtCommand(paths: readonly string[], options: FmtOptions): Promise<ExitCode> {
    const files = await findSipflowFiles(paths).catch((error: unknown) => {
        if (error instanceof NotRegularFileError) throw new UsageError(error.message);
        throw error;
    });
    const services = createSipflowServices(EmptyFileSystem);
    let failed = false;
    for (const file of files) {
        const original = await readSource(file);
        const result = await formatText(services, file, original);
        if (result.kind === 'unparseable') {
            process.stderr.write(`sipflow: ${file.displayPath}:${result.position}: not formatted, it does not parse: ${result.message}\n`);
            failed = true;
            continue;
        }
        if (result.text === original) continue;
        process.stdout.write(`${file.displayPath}\n`);
        if (options.diff) process.stdout.write(createTwoFilesPatch(`a/${file.displayPath}`, `b/${file.displayPath}`, original, result.text, undefined, undefined, { context: 3 }));
        if (options.check) {
            failed = true;
        } else {
            await writeFile(file.absolutePath, result.text, 'utf8').catch((error: NodeJS.ErrnoException) => {
                throw new UsageError(`${file.displayPath}: cannot write (${error.code ?? error.message})`);
            });
        }
    }
    return failed ? ExitCode.Failure : ExitCode.Ok;
}

async function readSource(file: SourceFile): Promise<string> {
    try {
        // Checked again right before reading: a FIFO would block the read forever.
        if (!(await stat(file.absolutePath)).isFile()) throw new UsageError(`${file.displayPath}: not a regular file`);
        return await readFile(file.absolutePath, 'utf8');
    } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`${file.displayPath}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
}

/** Formats like the language server's Format Document: parse, then the registered formatter's edits. */
async function formatText(services: ReturnType<typeof createSipflowServices>, file: SourceFile, text: string): Promise<Formatted> {
    const { shared, Sipflow } = services;
    const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.file(file.absolutePath)) as LangiumDocument;
    const { lexerErrors, parserErrors } = document.parseResult;
    // Chevrotain's positions are 1-based: lexer errors carry line/column, parser errors their token's.
    const lexerError = lexerErrors[0];
    const parserError = parserErrors[0];
    if (lexerError !== undefined || parserError !== undefined) {
        const position = lexerError !== undefined ? `${lexerError.line ?? '?'}:${lexerError.column ?? '?'}` : positionOfToken(parserError!, text);
        const message = (lexerError ?? parserError!).message.replace(/\s*\r?\n\s*/g, ' ');
        return { kind: 'unparseable', position, message };
    }
    const formatter = Sipflow.lsp.Formatter;
    if (!formatter) throw new Error('the formatter is not registered');
    shared.workspace.LangiumDocuments.addDocument(document);
    try {
        await shared.workspace.DocumentBuilder.build([document], { validation: false });
        const edits = await formatter.formatDocument(document, { textDocument: { uri: document.uri.toString() }, options: { tabSize: 2, insertSpaces: true } });
        return { kind: 'formatted', text: TextDocument.applyEdits(document.textDocument, edits) };
    } finally {
        shared.workspace.LangiumDocuments.deleteDocument(document.uri);
    }
}

/** `line:column` (1-based) of a parser error's token; an error at the end of the input is placed there. */
function positionOfToken(error: { token?: { startLine?: number; startColumn?: number } }, text: string): string {
    const line = error.token?.startLine;
    const column = error.token?.startColumn;
    if (line !== undefined && line >= 1 && column !== undefined && column >= 1) return `${line}:${column}`;
    const lines = text.split(/\r?\n/);
    return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}
