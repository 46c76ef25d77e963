import { describe, expect, it } from 'vitest';
import { expectSemanticToken, highlightHelper } from 'langium/test';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import { EXAMPLE, exampleWith } from './helpers.js';
import { editor } from './editor-helpers.js';

const highlight = highlightHelper(editor.Sipflow);
const provider = editor.Sipflow.lsp.SemanticTokenProvider!;

/** Names of the modifiers set in a token's bit mask (the provider maps each name to its bit). */
function modifierNames(mask: number): string[] {
    return Object.entries(provider.tokenModifiers)
        .filter(([, bit]) => (mask & bit) !== 0)
        .map(([name]) => name);
}

/** The types given to tokens by what they are lexically, after the names and values. */
const LEXICAL_TYPES = new Set<string>([SemanticTokenTypes.keyword, SemanticTokenTypes.string, SemanticTokenTypes.comment]);

describe('semantic tokens', () => {
    it('marks declarations and references of queues, departments, DIDs, durations, env refs and value keywords', async () => {
        const text = [
            'integration acme {',
            '  synthflow {',
            '    region eu',
            '    trunk-auth credentials {',
            '      username env:DIXA_SIP_USERNAME',
            '      password "literal"',
            '    }',
            '  }',
            '  dixa {',
            '    allowlist synthflow',
            '  }',
            '  queue tier1 {',
            '    did "+4570101111"',
            '    kind ring-group',
            '  }',
            '  department support {',
            '    did "+4535551234"',
            '    timeout 30s',
            '    fallback tier1',
            '    uui phone_number',
            '    escalate tier1 {',
            '      mode warm',
            '    }',
            '  }',
            '}',
        ].join('\n');
        const { tokens } = await highlight(text);
        const byMeaning = tokens.filter(token => !LEXICAL_TYPES.has(token.tokenType));
        expect(byMeaning.map(token => [token.text, token.tokenType, modifierNames(token.tokenModifiers)])).toEqual([
            ['acme', SemanticTokenTypes.namespace, [SemanticTokenModifiers.declaration]],
            ['eu', SemanticTokenTypes.enumMember, []],
            ['env:DIXA_SIP_USERNAME', SemanticTokenTypes.variable, [SemanticTokenModifiers.readonly]],
            ['synthflow', SemanticTokenTypes.enumMember, []],
            ['tier1', SemanticTokenTypes.type, [SemanticTokenModifiers.declaration]],
            ['"+4570101111"', SemanticTokenTypes.number, []],
            ['ring-group', SemanticTokenTypes.enumMember, []],
            ['support', SemanticTokenTypes.class, [SemanticTokenModifiers.declaration]],
            ['"+4535551234"', SemanticTokenTypes.number, []],
            ['30s', SemanticTokenTypes.number, []],
            ['tier1', SemanticTokenTypes.type, []],
            ['phone_number', SemanticTokenTypes.property, []],
            ['tier1', SemanticTokenTypes.type, []],
            ['warm', SemanticTokenTypes.enumMember, []],
        ]);
    });

    it('marks a name spelled like a keyword as a name, so it is not coloured as a keyword', async () => {
        const tokens = await highlight('integration acme {\n  queue <|did|> {\n    did "+4570101111"\n  }\n  department <|name|> {\n    fallback <|did|>\n  }\n}');
        expectSemanticToken(tokens, { rangeIndex: 0, tokenType: SemanticTokenTypes.type });
        expectSemanticToken(tokens, { rangeIndex: 1, tokenType: SemanticTokenTypes.class });
        expectSemanticToken(tokens, { rangeIndex: 2, tokenType: SemanticTokenTypes.type });
    });

    it('marks the references of the example to queues, including escalations without a block', async () => {
        const tokens = await highlight(exampleWith('escalate sales_desk', 'escalate <|sales_desk|>'));
        expectSemanticToken(tokens, { rangeIndex: 0, tokenType: SemanticTokenTypes.type });
        expect((await highlight(EXAMPLE)).tokens.filter(token => token.tokenType === SemanticTokenTypes.type).map(token => token.text)).toEqual([
            'tier1',
            'sales_desk',
            'tier1',
            'tier1',
            'sales_desk',
            'sales_desk',
        ]);
    });

    it('colours keywords, strings, comments and numbers too, for editors without the TextMate grammar', async () => {
        const text = [
            '// the integration',
            'integration acme { /* two',
            '  lines */',
            '  queue did {',
            '    name "Phone – Tier 1"',
            '    did "+4570101111"',
            '  }',
            '  department support {',
            '    flow "Support DK"',
            '    timeout 30s',
            '    fallback did',
            '  }',
            '} // end',
        ].join('\n');
        const { tokens } = await highlight(text);
        const typed = tokens.map(token => [token.text, token.tokenType]);
        expect(typed).toEqual([
            ['// the integration', SemanticTokenTypes.comment],
            ['integration', SemanticTokenTypes.keyword],
            ['acme', SemanticTokenTypes.namespace],
            ['/* two', SemanticTokenTypes.comment],
            ['  lines */', SemanticTokenTypes.comment],
            ['queue', SemanticTokenTypes.keyword],
            // a name spelled like a keyword stays a name
            ['did', SemanticTokenTypes.type],
            ['name', SemanticTokenTypes.keyword],
            ['"Phone – Tier 1"', SemanticTokenTypes.string],
            ['did', SemanticTokenTypes.keyword],
            ['"+4570101111"', SemanticTokenTypes.number],
            ['department', SemanticTokenTypes.keyword],
            ['support', SemanticTokenTypes.class],
            ['flow', SemanticTokenTypes.keyword],
            ['"Support DK"', SemanticTokenTypes.string],
            ['timeout', SemanticTokenTypes.keyword],
            ['30s', SemanticTokenTypes.number],
            ['fallback', SemanticTokenTypes.keyword],
            ['did', SemanticTokenTypes.type],
            ['// end', SemanticTokenTypes.comment],
        ]);
        // One token per line: clients need not support multi-line tokens.
        expect(new Set(tokens.map(token => token.offset)).size).toBe(tokens.length);
        expect(Object.keys(provider.tokenTypes)).toEqual(
            expect.arrayContaining([SemanticTokenTypes.keyword, SemanticTokenTypes.string, SemanticTokenTypes.comment, SemanticTokenTypes.number]),
        );
    });
});
