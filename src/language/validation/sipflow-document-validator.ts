import { DefaultDocumentValidator, DocumentValidator, type LangiumDocument, type ValidationOptions } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isIntegration, type Queue } from '../generated/ast.js';
import type { SipflowServices } from '../sipflow-module.js';

/** Langium's own problem kinds, given the stable codes LANGUAGE.md and `sipflow validate` promise. */
const BUILT_IN_CODES: Readonly<Record<string, string>> = {
    [DocumentValidator.LexingError]: 'parse-error',
    [DocumentValidator.ParsingError]: 'parse-error',
    [DocumentValidator.LinkingError]: 'linking-error',
};

/**
 * Gives lexer, parser and linker diagnostics a `code`, and rewrites unresolved queue references into a
 * message that says what to write instead.
 */
export class SipflowDocumentValidator extends DefaultDocumentValidator {
    constructor(private readonly sipflowServices: SipflowServices) {
        super(sipflowServices);
    }

    override async validateDocument(document: LangiumDocument, options?: ValidationOptions, cancelToken?: CancellationToken): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        for (const diagnostic of diagnostics) {
            const kind = (diagnostic.data as { code?: string } | undefined)?.code;
            if (diagnostic.code === undefined && kind !== undefined && BUILT_IN_CODES[kind]) {
                diagnostic.code = BUILT_IN_CODES[kind];
            }
        }
        this.explainUnresolvedQueues(document, diagnostics);
        return diagnostics;
    }

    private explainUnresolvedQueues(document: LangiumDocument, diagnostics: Diagnostic[]): void {
        const integration = (document.parseResult.value as { integration?: unknown }).integration;
        if (!isIntegration(integration)) return;
        let known: readonly Queue[] | undefined;
        for (const diagnostic of diagnostics) {
            const data = diagnostic.data as { code?: string; refText?: string; containerType?: string } | undefined;
            if (diagnostic.code !== 'linking-error' || data?.refText === undefined) continue;
            known ??= this.sipflowServices.references.SipflowQueues.queuesOf(integration);
            const names = known.map(queue => queue.name);
            const suggestion = names.length > 0 ? ` or use one of: ${names.join(', ')}` : '';
            diagnostic.message = `No queue named ${data.refText}: declare "queue ${data.refText} { name "…" did "+…" }"${suggestion}.`;
        }
    }
}
