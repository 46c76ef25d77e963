import {
    DefaultConfigurationProvider,
    type Cancellation,
    DocumentState,
    UriUtils,
    URI,
    type ConfigurationInitializedParams,
    type FileSystemProvider,
    type LangiumDocuments,
} from 'langium';
import { addCompletionHandler, DefaultDocumentUpdateHandler, DefaultLanguageServer, startLanguageServer, type LangiumSharedServices } from 'langium/lsp';
import { PositionEncodingKind, type FileSystemWatcher, type InitializeParams, type InitializeResult, type TextDocumentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SipflowDocumentBuilder } from '../references/sipflow-document-builder.js';
import { resolveCompletionItem } from './sipflow-completion-provider.js';
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
        // resolveProvider: queue items carry their documentation on completionItem/resolve (startSipflowLanguageServerHandlers).
        const completionProvider = result.capabilities.completionProvider && { ...result.capabilities.completionProvider, resolveProvider: true };
        return { ...result, capabilities: { ...result.capabilities, completionProvider, positionEncoding: PositionEncodingKind.UTF16 }, serverInfo: { ...SERVER_INFO } };
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
 * Within this long of the previous content change, a change is part of a burst (typing): its build waits
 * until the changes pause this long, so that a burst is built once, on its latest text. A change after a
 * pause is built at once. Langium's workspace lock already cancels a superseded build at its next
 * interruption point, but not inside the parse, which is not interruptible.
 */
export const BURST_QUIET_MS = 60;

/**
 * Watches only `.sipflow` files (Langium watches every file of the workspace), and finds the other files of an
 * integration when there is no workspace folder to scan: the first time a file outside every workspace folder
 * is opened, the `.sipflow` files next to it are loaded too (as `sipflow validate` reads a file's folder), so
 * queues declared in a sibling resolve. Only file watching is registered dynamically, and only where the client
 * offers it (Langium checks that). Coalesces a burst of content changes (BURST_QUIET_MS), and lets a request
 * wait until the latest change's build has reset the documents it changed (changesApplied), so that no
 * request reads an AST older than the text it was sent for.
 */
export class SipflowDocumentUpdateHandler extends DefaultDocumentUpdateHandler {
    private readonly fileSystem: FileSystemProvider;
    private readonly documents: LangiumDocuments;
    private readonly scannedFolders = new Set<string>();
    /** Content changes in arrival order: a change waits for the folder scan of an earlier one. */
    private pending: Promise<void> = Promise.resolve();
    /** Changed documents (and folders to scan) not handed to a build yet. */
    private readonly unbuilt = new Map<string, URI>();
    private readonly foldersToScan: URI[] = [];
    private burstTimer: ReturnType<typeof setTimeout> | undefined;
    private lastChangeAt = Number.NEGATIVE_INFINITY;
    /** Settles once the build of the latest handed-over changes has reset their documents. */
    private applied: Promise<void> = Promise.resolve();
    /** Settles `applied` of the update that is running, when it announces its changes. */
    private announceApplied: (() => void) | undefined;

    constructor(services: LangiumSharedServices) {
        super(services);
        this.fileSystem = services.workspace.FileSystemProvider;
        this.documents = services.workspace.LangiumDocuments;
        // Langium's update resets the changed documents, then notifies onUpdate listeners.
        this.documentBuilder.onUpdate(() => this.settleApplied());
        const builder = this.documentBuilder as Partial<RequestAwareDocumentBuilder>;
        if ('beforeRequest' in builder) builder.beforeRequest = () => this.changesApplied();
    }

    protected override getWatchers(): FileSystemWatcher[] {
        return [{ globPattern: '**/*.sipflow' }];
    }

    override didChangeContent(change: TextDocumentChangeEvent<TextDocument>): void {
        const uri = URI.parse(change.document.uri);
        this.unbuilt.set(uri.toString(), uri);
        const folder = this.folderToScan(uri);
        if (folder) this.foldersToScan.push(folder);
        const now = performance.now();
        const inBurst = now - this.lastChangeAt < BURST_QUIET_MS;
        this.lastChangeAt = now;
        clearTimeout(this.burstTimer);
        this.burstTimer = undefined;
        if (inBurst) this.burstTimer = setTimeout(() => this.buildChanges(), BURST_QUIET_MS);
        else this.buildChanges();
    }

    /**
     * Settles when every content change received so far is in the documents' state: the build that
     * handles it has reset them (to be rebuilt), so waiting for a document state means the new text's.
     * A change still waiting for its burst to end is built now: a request wants the latest text.
     */
    changesApplied(): Promise<void> {
        this.buildChanges();
        return this.applied;
    }

    /** Hands the changes received so far to one build (Langium's workspace lock cancels the running one). */
    private buildChanges(): void {
        clearTimeout(this.burstTimer);
        this.burstTimer = undefined;
        if (this.unbuilt.size === 0) return;
        const changed = [...this.unbuilt.values()];
        const folders = this.foldersToScan.splice(0);
        this.unbuilt.clear();
        let settle!: () => void;
        this.applied = new Promise<void>(resolve => (settle = resolve));
        this.pending = this.pending
            .then(async () => {
                const siblings = (await Promise.all(folders.map(folder => this.unloadedSiblings(folder)))).flat();
                await this.workspaceManager.ready;
                void this.workspaceLock.write(async token => {
                    this.settleApplied();
                    this.announceApplied = settle;
                    try {
                        await this.documentBuilder.update([...changed, ...siblings], [], token);
                    } finally {
                        this.settleApplied();
                    }
                });
            })
            .catch(error => {
                settle();
                console.error(`sipflow: could not update ${changed.map(uri => uri.toString()).join(', ')}:`, error);
            });
    }

    private settleApplied(): void {
        const announce = this.announceApplied;
        this.announceApplied = undefined;
        announce?.();
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

/**
 * The document builder of a language server: before a request waits for a document state, it waits until
 * the latest content changes are in the documents' state (SipflowDocumentUpdateHandler.changesApplied),
 * so that a request sent right after a change is answered from the new text, never from the AST of the old.
 */
export class RequestAwareDocumentBuilder extends SipflowDocumentBuilder {
    /** Set by the update handler of a language server; undefined without one (the CLI). */
    beforeRequest: (() => Promise<void>) | undefined = undefined;

    override waitUntil(state: DocumentState, cancelToken?: Cancellation.CancellationToken): Promise<void>;
    override waitUntil(state: DocumentState, uri?: URI, cancelToken?: Cancellation.CancellationToken): Promise<URI>;
    override async waitUntil(state: DocumentState, uriOrToken?: URI | Cancellation.CancellationToken, cancelToken?: Cancellation.CancellationToken): Promise<URI | void> {
        await this.beforeRequest?.();
        return super.waitUntil(state, uriOrToken as URI, cancelToken);
    }
}

/**
 * Langium's language server, with completion answered once the document's scopes are computed rather than
 * once it is linked (Langium's default): completion reads the queues in scope (SipflowScopeProvider), never a
 * resolved reference, and at 10,000 departments linking is most of what a completion right after a keystroke
 * would wait for. Hover and the rest keep Langium's states. Registering the handler again replaces Langium's.
 */
export function startSipflowLanguageServerHandlers(shared: LangiumSharedServices): void {
    startLanguageServer(shared);
    const connection = shared.lsp.Connection!;
    addCompletionHandler(connection, shared, DocumentState.ComputedScopes);
    // The documentation of queue items, from the item alone (resolveCompletionItem).
    connection.onCompletionResolve(resolveCompletionItem);
}
