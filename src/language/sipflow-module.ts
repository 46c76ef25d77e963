/**
 * The language's services for an editor: sipflow-core-module.ts's, plus the language server's (completion,
 * hover, code actions, formatting, symbols, folding, rename, semantic tokens) and a document builder that
 * answers requests from the latest text. The CLI's validate and plan use the core services alone.
 */
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
import {
    OneShotModule,
    OneShotSharedModule,
    SipflowCoreModule,
    SipflowSharedCoreModule,
    withoutByteOrderMarks,
    type SipflowAddedServices,
    type SipflowCoreServicesContext,
} from './sipflow-core-module.js';
import { registerValidationChecks } from './validation/sipflow-validator.js';
import { SipflowCodeActionProvider } from './lsp/sipflow-code-action-provider.js';
import { SipflowCompletionProvider } from './lsp/sipflow-completion-provider.js';
import { SipflowDocumentSymbolProvider } from './lsp/sipflow-document-symbol-provider.js';
import { SipflowFoldingRangeProvider } from './lsp/sipflow-folding-range-provider.js';
import { SipflowFormatter } from './lsp/sipflow-formatter.js';
import { SipflowHoverProvider } from './lsp/sipflow-hover-provider.js';
import { SipflowNodeKindProvider } from './lsp/sipflow-node-kind-provider.js';
import { SipflowRenameProvider } from './lsp/sipflow-rename-provider.js';
import { SipflowSemanticTokenProvider } from './lsp/sipflow-semantic-token-provider.js';
import { RequestAwareDocumentBuilder, SipflowConfigurationProvider, SipflowDocumentUpdateHandler, SipflowLanguageServer } from './lsp/sipflow-language-server.js';

export type { SipflowAddedServices, SipflowCoreServices } from './sipflow-core-module.js';

export type SipflowServices = LangiumServices & SipflowAddedServices;

export const SipflowModule: Module<SipflowServices, PartialLangiumServices & SipflowAddedServices> = {
    ...(SipflowCoreModule as Module<SipflowServices, PartialLangiumServices & SipflowAddedServices>),
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
        ...(SipflowSharedCoreModule.workspace as Module<LangiumSharedServices, DeepPartial<LangiumSharedServices>>['workspace']),
        DocumentBuilder: services => new RequestAwareDocumentBuilder(services),
        ConfigurationProvider: services => new SipflowConfigurationProvider(services),
    },
    lsp: {
        NodeKindProvider: () => new SipflowNodeKindProvider(),
        LanguageServer: services => new SipflowLanguageServer(services),
        DocumentUpdateHandler: services => new SipflowDocumentUpdateHandler(services),
    },
};

export interface SipflowServicesContext extends DefaultSharedModuleContext, Pick<SipflowCoreServicesContext, 'forCli'> {}

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
        (forCli ? OneShotSharedModule : {}) as Module<LangiumSharedServices, DeepPartial<LangiumSharedServices>>,
    );
    const Sipflow = inject(
        createDefaultModule({ shared }),
        SipflowGeneratedModule,
        SipflowModule,
        (forCli ? OneShotModule : {}) as Module<SipflowServices, DeepPartial<SipflowServices>>,
        (overrides ?? {}) as Module<SipflowServices, DeepPartial<SipflowServices>>,
    );
    shared.ServiceRegistry.register(Sipflow);
    registerValidationChecks(Sipflow);
    if (!context.connection) {
        // Without a language server the workspace is never "initialized"; do it now so the index is usable.
        void shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Sipflow };
}

export type { LangiumSharedCoreServices };
