/**
 * The language's services without a language server: parser, scopes, linker, validation and the workspace.
 * The CLI builds these (createSipflowCoreServices), so that validate and plan load Langium's core alone,
 * not langium/lsp and vscode-languageserver (~850 KB of the bundle); sipflow-module.ts adds the editor's
 * services on top of the same modules.
 */
import {
    createDefaultCoreModule,
    createDefaultSharedCoreModule,
    inject,
    type DeepPartial,
    type DefaultSharedCoreModuleContext,
    type FileSystemProvider,
    type LangiumCoreServices,
    type LangiumSharedCoreServices,
    type Module,
    type PartialLangiumCoreServices,
} from 'langium';
import { SipflowGeneratedModule, SipflowGeneratedSharedModule } from './generated/module.js';
import { IncrementalDocumentFactory } from './incremental-parse.js';
import { ExportsOnlyIndexManager } from './references/exports-only-index-manager.js';
import { LazyReferenceIndexManager } from './references/lazy-reference-index-manager.js';
import { SipflowDocumentBuilder } from './references/sipflow-document-builder.js';
import { OneShotLinker, SipflowLinker } from './references/sipflow-linker.js';
import { SipflowQueues } from './references/sipflow-queues.js';
import { SipflowReferences } from './references/sipflow-references.js';
import { SipflowScopeComputation, SipflowScopeProvider } from './references/sipflow-scope.js';
import { SipflowWorkspaceManager } from './references/sipflow-workspace-manager.js';
import { SipflowLexerErrorMessageProvider, SipflowParserErrorMessageProvider } from './sipflow-parser-messages.js';
import { createSipflowParser } from './sipflow-parser.js';
import { SipflowValueConverter } from './sipflow-value-converter.js';
import { SipflowTokenBuilder } from './sipflow-token-builder.js';
import { SipflowDocumentValidator } from './validation/sipflow-document-validator.js';
import { SipflowValidationRegistry } from './validation/sipflow-validation-registry.js';
import { registerValidationChecks } from './validation/sipflow-validator.js';

/** Services the language adds to Langium's. */
export interface SipflowAddedServices {
    references: {
        SipflowQueues: SipflowQueues;
    };
}

/** What the language's own classes need: Langium's core services and SipflowQueues (a language server has more). */
export type SipflowCoreServices = LangiumCoreServices & SipflowAddedServices;

export const SipflowCoreModule: Module<SipflowCoreServices, PartialLangiumCoreServices & SipflowAddedServices> = {
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
        TokenBuilder: () => new SipflowTokenBuilder(),
        ValueConverter: () => new SipflowValueConverter(),
    },
    validation: {
        DocumentValidator: services => new SipflowDocumentValidator(services),
        ValidationRegistry: services => new SipflowValidationRegistry(services),
    },
};

export const SipflowSharedCoreModule: Module<LangiumSharedCoreServices, DeepPartial<LangiumSharedCoreServices>> = {
    workspace: {
        DocumentBuilder: services => new SipflowDocumentBuilder(services),
        LangiumDocumentFactory: services => new IncrementalDocumentFactory(services),
        IndexManager: services => new LazyReferenceIndexManager(services),
        WorkspaceManager: services => new SipflowWorkspaceManager(services),
    },
};

/** Shared services of a one-shot build (the CLI): no reference index (ExportsOnlyIndexManager). */
export const OneShotSharedModule: Module<LangiumSharedCoreServices, DeepPartial<LangiumSharedCoreServices>> = {
    workspace: {
        IndexManager: services => new ExportsOnlyIndexManager(services),
    },
};

/**
 * Language services of a one-shot build: one token of lookahead (Chevrotain's LL(k) strategy with k = 1
 * instead of Langium's ALL(*), whose ATN and decision analysis cost ~2.5% of a cold validate; the grammar is
 * LL(1), so both parse alike: test/language/ll1-parser.test.ts), references linked as the parser built them,
 * and validation keeps no per-block results for a next time. The editor keeps Langium's default, which its
 * completion parser configures for incomplete input.
 */
export const OneShotModule: Module<SipflowCoreServices, DeepPartial<SipflowCoreServices>> = {
    parser: {
        ParserConfig: () => ({ maxLookahead: 1 }),
    },
    references: {
        Linker: services => new OneShotLinker(services),
    },
    validation: {
        DocumentValidator: services => new SipflowDocumentValidator(services, { reuseBlocks: false }),
    },
};

export interface SipflowCoreServicesContext extends DefaultSharedCoreModuleContext {
    /**
     * A one-shot build, read once and thrown away (the CLI): skips what only an editor uses, the
     * reference index behind find references, rename and incremental relinking, and the validation
     * results kept per block for the next edit. Never for a language server or anything that calls
     * DocumentBuilder.update.
     */
    readonly forCli?: boolean;
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

/**
 * The language's services without a language server, for the CLI. `context.fileSystemProvider` decides
 * where workspace files come from (NodeFileSystem, or EmptyFileSystem in tests).
 */
export function createSipflowCoreServices(
    context: SipflowCoreServicesContext,
    overrides?: Module<SipflowCoreServices, DeepPartial<SipflowCoreServices>>,
): { shared: LangiumSharedCoreServices; Sipflow: SipflowCoreServices } {
    const { forCli, ...moduleContext } = context;
    const fromDisk = moduleContext.fileSystemProvider;
    const shared = inject(
        createDefaultSharedCoreModule({ ...moduleContext, fileSystemProvider: services => withoutByteOrderMarks(fromDisk(services)) }),
        SipflowGeneratedSharedModule,
        SipflowSharedCoreModule,
        forCli ? OneShotSharedModule : {},
    );
    const Sipflow = inject(
        createDefaultCoreModule({ shared }),
        SipflowGeneratedModule,
        SipflowCoreModule,
        forCli ? OneShotModule : {},
        (overrides ?? {}) as Module<SipflowCoreServices, DeepPartial<SipflowCoreServices>>,
    );
    shared.ServiceRegistry.register(Sipflow);
    registerValidationChecks(Sipflow);
    // Without a language server the workspace is never "initialized"; do it now so the index is usable.
    void shared.workspace.ConfigurationProvider.initialized({});
    return { shared, Sipflow };
}
