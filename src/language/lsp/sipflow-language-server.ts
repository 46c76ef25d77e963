import {
    DefaultConfigurationProvider,
    UriUtils,
    URI,
    type ConfigurationInitializedParams,
    type FileSystemProvider,
    type LangiumDocuments,
} from 'langium';
import { DefaultDocumentUpdateHandler, DefaultLanguageServer, type LangiumSharedServices } from 'langium/lsp';
import {
    PositionEncodingKind,
    type FileSystemWatcher,
    type InitializeParams,
    type InitializeResult,
    type TextDocumentChangeEvent,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../../../package.json' with { type: 'json' };

/** What the server calls itself in the initialize result (editors show it in their LSP info views). */
export const SERVER_INFO = { name: 'sipflow', version: packageJson.version } as const;

/**
 * The initialize result names the server and states the position encoding: UTF-16, the only one the server
 * speaks (the LSP default; said explicitly because Helix and Neovim offer UTF-8 first).
 */
export class SipflowLanguageServer extends DefaultLanguageServer {
    protected override buildInitializeResult(params: InitializeParams): InitializeResult {
        const result = super.buildInitializeResult(params);
        return { ...result, capabilities: { ...result.capabilities, positionEncoding: PositionEncodingKind.UTF16 }, serverInfo: { ...SERVER_INFO } };
    }
}

/**
 * Langium registers `workspace/didChangeConfiguration` dynamically whenever the client can answer
 * `workspace/configuration`; a client that did not offer dynamic registration for it (Neovim 0.7, eglot)
 * rejects or logs that request. Register only where the client offered it; the configuration is still fetched.
 */
export class SipflowConfigurationProvider extends DefaultConfigurationProvider {
    private canRegisterChangeNotification = false;

    override initialize(params: InitializeParams): void {
        super.initialize(params);
        this.canRegisterChangeNotification = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    }

    override initialized(params: ConfigurationInitializedParams): Promise<void> {
        if (this.canRegisterChangeNotification) return super.initialized(params);
        const { register: _notOffered, ...withoutRegistration } = params;
        return super.initialized(withoutRegistration);
    }
}

/**
 * Watches only `.sipflow` files (Langium watches every file of the workspace), and finds the other files of an
 * integration when there is no workspace folder to scan: the first time a file outside every workspace folder
 * is opened, the `.sipflow` files next to it are loaded too (as `sipflow validate` reads a file's folder), so
 * queues declared in a sibling resolve. Only file watching is registered dynamically, and only where the client
 * offers it (Langium checks that).
 */
export class SipflowDocumentUpdateHandler extends DefaultDocumentUpdateHandler {
    private readonly fileSystem: FileSystemProvider;
    private readonly documents: LangiumDocuments;
    private readonly scannedFolders = new Set<string>();
    /** Content changes in arrival order: a change waits for the folder scan of an earlier one. */
    private pending: Promise<void> = Promise.resolve();

    constructor(services: LangiumSharedServices) {
        super(services);
        this.fileSystem = services.workspace.FileSystemProvider;
        this.documents = services.workspace.LangiumDocuments;
    }

    protected override getWatchers(): FileSystemWatcher[] {
        return [{ globPattern: '**/*.sipflow' }];
    }

    override didChangeContent(change: TextDocumentChangeEvent<TextDocument>): void {
        const uri = URI.parse(change.document.uri);
        const folder = this.folderToScan(uri);
        this.pending = this.pending
            .then(async () => this.fireDocumentUpdate([uri, ...(folder ? await this.unloadedSiblings(folder) : [])], []))
            .catch(error => console.error(`sipflow: could not update ${uri.toString()}:`, error));
    }

    /** The folder of `uri` if it is on disk, not scanned yet and outside every workspace folder (those are scanned at start-up). */
    private folderToScan(uri: URI): URI | undefined {
        if (uri.scheme !== 'file') return undefined;
        const folder = UriUtils.dirname(uri);
        const key = folder.toString();
        if (this.scannedFolders.has(key)) return undefined;
        this.scannedFolders.add(key);
        const workspaceFolders = this.workspaceManager.workspaceFolders ?? [];
        return workspaceFolders.some(workspaceFolder => UriUtils.contains(URI.parse(workspaceFolder.uri), folder)) ? undefined : folder;
    }

    private async unloadedSiblings(folder: URI): Promise<URI[]> {
        const entries = await this.fileSystem.readDirectory(folder).catch(() => []);
        return entries
            .filter(entry => entry.isFile && !UriUtils.basename(entry.uri).startsWith('.') && this.serviceRegistry.hasServices(entry.uri))
            .map(entry => entry.uri)
            .filter(sibling => !this.documents.hasDocument(sibling));
    }
}

/** A file system whose text files lose a leading UTF-8 byte order mark, which editors hide: with it, every column of a file's first line read from disk would be one off. */
export function withoutByteOrderMarks(fileSystem: FileSystemProvider): FileSystemProvider {
    const strip = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return {
        stat: uri => fileSystem.stat(uri),
        statSync: uri => fileSystem.statSync(uri),
        exists: uri => fileSystem.exists(uri),
        existsSync: uri => fileSystem.existsSync(uri),
        readBinary: uri => fileSystem.readBinary(uri),
        readBinarySync: uri => fileSystem.readBinarySync(uri),
        readFile: async uri => strip(await fileSystem.readFile(uri)),
        readFileSync: uri => strip(fileSystem.readFileSync(uri)),
        readDirectory: uri => fileSystem.readDirectory(uri),
        readDirectorySync: uri => fileSystem.readDirectorySync(uri),
    };
}
