import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { buildDesiredState, type DesiredState } from '../../src/model/index.js';

export const EXAMPLE = readFileSync(fileURLToPath(new URL('../../examples/acme.sipflow', import.meta.url)), 'utf8');

let counter = 0;

/** Parses, links and validates the texts together in a fresh workspace (files of one integration see each other). */
export async function loadDocuments(...texts: string[]): Promise<LangiumDocument<SipflowFile>[]> {
    const services = createSipflowServices(EmptyFileSystem);
    const documents = texts.map(
        text => services.shared.workspace.LangiumDocuments.createDocument(URI.parse(`memory:///model-test-${++counter}.sipflow`), text) as LangiumDocument<SipflowFile>,
    );
    await services.shared.workspace.DocumentBuilder.build(documents, { validation: true });
    return documents;
}

export async function desiredFrom(...texts: string[]): Promise<DesiredState> {
    const [main, ...others] = await loadDocuments(...texts);
    return buildDesiredState(main, others);
}

/** The example with `search` replaced; throws if absent so a test cannot silently pass. */
export function exampleWith(...pairs: Array<[string | RegExp, string]>): string {
    let text = EXAMPLE;
    for (const [search, replacement] of pairs) {
        if (typeof search === 'string' ? !text.includes(search) : !search.test(text)) throw new Error(`example does not contain ${search}`);
        text = text.replace(search, replacement);
    }
    return text;
}
