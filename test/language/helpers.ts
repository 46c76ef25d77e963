import { EmptyFileSystem, type LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const services = createSipflowServices(EmptyFileSystem);
const parse = parseHelper<SipflowFile>(services.Sipflow);

export const EXAMPLE = readFileSync(fileURLToPath(new URL('../../examples/acme.sipflow', import.meta.url)), 'utf8');

/** Parses, links and validates a document; the returned document is removed from the workspace on the next call. */
let previous: LangiumDocument<SipflowFile> | undefined;
export async function validate(text: string): Promise<{ document: LangiumDocument<SipflowFile>; diagnostics: Diagnostic[] }> {
    if (previous) await services.shared.workspace.DocumentBuilder.update([], [previous.uri]);
    const document = await parse(text, { validation: true });
    previous = document;
    return { document, diagnostics: document.diagnostics ?? [] };
}

/** Replaces the first occurrence of `search` in the example. Throws if it is absent, so tests cannot silently pass. */
export function exampleWith(search: string | RegExp, replacement: string): string {
    if (typeof search === 'string' ? !EXAMPLE.includes(search) : !search.test(EXAMPLE)) {
        throw new Error(`example does not contain ${search}`);
    }
    return EXAMPLE.replace(search, replacement);
}

/** The text a diagnostic's range covers. */
export function rangeText(document: LangiumDocument, diagnostic: Diagnostic): string {
    return document.textDocument.getText(diagnostic.range);
}
