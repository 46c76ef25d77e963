import type { IToken, TokenType } from 'chevrotain';
import { DefaultLexerErrorMessageProvider, LangiumParserErrorMessageProvider } from 'langium';

/** How each terminal is described to a person. */
const TERMINAL_DESCRIPTIONS: Readonly<Record<string, string>> = {
    STRING: 'a quoted string',
    ID: 'a name',
    DURATION: 'a duration such as 30s',
    ENV_REF: 'an env:NAME reference',
};

function describe(type: TokenType): string {
    const description = TERMINAL_DESCRIPTIONS[type.name];
    if (description) return description;
    // Keyword token types are named after the keyword (some Langium paths add a `:KW` suffix).
    return `'${type.name.replace(/:KW$/, '')}'`;
}

function found(tokens: IToken | IToken[]): string {
    const token = Array.isArray(tokens) ? tokens[0] : tokens;
    if (!token || token.tokenType?.name === 'EOF' || token.image === '') return 'the end of the file';
    return `\`${token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image}\``;
}

function oneOf(types: TokenType[]): string {
    const names = [...new Set(types.map(describe))];
    if (names.length === 1) return names[0];
    if (names.length <= 8) return `one of ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    return `one of ${names.slice(0, 8).join(', ')}, …`;
}

/** Lexer messages that suggest the likely fix (most stray characters are an unquoted value). */
export class SipflowLexerErrorMessageProvider extends DefaultLexerErrorMessageProvider {
    override buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
        const text = fullText.substring(startOffset, startOffset + length);
        const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
        if (/^[+\d]/.test(text)) {
            return `Unexpected \`${shown}\`: numbers, DIDs and addresses are written in double quotes, e.g. did "+4535551234".`;
        }
        if (text.startsWith("'")) return `Unexpected \`${shown}\`: strings use double quotes, e.g. name "Phone – Tier 1".`;
        return `Unexpected character \`${shown}\`.`;
    }
}

/** Parser messages that name what may be written, instead of Chevrotain's token-sequence listings. */
export class SipflowParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        return `Expected ${describe(options.expected)} but found ${found(options.actual)}.`;
    }

    override buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
        return `Unexpected ${found(options.firstRedundant)} after the integration: a file holds one integration { … } block.`;
    }

    override buildNoViableAltMessage(options: {
        expectedPathsPerAlt: TokenType[][][];
        actual: IToken[];
        previous: IToken;
        customUserDescription: string;
        ruleName: string;
    }): string {
        const firstTokens = options.expectedPathsPerAlt.flatMap(alt => alt.map(path => path[0])).filter(Boolean);
        return `Expected ${oneOf(firstTokens)} but found ${found(options.actual)}.`;
    }

    override buildEarlyExitMessage(options: {
        expectedIterationPaths: TokenType[][];
        actual: IToken[];
        previous: IToken;
        customUserDescription: string;
        ruleName: string;
    }): string {
        const firstTokens = options.expectedIterationPaths.map(path => path[0]).filter(Boolean);
        return `Expected at least one ${oneOf(firstTokens)} but found ${found(options.actual)}.`;
    }
}
