import { CstUtils, DefaultValueConverter, EmptyFileSystem, isLeafCstNode, URI, ValueConverter } from 'langium';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertStringFlat, SipflowValueConverter } from '../../src/language/sipflow-value-converter.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { EXAMPLE } from './helpers.js';

describe('SipflowValueConverter', () => {
    it('converts every token and datatype-rule node of the example and a generated integration as Langium does', () => {
        const { shared, Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        expect(Sipflow.parser.ValueConverter).toBeInstanceOf(SipflowValueConverter);
        const ours = new SipflowValueConverter();
        const langiums = new DefaultValueConverter();
        const kinds = new Set<string>();
        let compared = 0;
        let composites = 0;
        for (const [index, text] of [EXAMPLE, toSipflow(generateIntegration(100))].entries()) {
            const document = shared.workspace.LangiumDocuments.createDocument(URI.parse(`file:///value-converter/${index}.sipflow`), text);
            expect(document.parseResult.parserErrors).toEqual([]);
            // Leaves (terminals, keywords, cross-references) and composites (datatype rules such as Name).
            for (const node of CstUtils.streamCst(document.parseResult.value.$cstNode!)) {
                if (node.hidden) continue;
                const expected = langiums.convert(node.text, node);
                expect(ours.convert(node.text, node)).toEqual(expected);
                if (expected !== node.text) kinds.add(typeof expected);
                if (!isLeafCstNode(node)) composites++;
                compared++;
            }
        }
        expect(compared).toBeGreaterThan(1000);
        expect(composites).toBeGreaterThan(100);
        // Teeth: some tokens are converted (STRING loses its quotes), not only passed through.
        expect(kinds).toContain('string');
    });

    it('reads string literals as Langium does, escapes included', () => {
        // Backslashes and quotes in every position, the escape letters Langium maps, and text around them.
        const piece = fc.constantFrom('\\', '"', 'b', 'f', 'n', 'r', 't', 'v', '0', 'x', 'é', '😀', ' ', 'abcdefghijklmnop');
        fc.assert(
            fc.property(
                fc.array(piece, { maxLength: 30 }).map(parts => parts.join('')),
                input => {
                    expect(convertStringFlat(input)).toBe(ValueConverter.convertString(input));
                    expect(convertStringFlat(`"${input}"`)).toBe(ValueConverter.convertString(`"${input}"`));
                },
            ),
            { numRuns: 2000 },
        );
        expect(convertStringFlat('"a\\"b"')).toBe('a"b');
        expect(convertStringFlat('"tab\\tend\\"')).toBe('tab\tend"');
    });
});
