import type { Dirent, Stats } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, URI, type LangiumDocument } from 'langium';
import { SipflowError } from '../errors.js';
import type { SipflowFile } from '../language/generated/ast.js';
import { readDirectoryEntries, readTextFile, stat } from '../node-fs.js';
import { RegularFileSystem } from '../language/references/regular-file-system.js';
import { createSipflowCoreServices } from '../language/sipflow-core-module.js';
import { noteInputSize } from './young-generation.js';
import { UsageError } from './cli-support.js';

export const SIPFLOW_EXTENSION = '.sipflow';

/** A `.sipflow` file found on disk, named the way the user will recognise it in output. */
export interface SourceFile {
    /** The path as the user wrote it (or joined onto the directory they named). */
    readonly displayPath: string;
    readonly absolutePath: string;
}

/**
 * A named `.sipflow` path that is a FIFO, socket or device: opening it could block forever (a FIFO
 * waits for a writer), so it is refused before it is opened. Reported on one line, exit 1.
 */
export class NotRegularFileError extends SipflowError {
    constructor(message: string) {
        super('not-regular-file', message);
    }
}

/** What kind of non-regular file `info` is, for messages; undefined for a regular file or directory. */
function specialKind(info: Stats | Dirent): string | undefined {
    if (info.isFIFO()) return 'a FIFO (named pipe)';
    if (info.isSocket()) return 'a socket';
    if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
    return undefined;
}

function notRegular(displayPath: string, kind: string): NotRegularFileError {
    return new NotRegularFileError(`${displayPath}: is ${kind}, not a regular file; sipflow reads only regular .sipflow files`);
}

/**
 * Should this directory entry be read as a file? Regular files yes; FIFOs, sockets and devices, and
 * links to them, no: they are skipped, never opened. A link that cannot be followed (a loop) is kept,
 * so that reading it reports why it cannot be read.
 */
async function isRegularFile(entry: Dirent, absolutePath: string): Promise<boolean> {
    if (entry.isFile()) return true;
    if (!entry.isSymbolicLink()) return false;
    return stat(absolutePath).then(
        info => info.isFile(),
        () => true,
    );
}

/**
 * Expands command-line paths into the `.sipflow` files they denote: files as given (they must end in
 * .sipflow), directories searched recursively, skipping node_modules and dot-directories. The result
 * is sorted and without duplicates. Nonexistent paths, other files and empty selections are usage errors;
 * a named FIFO, socket or device is a NotRegularFileError (found in a directory, it is skipped).
 */
export async function findSipflowFiles(paths: readonly string[]): Promise<SourceFile[]> {
    const found = new Map<string, SourceFile>();
    const add = (displayPath: string) => {
        const absolutePath = path.resolve(displayPath);
        if (!found.has(absolutePath)) found.set(absolutePath, { displayPath, absolutePath });
    };
    for (const given of paths) {
        const info = await stat(given).catch((error: NodeJS.ErrnoException) => {
            throw new UsageError(error.code === 'ENOENT' ? `${given}: no such file or directory` : `${given}: cannot read (${error.code ?? error.message})`);
        });
        if (info.isDirectory()) {
            const files = await walk(given);
            // An empty selection is almost always a wrong path in a CI script: say so instead of passing.
            if (files.length === 0) throw new UsageError(`${given}: no ${SIPFLOW_EXTENSION} files in this directory`);
            files.forEach(add);
        } else if (path.extname(given) !== SIPFLOW_EXTENSION) {
            throw new UsageError(`${given}: not a ${SIPFLOW_EXTENSION} file`);
        } else if (!info.isFile()) {
            throw notRegular(given, specialKind(info) ?? 'not a file');
        } else {
            add(given);
        }
    }
    return [...found.values()].sort((a, b) => a.displayPath.localeCompare(b.displayPath));
}

async function walk(directory: string): Promise<string[]> {
    const entries = await readDirectoryEntries(directory).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`${directory}: cannot read directory (${error.code ?? error.message})`);
    });
    const files: string[] = [];
    for (const entry of entries) {
        const child = path.join(directory, entry.name);
        if (entry.isDirectory()) {
            // Dependencies and tool folders (.git, .vscode-test, …) never hold the user's integrations.
            if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
            for (const file of await walk(child)) files.push(file);
        } else if (entry.name.endsWith(SIPFLOW_EXTENSION) && (await isRegularFile(entry, child))) {
            files.push(child);
        }
    }
    return files;
}

/**
 * The regular `.sipflow` files directly in `folder` (FIFOs, sockets and devices are skipped unopened),
 * sorted by name.
 */
