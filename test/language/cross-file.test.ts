import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createSipflowServices } from '../../src/language/sipflow-module.js';

const QUEUES = `integration acme {
  queue tier1 {
    name "Phone – Tier 1"
    did "+4570101111"
  }
}
`;

const ROUTING = `integration acme {
  dixa {
    sip-domain "acme.sip.dixa.com"
    allowlist synthflow
  }
  synthflow {
    region eu
    workspace "ws"
  }
  department support {
    did "+4535551234"
    assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"
    fallback tier1
    escalate "sip:+4570101111@acme.sip.dixa.com"
  }
}
`;

/** A fresh workspace per test, as the language server holds one: documents added, then built together. */
async function workspace(files: Record<string, string>) {
    const { shared } = createSipflowServices(EmptyFileSystem);
    const documents: Record<string, LangiumDocument> = {};
    for (const [name, text] of Object.entries(files)) {
        const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`file:///ws/${name}`));
        shared.workspace.LangiumDocuments.addDocument(document);
        documents[name] = document;
    }
    await shared.workspace.DocumentBuilder.build(Object.values(documents), { validation: true });
    const codes = (name: string) => (documents[name].diagnostics ?? []).map((d: Diagnostic) => d.code);
    return { shared, documents, codes };
}

describe('queues across files of one integration', () => {
    it('resolves fallback and escalation to a queue declared in another file', async () => {
        const { documents, codes } = await workspace({ 'queues.sipflow': QUEUES, 'routing.sipflow': ROUTING });
        expect(codes('routing.sipflow')).toEqual([]);
        const department = (documents['routing.sipflow'].parseResult.value as any).integration.members[2];
        expect(department.fallback.ref?.name).toBe('tier1');
        // the queue is used from the other file, so no queue-unused hint
        expect(codes('queues.sipflow')).not.toContain('queue-unused');
    });

    it('does not see queues of another integration', async () => {
        const { codes } = await workspace({
            'queues.sipflow': QUEUES.replace('integration acme', 'integration other'),
            'routing.sipflow': ROUTING,
        });
        expect(codes('routing.sipflow')).toContain('linking-error');
        expect(codes('routing.sipflow')).toContain('escalation-unknown-queue');
    });

    it("updates the queue file's hint when the department file stops using the queue", async () => {
        const { shared, documents, codes } = await workspace({ 'queues.sipflow': QUEUES, 'routing.sipflow': ROUTING });
        expect(codes('queues.sipflow')).not.toContain('queue-unused');
        const routing = documents['routing.sipflow'];
        const edited = ROUTING.replace('    fallback tier1\n', '').replace('escalate "sip:+4570101111@acme.sip.dixa.com"', 'escalate "sip:+4570109999@acme.sip.dixa.com"');
        // As the language server does on didChange: the open text document changes, then the builder updates.
        shared.workspace.TextDocuments.set(TextDocument.create(routing.uri.toString(), 'sipflow', 2, edited));
        await shared.workspace.DocumentBuilder.update([routing.uri], []);
        expect(codes('routing.sipflow')).toContain('fallback-missing');
        expect(codes('queues.sipflow')).toContain('queue-unused');
    });

    it('treats the files as one integration: no missing block in the queue file', async () => {
        const { codes } = await workspace({ 'queues.sipflow': QUEUES, 'routing.sipflow': ROUTING });
        expect(codes('queues.sipflow')).toEqual([]);
    });

    it('reports a dixa/synthflow block missing from every file', async () => {
        const withoutBlocks = ROUTING.replace(/ {2}dixa \{[^}]*\}\n/, '').replace(/ {2}synthflow \{[^}]*\}\n/, '');
        const { documents, codes } = await workspace({ 'queues.sipflow': QUEUES, 'routing.sipflow': withoutBlocks });
        expect(codes('routing.sipflow').filter(c => c === 'required-missing')).toHaveLength(2);
        expect(codes('queues.sipflow').filter(c => c === 'required-missing')).toHaveLength(2);
        const messages = (documents['queues.sipflow'].diagnostics ?? []).map(d => d.message);
        expect(messages).toContain('Integration acme has no dixa block: add dixa { sip-domain "{company}.sip.dixa.com" allowlist synthflow }.');
    });

    it('reports names, DIDs and blocks declared twice across files, once, in the later file', async () => {
        const copy = ROUTING;
        const { documents, codes } = await workspace({ 'a.sipflow': ROUTING, 'b.sipflow': copy, 'queues.sipflow': QUEUES });
        expect(codes('a.sipflow')).toEqual([]);
        const messages = (documents['b.sipflow'].diagnostics ?? []).map(d => [d.code, d.message]);
        expect(messages).toEqual([
            ['block-duplicate', 'The dixa block is already in a.sipflow:2: an integration has one. Merge the settings there.'],
            ['block-duplicate', 'The synthflow block is already in a.sipflow:6: an integration has one. Merge the settings there.'],
            [
                'assistant-shared',
                'Assistant b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6 already answers department support in a.sipflow:10: Synthflow gives an inbound assistant a single phone_number, so it cannot answer two departments\' DIDs. Give department support its own inbound assistant: assistant "{its model_id}".',
            ],
            ['name-duplicate', 'Department support is also declared in a.sipflow:10: rename one of them.'],
            ['did-duplicate', 'DID +4535551234 is already used by department support in a.sipflow:10: a number serves one inbound assistant or queue.'],
        ]);
    });

    it('reports a Dixa queue name declared in two files, in the later file', async () => {
        const other = 'integration acme {\n  queue tier1_copy { name "Phone – Tier 1" did "+4570109999" }\n}\n';
        const { documents, codes } = await workspace({ 'queues.sipflow': QUEUES, 'routing.sipflow': ROUTING, 'z.sipflow': other });
        expect(codes('queues.sipflow')).not.toContain('name-duplicate');
        const messages = (documents['z.sipflow'].diagnostics ?? []).filter(d => d.severity === 1).map(d => [d.code, d.message]);
        expect(messages).toEqual([['name-duplicate', expect.stringMatching(/^Queue tier1 in queues\.sipflow:\d+ already has the Dixa name "Phone – Tier 1"/)]]);
    });
});

