import { DefaultTokenBuilder, RegExpUtils, type GrammarAST } from 'langium';
import type { TokenType } from 'chevrotain';

/**
 * Langium's token builder, with the longer-alternative search built once per terminal instead of once
 * per keyword and terminal. For every keyword Langium asks each terminal whether it could match the
 * keyword's text (then an identifier such as `named` is not lexed as `name` + `d`), and builds that
 * terminal's partial-match RegExp anew each time: ~60 keywords × 8 terminals, ~12 ms of every start-up.
 * The answer is the same (test/language/token-builder.test.ts compares the token types with Langium's).
 */
export class SipflowTokenBuilder extends DefaultTokenBuilder {
    private readonly partialPatterns = new Map<string, RegExp>();

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
