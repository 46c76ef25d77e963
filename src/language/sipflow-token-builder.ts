import { DefaultTokenBuilder, RegExpUtils, type Grammar, type GrammarAST, type TokenBuilderOptions } from 'langium';
import type { TokenType, TokenVocabulary } from 'chevrotain';
import { SipflowGrammar } from './generated/grammar.js';
import { SIPFLOW_TOKEN_TABLE } from './token-table.generated.js';

/** One token type of src/language/token-table.generated.ts: Langium's token type as data. */
export interface SipflowTokenSpec {
    readonly name: string;
    readonly pattern: string | RegExp;
    /** Chevrotain's group: 'hidden' (comments), or Lexer.SKIPPED (whitespace). */
    readonly group?: string;
    /** Indices of the longer alternatives in the table (keywords only; terminals have none). */
    readonly longerAlt?: readonly number[];
}

/**
 * Langium's token builder, without its work on every start: for the language's own grammar the token types
 * come from the table scripts/token-table.mjs writes at build time (the same types, in the same order:
 * test/language/token-builder.test.ts compares them with Langium's). Building them walks the whole grammar
 * and asks each terminal, for each keyword, whether it could match the keyword's text (then an identifier
 * such as `named` is not lexed as `name` + `d`): ~4 ms of cold code per process.
 * Any other grammar, or a case-insensitive build, is built by Langium, with the longer-alternative search
 * built once per terminal instead of once per keyword and terminal (~60 keywords × 8 terminals).
 */
export class SipflowTokenBuilder extends DefaultTokenBuilder {
    private readonly partialPatterns = new Map<string, RegExp>();

    override buildTokens(grammar: Grammar, options?: TokenBuilderOptions): TokenVocabulary {
        if (grammar !== SipflowGrammar() || options?.caseInsensitive) return super.buildTokens(grammar, options);
        // New objects each time: Chevrotain writes its analysis into the token types of each lexer it builds.
        const tokens: TokenType[] = SIPFLOW_TOKEN_TABLE.map(spec => {
            const token: TokenType = { name: spec.name, PATTERN: spec.pattern };
            if (spec.group !== undefined) token.GROUP = spec.group;
            return token;
        });
        SIPFLOW_TOKEN_TABLE.forEach((spec, index) => {
            if (spec.longerAlt) tokens[index].LONGER_ALT = spec.longerAlt.map(alternative => tokens[alternative]);
        });
        return tokens;
    }

    protected override findLongerAlt(keyword: GrammarAST.Keyword, terminalTokens: TokenType[]): TokenType[] {
        return terminalTokens.filter(token => {
            const source = (token.PATTERN as RegExp | undefined)?.source;
            if (!source) return false;
            let partial = this.partialPatterns.get(source);
            if (!partial) this.partialPatterns.set(source, (partial = RegExpUtils.partialRegExp(`^${source}$`)));
            const match = keyword.value.match(partial);
            return !!match && match[0].length > 0;
        });
    }
}
