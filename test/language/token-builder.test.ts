import { DefaultTokenBuilder, EmptyFileSystem } from 'langium';
import type { TokenType } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { SipflowTokenBuilder } from '../../src/language/sipflow-token-builder.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';

/** A token type as data: its name, pattern, group and the names of its longer alternatives. */
function describeTokens(vocabulary: unknown): unknown[] {
    return (vocabulary as TokenType[]).map(token => ({
        name: token.name,
        pattern: String(token.PATTERN),
        group: token.GROUP,
        longerAlt: ([] as TokenType[]).concat(token.LONGER_ALT ?? []).map(alt => alt.name),
    }));
}

describe('SipflowTokenBuilder', () => {
    it('builds exactly the token types Langium builds for the grammar, longer alternatives included', () => {
        const { Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        expect(Sipflow.parser.TokenBuilder).toBeInstanceOf(SipflowTokenBuilder);
        const grammar = Sipflow.Grammar;
        const ours = describeTokens(new SipflowTokenBuilder().buildTokens(grammar, { caseInsensitive: false }));
        const langiums = describeTokens(new DefaultTokenBuilder().buildTokens(grammar, { caseInsensitive: false }));
        expect(ours).toEqual(langiums);
        // The comparison has teeth: soft keywords such as `name` have ID as their longer alternative.
        expect(ours).toContainEqual(expect.objectContaining({ name: 'name', longerAlt: ['ID'] }));
    });

    it('lexes a keyword prefix of a name as one name', () => {
        const { Sipflow } = createSipflowCoreServices({ ...EmptyFileSystem });
        const tokens = Sipflow.parser.Lexer.tokenize('queue named { did "+4570000000" }').tokens.map(t => `${t.tokenType.name}:${t.image}`);
        expect(tokens.slice(0, 3)).toEqual(['queue:queue', 'ID:named', '{:{']);
    });
});
