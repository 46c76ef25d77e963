import { inject, type DeepPartial, type LangiumSharedCoreServices, type Module } from 'langium';
import {
    createDefaultModule,
    createDefaultSharedModule,
    type DefaultSharedModuleContext,
    type LangiumServices,
    type LangiumSharedServices,
    type PartialLangiumServices,
} from 'langium/lsp';
import { SipflowGeneratedModule, SipflowGeneratedSharedModule } from './generated/module.js';
import { IncrementalDocumentFactory } from './incremental-parse.js';
import { ExportsOnlyIndexManager } from './references/exports-only-index-manager.js';
import { LazyReferenceIndexManager } from './references/lazy-reference-index-manager.js';
import { SipflowLinker } from './references/sipflow-linker.js';
import { SipflowWorkspaceManager } from './references/sipflow-workspace-manager.js';
import { SipflowQueues } from './references/sipflow-queues.js';
import { SipflowReferences } from './references/sipflow-references.js';
import { SipflowScopeComputation, SipflowScopeProvider } from './references/sipflow-scope.js';
import { SipflowDocumentValidator } from './validation/sipflow-document-validator.js';
import { registerValidationChecks } from './validation/sipflow-validator.js';
import { SipflowValidationRegistry } from './validation/sipflow-validation-registry.js';
import { SipflowLexerErrorMessageProvider, SipflowParserErrorMessageProvider } from './sipflow-parser-messages.js';
import { createSipflowParser } from './sipflow-parser.js';
import { SipflowCodeActionProvider } from './lsp/sipflow-code-action-provider.js';
import { SipflowCompletionProvider } from './lsp/sipflow-completion-provider.js';
import { SipflowDocumentSymbolProvider } from './lsp/sipflow-document-symbol-provider.js';
import { SipflowFoldingRangeProvider } from './lsp/sipflow-folding-range-provider.js';
import { SipflowFormatter } from './lsp/sipflow-formatter.js';
import { SipflowHoverProvider } from './lsp/sipflow-hover-provider.js';
import { SipflowNodeKindProvider } from './lsp/sipflow-node-kind-provider.js';
import { SipflowRenameProvider } from './lsp/sipflow-rename-provider.js';
import { SipflowSemanticTokenProvider } from './lsp/sipflow-semantic-token-provider.js';
import {
    RequestAwareDocumentBuilder,
    SipflowConfigurationProvider,
    SipflowDocumentUpdateHandler,
    SipflowLanguageServer,
    withoutByteOrderMarks,
} from './lsp/sipflow-language-server.js';

/** Services the language adds to Langium's. */
export interface SipflowAddedServices {
    references: {
        SipflowQueues: SipflowQueues;
    };
}

export type SipflowServices = LangiumServices & SipflowAddedServices;

export const SipflowModule: Module<SipflowServices, PartialLangiumServices & SipflowAddedServices> = {
    references: {
        SipflowQueues: services => new SipflowQueues(services),
        References: services => new SipflowReferences(services),
        ScopeComputation: services => new SipflowScopeComputation(services),
        ScopeProvider: services => new SipflowScopeProvider(services),
        Linker: services => new SipflowLinker(services),
    },
    parser: {
        LangiumParser: services => createSipflowParser(services),
        ParserErrorMessageProvider: () => new SipflowParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new SipflowLexerErrorMessageProvider(),
    },
    validation: {
        DocumentValidator: services => new SipflowDocumentValidator(services),
        ValidationRegistry: services => new SipflowValidationRegistry(services),
    },
    lsp: {
        CompletionProvider: services => new SipflowCompletionProvider(services),
        HoverProvider: services => new SipflowHoverProvider(services),
        CodeActionProvider: services => new SipflowCodeActionProvider(services),
        Formatter: () => new SipflowFormatter(),
        DocumentSymbolProvider: services => new SipflowDocumentSymbolProvider(services),
        FoldingRangeProvider: services => new SipflowFoldingRangeProvider(services),
        RenameProvider: services => new SipflowRenameProvider(services),
        SemanticTokenProvider: services => new SipflowSemanticTokenProvider(services),
    },
};

export const SipflowSharedModule: Module<LangiumSharedServices, DeepPartial<LangiumSharedServices>> = {
    workspace: {
        DocumentBuilder: services => new RequestAwareDocumentBuilder(services),
        LangiumDocumentFactory: services => new IncrementalDocumentFactory(services),
        IndexManager: services => new LazyReferenceIndexManager(services),
        WorkspaceManager: services => new SipflowWorkspaceManager(services),
        ConfigurationProvider: services => new SipflowConfigurationProvider(services),
    },
    lsp: {
        NodeKindProvider: () => new SipflowNodeKindProvider(),
        LanguageServer: services => new SipflowLanguageServer(services),
        DocumentUpdateHandler: services => new SipflowDocumentUpdateHandler(services),
    },
};

/** Shared services of a one-shot build (the CLI): no reference index (ExportsOnlyIndexManager). */
const OneShotSharedModule: Module<LangiumSharedServices, DeepPartial<LangiumSharedServices>> = {
    workspace: {
        IndexManager: services => new ExportsOnlyIndexManager(services),
    },
};

export interface SipflowServicesContext extends DefaultSharedModuleContext {
    /**
     * A one-shot build, read once and thrown away (the CLI): skips what only an editor uses, the
     * reference index behind find references, rename and incremental relinking. Never for a language
     * server or anything that calls DocumentBuilder.update.
     */
    readonly forCli?: boolean;
}

/**
 * Creates the shared and language services. `context.fileSystemProvider` decides where workspace files
 * come from: NodeFileSystem for the server and CLI, EmptyFileSystem for tests and the browser.
 */
export function createSipflowServices(
    context: SipflowServicesContext,
    overrides?: DeepPartial<SipflowServices>,
): {
    shared: LangiumSharedServices;
    Sipflow: SipflowServices;
} {
    const { forCli, ...moduleContext } = context;
    const fromDisk = moduleContext.fileSystemProvider;
    const shared = inject(
        createDefaultSharedModule({ ...moduleContext, fileSystemProvider: services => withoutByteOrderMarks(fromDisk(services)) }),
        SipflowGeneratedSharedModule,
        SipflowSharedModule,
        forCli ? OneShotSharedModule : {},
    );
    const Sipflow = inject(createDefaultModule({ shared }), SipflowGeneratedModule, SipflowModule, (overrides ?? {}) as Module<SipflowServices, DeepPartial<SipflowServices>>);
    shared.ServiceRegistry.register(Sipflow);
    registerValidationChecks(Sipflow);
    if (!context.connection) {
        // Without a language server the workspace is never "initialized"; do it now so the index is usable.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Sipflow };
}

export type { LangiumSharedCoreServices };
