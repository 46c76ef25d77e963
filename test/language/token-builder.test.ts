import { DefaultTokenBuilder, EmptyFileSystem } from 'langium';
import type { TokenType } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { SipflowTokenBuilder } from '../../src/language/sipflow-token-builder.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';

/** A token type as data: every property, longer alternatives by name (undefined stays undefined). */
function describeTokens(vocabulary: unknown): unknown[] {
    return (vocabulary as TokenType[]).map(token => {
        const { LONGER_ALT, PATTERN, ...rest } = token;
        return {
            ...rest,
            pattern: PATTERN instanceof RegExp ? `regexp ${String(PATTERN)}` : `${typeof PATTERN} ${String(PATTERN)}`,
            longerAlt: LONGER_ALT === undefined ? undefined : ([] as TokenType[]).concat(LONGER_ALT).map(alt => alt.name),
        };
    });
}

describe('SipflowTokenBuilder', () => {
    it('builds exactly the token types Langium builds for the grammar, longer alternatives included (the generated table is not stale)', () => {
        const { Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        expect(Sipflow.parser.TokenBuilder).toBeInstanceOf(SipflowTokenBuilder);
        const grammar = Sipflow.Grammar;
        const ours = describeTokens(new SipflowTokenBuilder().buildTokens(grammar, { caseInsensitive: false }));
        const langiums = describeTokens(new DefaultTokenBuilder().buildTokens(grammar, { caseInsensitive: false }));
        expect(ours).toEqual(langiums);
        // The comparison has teeth: soft keywords such as `name` have ID as their longer alternative.
        expect(ours).toContainEqual(expect.objectContaining({ name: 'name', longerAlt: ['ID'] }));
        expect(ours).toContainEqual(expect.objectContaining({ name: 'ML_COMMENT', GROUP: 'hidden', longerAlt: undefined }));
    });

    it('gives each lexer its own token objects (Chevrotain writes its analysis into them)', () => {
        const { Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        const builder = new SipflowTokenBuilder();
        const first = builder.buildTokens(Sipflow.Grammar, { caseInsensitive: false }) as TokenType[];
        const second = builder.buildTokens(Sipflow.Grammar, { caseInsensitive: false }) as TokenType[];
        expect(first[0]).not.toBe(second[0]);
        const named = first.find(token => token.name === 'name');
        expect(([] as TokenType[]).concat(named?.LONGER_ALT ?? [])).toEqual([first.find(token => token.name === 'ID')]);
    });

    it('leaves another grammar, or a case-insensitive build, to Langium', () => {
        const { Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        const grammar = Sipflow.Grammar;
        const insensitive = (builder: DefaultTokenBuilder) => describeTokens(builder.buildTokens(grammar, { caseInsensitive: true }));
        expect(insensitive(new SipflowTokenBuilder())).toEqual(insensitive(new DefaultTokenBuilder()));
        expect(insensitive(new SipflowTokenBuilder())).toContainEqual(expect.objectContaining({ name: 'name', pattern: 'regexp /name/i' }));
    });

    it('lexes a keyword prefix of a name as one name', () => {
        const { Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        const tokens = Sipflow.parser.Lexer.tokenize('queue named { did "+4570000000" }').tokens.map(t => `${t.tokenType.name}:${t.image}`);
        expect(tokens.slice(0, 3)).toEqual(['queue:queue', 'ID:named', '{:{']);
    });
});
