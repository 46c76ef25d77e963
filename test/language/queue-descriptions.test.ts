import { EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { isDepartment, isQueue, type SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE } from './helpers.js';

/** `text` opened as the language server opens a document, in services of its own; `edit` changes it as didChange does. */
async function openedInFreshServices(text: string) {
    const { shared, Sipflow } = createSipflowServices(EmptyFileSystem);
    const uri = URI.parse('file:///w/acme.sipflow');
    let version = 1;
    const edit = async (newText: string) => {
        shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'sipflow', version++, newText));
        await shared.workspace.DocumentBuilder.update([uri], []);
    };
    await edit(text);
    const document = shared.workspace.LangiumDocuments.getDocument(uri) as LangiumDocument<SipflowFile>;
    return { shared, Sipflow, uri, document, edit };
}

describe("an integration's queue descriptions", () => {
    it('are built once per build, shared by the exports, the local symbols and the queue scope, and anew after an edit', async () => {
        const { shared, Sipflow, uri, document, edit } = await openedInFreshServices(EXAMPLE);
        const readDescriptions = () => {
            const integration = document.parseResult.value.integration!;
            const exported = shared.workspace.IndexManager.allElements('Queue')
                .filter(d => d.documentUri.toString() === uri.toString())
                .toArray();
            const local = [...(document.localSymbols?.getStream(integration) ?? [])];
            const department = integration.members.find(isDepartment)!;
            const scope = Sipflow.references.ScopeProvider.getScope({ reference: department.fallback!, container: department, property: 'fallback' });
            const inScope = scope.getAllElements().toArray();
            return { exported, local, inScope, queues: integration.members.filter(isQueue).length };
        };
        const first = readDescriptions();
        expect(first.exported.length).toBe(first.queues);
        expect(first.exported.length).toBeGreaterThan(1);
        expect(first.local).toEqual(first.exported);
        for (const [index, description] of first.exported.entries()) {
            expect(first.local[index]).toBe(description);
            expect(first.inScope[index]).toBe(description);
        }
        // An edit rebuilds them for the new nodes.
        await edit(`${EXAMPLE}\n`);
        const second = readDescriptions();
        expect(second.exported.map(d => d.name)).toEqual(first.exported.map(d => d.name));
        expect(second.exported[0]).not.toBe(first.exported[0]);
        expect(second.inScope[0]).toBe(second.exported[0]);
    });

    it("are never the old nodes' after an edit inside a queue block, even when asked for between the update and the re-parse", async () => {
        const { shared, Sipflow, document, edit } = await openedInFreshServices(EXAMPLE);
        const integration = document.parseResult.value.integration!;
        const queues = Sipflow.references.SipflowQueues;
        // A request served after the update has begun (the documents reset) and before the re-parse, as a
        // completion in another file may be: it sees the old tree.
        let askedInTheGap = 0;
        shared.workspace.DocumentBuilder.onUpdate(() => void (askedInTheGap = queues.queueDescriptionsOf(integration).length));
        const renamed = EXAMPLE.replace('queue tier1 {', 'queue tier_one {');
        expect(renamed).not.toBe(EXAMPLE);
        await edit(renamed);
        expect(askedInTheGap).toBeGreaterThan(0);
        // The edit is inside one block: the re-parse kept the integration node and replaced that block.
        expect(document.parseResult.value.integration).toBe(integration);
        const names = shared.workspace.IndexManager.allElements('Queue')
            .map(d => d.name)
            .toArray();
        expect(names).toContain('tier_one');
        expect(names).not.toContain('tier1');
        for (const description of queues.queueDescriptionsOf(integration)) expect(integration.members).toContain(description.node);
    });
});