export async function regularSipflowFilesIn(folder: string): Promise<string[]> {
    const entries = await readDirectoryEntries(folder).catch(() => [] as Dirent[]);
    const files: string[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const absolutePath = path.join(folder, entry.name);
        if (entry.name.endsWith(SIPFLOW_EXTENSION) && (await isRegularFile(entry, absolutePath))) files.push(absolutePath);
    }
    return files;
}

/**
 * The other `.sipflow` files in the folders of `files`: the context a named file is checked in. Which
 * of them are parts of its integration the language decides after loading, by the one scoping rule
 * (src/language/references/integration-scope.ts; see `integrationOf`): files of another integration or
 * pulled files in the same folder change nothing, and subfolders are never read.
 */
export async function folderContext(files: readonly SourceFile[]): Promise<SourceFile[]> {
    const named = new Set(files.map(file => file.absolutePath));
    const context = new Map<string, SourceFile>();
    const folders = new Map(files.map(file => [path.dirname(file.absolutePath), path.dirname(file.displayPath)]));
    for (const [absoluteFolder, displayFolder] of folders) {
        for (const absolutePath of await regularSipflowFilesIn(absoluteFolder)) {
            if (named.has(absolutePath)) continue;
            context.set(absolutePath, { displayPath: path.join(displayFolder, path.basename(absolutePath)), absolutePath });
        }
    }
    return [...context.values()];
}

/** A source file with its built (parsed, linked, validated) document. */
export interface LoadedFile {
    readonly file: SourceFile;
    readonly document: LangiumDocument<SipflowFile>;
}

export interface LoadedWorkspace {
    readonly services: ReturnType<typeof createSipflowCoreServices>;
    /** Each source file with its built (parsed, linked, validated) document, in the order of `files`. */
    readonly documents: readonly LoadedFile[];
    /** The `context` files that could be read, built like the others. */
    readonly context: readonly LoadedFile[];
}

/**
 * The files of the integration `entry` declares: `entry` first, then its siblings by the scoping rule
 * (SipflowQueues.siblingsOf, which the language's checks use too), in URI order. What `validate FILE`
 * reports and `plan FILE` loads, so that they agree. A file without an integration is alone.
 */
export function integrationOf(workspace: LoadedWorkspace, entry: LoadedFile): LoadedFile[] {
    const integration = entry.document.parseResult.value.integration;
    if (!integration) return [entry];
    const byUri = new Map([...workspace.documents, ...workspace.context].map(loaded => [loaded.document.uri.toString(), loaded]));
    const siblings = workspace.services.Sipflow.references.SipflowQueues.siblingsOf(integration)
        .map(sibling => byUri.get(AstUtils.getDocument(sibling).uri.toString()))
        .filter((loaded): loaded is LoadedFile => loaded !== undefined);
    return [entry, ...siblings];
}

/**
 * Loads all files into one Langium workspace and builds them together, so that the queues one file
 * declares resolve in the other files of the same integration. `options.context` files are built too
 * but left out of `documents`; one that cannot be read is skipped (it is not what the user asked about).
 */
export async function loadWorkspace(files: readonly SourceFile[], options: { validation: boolean; context?: readonly SourceFile[] }): Promise<LoadedWorkspace> {
    const services = createSipflowCoreServices({ ...RegularFileSystem, forCli: true });
    const langiumDocuments = services.shared.workspace.LangiumDocuments;
    let inputBytes = 0;
    const load = async (file: SourceFile) => {
        // Checked again right before reading: the file may have been replaced since it was found.
        const info = await stat(file.absolutePath);
        if (!info.isFile()) throw notRegular(file.displayPath, specialKind(info) ?? 'not a file');
        noteInputSize((inputBytes += info.size));
        const text = await readTextFile(file.absolutePath);
        return langiumDocuments.createDocument(URI.file(file.absolutePath), text) as LangiumDocument<SipflowFile>;
    };
    const documents = [];
    for (const file of files) {
        const document = await load(file).catch((error: NodeJS.ErrnoException) => {
            if (error instanceof NotRegularFileError) throw error;
            throw new UsageError(`${file.displayPath}: cannot read (${error.code ?? error.message})`);
        });
        documents.push({ file, document });
    }
    const context: LoadedFile[] = [];
    for (const file of options.context ?? []) {
        const document = await load(file).catch(() => undefined);
        if (document) context.push({ file, document });
    }
    await services.shared.workspace.DocumentBuilder.build(
        [...documents, ...context].map(d => d.document),
        { validation: options.validation },
    );
    return { services, documents, context };
}
