import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { isQueue, type SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE, exampleWith } from './helpers.js';

/** Builds one document in fresh services: its diagnostics, and how many references the index knows of queue tier1. */
async function build(text: string, forCli: boolean) {
    const services = createSipflowServices({ ...EmptyFileSystem, forCli });
    const document = services.shared.workspace.LangiumDocuments.createDocument(URI.parse('file:///w/acme.sipflow'), text) as LangiumDocument<SipflowFile>;
    await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
    const tier1 = document.parseResult.value.integration!.members.filter(isQueue).find(queue => queue.name === 'tier1')!;
    const path = services.Sipflow.workspace.AstNodeLocator.getAstNodePath(tier1);
    const references = services.shared.workspace.IndexManager.findAllReferences(tier1, path).count();
    return { diagnostics: (document.diagnostics ?? []).map(d => [d.code, d.message]), references };
}

describe('createSipflowServices({ forCli: true }): the one-shot build of the CLI', () => {
    it("reports exactly what the editor's services report, for a clean file and a broken one", async () => {
        const broken = exampleWith('fallback tier1', 'fallback tier9').replace('did "+4535551234"', 'did "4535551234"');
        for (const text of [EXAMPLE, broken]) {
            const cli = await build(text, true);
            const editor = await build(text, false);
            expect(cli.diagnostics).toEqual(editor.diagnostics);
        }
        expect((await build(broken, true)).diagnostics.map(([code]) => code)).toEqual(expect.arrayContaining(['linking-error', 'e164-invalid']));
    });

    it("keeps no reference index, which the editor's services do", async () => {
        expect((await build(EXAMPLE, false)).references).toBeGreaterThan(0);
        expect((await build(EXAMPLE, true)).references).toBe(0);
    });
});
