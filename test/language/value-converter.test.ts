import { CstUtils, DefaultValueConverter, EmptyFileSystem, isLeafCstNode, URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { SipflowValueConverter } from '../../src/language/sipflow-value-converter.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { EXAMPLE } from './helpers.js';

describe('SipflowValueConverter', () => {
    it('converts every token of the example and a generated integration as Langium does', () => {
        const { shared, Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        expect(Sipflow.parser.ValueConverter).toBeInstanceOf(SipflowValueConverter);
        const ours = new SipflowValueConverter();
        const langiums = new DefaultValueConverter();
        const kinds = new Set<string>();
        let compared = 0;
        for (const [index, text] of [EXAMPLE, toSipflow(generateIntegration(100))].entries()) {
            const document = shared.workspace.LangiumDocuments.createDocument(URI.parse(`file:///value-converter/${index}.sipflow`), text);
            expect(document.parseResult.parserErrors).toEqual([]);
            for (const leaf of CstUtils.streamCst(document.parseResult.value.$cstNode!)) {
                if (leaf.hidden || !isLeafCstNode(leaf)) continue;
                const expected = langiums.convert(leaf.text, leaf);
                expect(ours.convert(leaf.text, leaf)).toEqual(expected);
                if (expected !== leaf.text) kinds.add(typeof expected);
                compared++;
            }
        }
        expect(compared).toBeGreaterThan(1000);
        // Teeth: some tokens are converted (STRING loses its quotes), not only passed through.
        expect(kinds).toContain('string');
    });
});
