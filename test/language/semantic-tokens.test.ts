import { describe, expect, it } from 'vitest';
import { expectSemanticToken, highlightHelper } from 'langium/test';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import { EXAMPLE, exampleWith } from './helpers.js';
import { editor } from './editor-helpers.js';

const highlight = highlightHelper(editor.Sipflow);
const provider = editor.Sipflow.lsp.SemanticTokenProvider!;

/** Names of the modifiers set in a token's bit mask (the provider maps each name to its bit). */
function modifierNames(mask: number): string[] {
    return Object.entries(provider.tokenModifiers).filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name);
}

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
        expect(tokens.map(token => [token.text, token.tokenType, modifierNames(token.tokenModifiers)])).toEqual([
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
        expect((await highlight(EXAMPLE)).tokens.filter(token => token.tokenType === SemanticTokenTypes.type).map(token => token.text)).toEqual(['tier1', 'sales_desk', 'tier1', 'tier1', 'sales_desk', 'sales_desk']);
    });
});