describe('queues across files, asked for while an edit is being built', () => {
    it('a scope read between the update and the re-parse (a completion in the other file) does not outlive the build', async () => {
        const { shared, Sipflow } = createSipflowServices(EmptyFileSystem);
        const uriOf = (name: string) => URI.parse(`file:///ws/${name}`);
        const open = (name: string, version: number, text: string) => shared.workspace.TextDocuments.set(TextDocument.create(uriOf(name).toString(), 'sipflow', version, text));
        open('queues.sipflow', 1, QUEUES);
        open('routing.sipflow', 1, ROUTING);
        await shared.workspace.DocumentBuilder.update([uriOf('queues.sipflow'), uriOf('routing.sipflow')], []);
        const routing = shared.workspace.LangiumDocuments.getDocument(uriOf('routing.sipflow'))!;
        const departmentOf = () => (routing.parseResult.value as any).integration.members.find((m: { $type: string }) => m.$type === 'Department');
        const scopeNames = () => {
            const department = departmentOf();
            return Sipflow.references.ScopeProvider.getScope({ reference: department.fallback, container: department, property: 'fallback' })
                .getAllElements()
                .map(d => d.name)
                .toArray();
        };
        let namesInTheGap: string[] = [];
        shared.workspace.DocumentBuilder.onUpdate(() => void (namesInTheGap = scopeNames()));
        // The queue is renamed in its file, and the department falls back to the new name.
        open('queues.sipflow', 2, QUEUES.replace('queue tier1', 'queue tier_one'));
        open('routing.sipflow', 2, ROUTING.replace('fallback tier1', 'fallback tier_one'));
        await shared.workspace.DocumentBuilder.update([uriOf('queues.sipflow'), uriOf('routing.sipflow')], []);
        expect(namesInTheGap).toEqual(['tier1']);
        expect(scopeNames()).toEqual(['tier_one']);
        expect(departmentOf().fallback.ref?.name).toBe('tier_one');
        expect((routing.diagnostics ?? []).map(d => d.code)).toEqual([]);
    });
});
