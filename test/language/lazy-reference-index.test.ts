// The language server's index describes a document's references only when asked (LazyReferenceIndexManager).
// What it answers must be what Langium's eager index would have stored at each state: the descriptions of
// the document's linked references, never those of an earlier version.
import { EmptyFileSystem, TextDocument, URI, type LangiumDocument, type ReferenceDescription } from 'langium';
import { describe, expect, it } from 'vitest';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { LazyReferenceIndexManager } from '../../src/language/references/lazy-reference-index-manager.js';
import { EXAMPLE } from './helpers.js';

const QUEUES_URI = URI.parse('file:///lazy/queues.sipflow');
const MAIN_URI = URI.parse('file:///lazy/main.sipflow');
const QUEUES_FILE = 'integration acme {\n  queue overflow {\n    name "Phone – Overflow"\n    did "+4570103333"\n  }\n}\n';
const MAIN_FILE = EXAMPLE.replace('fallback sales_desk\n    escalate sales_desk', 'fallback overflow\n    escalate overflow');

async function session() {
    const services = createSipflowServices(EmptyFileSystem);
    const workspace = services.shared.workspace;
    const versions = new Map<string, number>();
    const write = async (uri: URI, text: string) => {
        const version = (versions.get(uri.toString()) ?? 0) + 1;
        versions.set(uri.toString(), version);
        workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'sipflow', version, text));
        await workspace.DocumentBuilder.update([uri], []);
        return workspace.LangiumDocuments.getDocument(uri)!;
    };
    return { services, write, index: workspace.IndexManager };
}

/** What Langium's eager index stores for a document: its reference descriptions, computed now. */
async function eagerDescriptions(services: ReturnType<typeof createSipflowServices>, document: LangiumDocument): Promise<ReferenceDescription[]> {
    return services.Sipflow.workspace.ReferenceDescriptionProvider.createDescriptions(document);
}

const targetsOf = (descriptions: Iterable<ReferenceDescription>) => [...descriptions].map(d => `${d.sourceUri.path}:${d.segment.offset}→${d.targetPath}`).sort();

describe('the lazy reference index', () => {
    it('is the index of the language server', () => {
        expect(createSipflowServices(EmptyFileSystem).shared.workspace.IndexManager).toBeInstanceOf(LazyReferenceIndexManager);
    });

    it('finds exactly the references the eager index would hold, after each edit', async () => {
        const { services, write, index } = await session();
        const queues = await write(QUEUES_URI, QUEUES_FILE);
        let main = await write(MAIN_URI, MAIN_FILE);
        const overflow = (queues.parseResult.value as unknown as { integration: { members: Array<{ name: string }> } }).integration.members[0];
        const path = services.Sipflow.workspace.AstNodeLocator.getAstNodePath(overflow as never);
        const expected = async () => targetsOf((await eagerDescriptions(services, main)).filter(d => d.targetPath === path && d.targetUri.toString() === QUEUES_URI.toString()));

        expect(targetsOf(index.findAllReferences(overflow as never, path))).toEqual(await expected());
        expect(await expected()).toHaveLength(2);
        // One reference removed: the index no longer has it (the old version's descriptions are gone).
        main = await write(MAIN_URI, MAIN_FILE.replace('escalate overflow', 'escalate tier1'));
        expect(targetsOf(index.findAllReferences(overflow as never, path))).toEqual(await expected());
        expect(await expected()).toHaveLength(1);
    });

    it('tells a document that references a changed one that it is affected', async () => {
        const { write, index } = await session();
        await write(QUEUES_URI, QUEUES_FILE);
        const main = await write(MAIN_URI, MAIN_FILE);
        expect(index.isAffected(main, new Set([QUEUES_URI.toString()]))).toBe(true);
        expect(index.isAffected(main, new Set(['file:///lazy/unrelated.sipflow']))).toBe(false);
        // Without the references to the other file, it is not affected.
        const alone = await write(MAIN_URI, EXAMPLE);
        expect(index.isAffected(alone, new Set([QUEUES_URI.toString()]))).toBe(false);
    });
});
