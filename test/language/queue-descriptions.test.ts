import { EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { isDepartment, isQueue, type SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE } from './helpers.js';

describe("an integration's queue descriptions", () => {
    it('are built once per build, shared by the exports, the local symbols and the queue scope, and anew after an edit', async () => {
        const { shared, Sipflow } = createSipflowServices(EmptyFileSystem);
        const uri = URI.parse('file:///w/acme.sipflow');
        shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'sipflow', 1, EXAMPLE));
        await shared.workspace.DocumentBuilder.update([uri], []);
        const document = shared.workspace.LangiumDocuments.getDocument(uri) as LangiumDocument<SipflowFile>;
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
        shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'sipflow', 2, `${EXAMPLE}\n`));
        await shared.workspace.DocumentBuilder.update([uri], []);
        const second = readDescriptions();
        expect(second.exported.map(d => d.name)).toEqual(first.exported.map(d => d.name));
        expect(second.exported[0]).not.toBe(first.exported[0]);
        expect(second.inScope[0]).toBe(second.exported[0]);
    });

    it("are never the old nodes' after an edit inside a queue block, even when asked for between the update and the re-parse", async () => {
        const { shared, Sipflow } = createSipflowServices(EmptyFileSystem);
        const uri = URI.parse('file:///w/acme.sipflow');
        shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'sipflow', 1, EXAMPLE));
        await shared.workspace.DocumentBuilder.update([uri], []);
        const document = shared.workspace.LangiumDocuments.getDocument(uri) as LangiumDocument<SipflowFile>;
        const integration = document.parseResult.value.integration!;
        const queues = Sipflow.references.SipflowQueues;
        // A request served after the update has begun (the documents reset) and before the re-parse, as a
        // completion in another file may be: it sees the old tree.
        let askedInTheGap = 0;
        shared.workspace.DocumentBuilder.onUpdate(() => void (askedInTheGap = queues.queueDescriptionsOf(integration).length));
        const renamed = EXAMPLE.replace('queue tier1 {', 'queue tier_one {');
        expect(renamed).not.toBe(EXAMPLE);
        shared.workspace.TextDocuments.set(TextDocument.create(uri.toString(), 'sipflow', 2, renamed));
        await shared.workspace.DocumentBuilder.update([uri], []);
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
