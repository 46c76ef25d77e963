import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GrammarAST, AstUtils } from 'langium';
import { EXAMPLE } from './helpers.js';
import { editor } from './editor-helpers.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const json = (path: string) => JSON.parse(readFileSync(root(path), 'utf8')) as Record<string, unknown>;

interface Rule {
    readonly include?: string;
    readonly match?: string;
    readonly begin?: string;
    readonly end?: string;
    readonly name?: string;
    readonly captures?: Record<string, { name: string }>;
    readonly patterns?: readonly Rule[];
}
interface TmGrammar {
    readonly scopeName: string;
    readonly patterns: readonly Rule[];
    readonly repository: Record<string, Rule>;
}

const grammar = json('syntaxes/sipflow.tmLanguage.json') as unknown as TmGrammar;
const configuration = json('language-configuration.json') as {
    wordPattern: string;
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    comments: unknown;
    autoClosingPairs: unknown[];
};

/** The top-level rules with includes resolved (the grammar nests one level of `patterns`). */
function flatten(rules: readonly Rule[]): Rule[] {
    return rules.flatMap(rule => {
        const resolved = rule.include ? grammar.repository[rule.include.slice(1)] : rule;
        return resolved.patterns && !resolved.begin ? flatten(resolved.patterns) : [resolved];
    });
}

/**
 * A small TextMate-style tokenizer, enough for this grammar: at each position the earliest match of the
 * top-level rules wins (ties go to the first rule); begin/end rules may span lines. Returns [text, scope] pairs
 * for captured groups and named matches (innermost scope only), skipping whitespace and unscoped text.
 */
function tokenize(text: string): Array<[string, string]> {
    const rules = flatten(grammar.patterns);
    const tokens: Array<[string, string]> = [];
    let open: Rule | undefined;
    for (const line of text.split('\n')) {
        let position = 0;
        // Where the search for the end of an open begin/end rule starts (after its begin on the line it opened).
        let endSearchFrom = 0;
        while (position < line.length) {
            if (open) {
                const end = new RegExp(open.end!, 'g');
                end.lastIndex = endSearchFrom;
                const found = end.exec(line);
                const stop = found ? found.index + found[0].length : line.length;
                tokens.push([line.slice(position, stop), open.name!]);
                position = stop;
                endSearchFrom = stop;
                if (found) open = undefined;
                continue;
            }
            let best: { rule: Rule; match: RegExpExecArray } | undefined;
            for (const rule of rules) {
                const regex = new RegExp(rule.match ?? rule.begin!, 'gd');
                regex.lastIndex = position;
                const match = regex.exec(line);
                if (match && (!best || match.index < best.match.index)) best = { rule, match };
            }
            if (!best) break;
            const { rule, match } = best;
            if (rule.begin) {
                open = rule;
                position = match.index;
                endSearchFrom = match.index + match[0].length;
                continue;
            }
            const captured = Object.entries(rule.captures ?? {}).filter(([group]) => match.indices![Number(group)] !== undefined);
            if (captured.length === 0 && rule.name) tokens.push([match[0], rule.name]);
            for (const [group, { name }] of captured) tokens.push([match[Number(group)], name]);
            position = match.index + Math.max(match[0].length, 1);
        }
    }
    return tokens.filter(([token]) => token.trim() !== '');
}

describe('TextMate grammar', () => {
    it('is the grammar package.json contributes for the language', () => {
        const contributes = json('package.json').contributes as { grammars: Array<{ scopeName: string; path: string }>; languages: Array<{ configuration: string }> };
        expect(contributes.grammars[0]).toMatchObject({ scopeName: grammar.scopeName, path: './syntaxes/sipflow.tmLanguage.json' });
        expect(grammar.scopeName).toBe('source.sipflow');
        expect(contributes.languages[0].configuration).toBe('./language-configuration.json');
    });

    it('scopes comments, declarations, DIDs, SIP URIs, env refs, durations and keywords', () => {
        const text = [
            '// header',
            'integration acme { /* note',
            '   more */',
            '  queue tier1 { did "+4570101111" kind queue }',
            '  department support { timeout 30s fallback tier1 escalate "sip:+4570101111@acme.sip.dixa.com" }',
            '  synthflow { region eu trunk-auth credentials { username env:DIXA_SIP_USERNAME } }',
            '  dixa { sip-domain "acme.sip.dixa.com" allowlist synthflow, "1.2.3.4" }',
            '}',
        ].join('\n');
        expect(tokenize(text)).toEqual([
            ['//', 'punctuation.definition.comment.sipflow'],
            ['integration', 'keyword.declaration.integration.sipflow'],
            ['acme', 'entity.name.namespace.integration.sipflow'],
            ['{', 'punctuation.section.block.begin.sipflow'],
            ['/* note', 'comment.block.sipflow'],
            ['   more */', 'comment.block.sipflow'],
            ['queue', 'keyword.declaration.queue.sipflow'],
            ['tier1', 'entity.name.type.queue.sipflow'],
            ['{', 'punctuation.section.block.begin.sipflow'],
            ['did', 'keyword.other.setting.sipflow'],
            ['"', 'punctuation.definition.string.begin.sipflow'],
            ['+4570101111', 'constant.numeric.phone-number.e164.sipflow'],
            ['"', 'punctuation.definition.string.end.sipflow'],
            ['kind', 'keyword.other.setting.sipflow'],
            ['queue', 'constant.language.sipflow'],
            ['}', 'punctuation.section.block.end.sipflow'],
            ['department', 'keyword.declaration.department.sipflow'],
            ['support', 'entity.name.type.class.department.sipflow'],
            ['{', 'punctuation.section.block.begin.sipflow'],
            ['timeout', 'keyword.other.setting.sipflow'],
            ['30', 'constant.numeric.duration.sipflow'],
            ['s', 'keyword.other.unit.sipflow'],
            ['fallback', 'keyword.other.setting.sipflow'],
            ['tier1', 'entity.name.type.queue.reference.sipflow'],
            ['escalate', 'keyword.other.setting.sipflow'],
            ['"', 'punctuation.definition.string.begin.sipflow'],
            ['sip:+4570101111@acme.sip.dixa.com', 'markup.underline.link.sip-uri.sipflow'],
            ['sip', 'keyword.other.uri-scheme.sipflow'],
            ['"', 'punctuation.definition.string.end.sipflow'],
            ['}', 'punctuation.section.block.end.sipflow'],
            ['synthflow', 'keyword.declaration.block.sipflow'],
            ['{', 'punctuation.section.block.begin.sipflow'],
            ['region', 'keyword.other.setting.sipflow'],
            ['eu', 'constant.language.sipflow'],
            ['trunk-auth', 'keyword.other.setting.sipflow'],
            ['credentials', 'keyword.declaration.block.sipflow'],
            ['{', 'punctuation.section.block.begin.sipflow'],
            ['username', 'keyword.other.setting.sipflow'],
            ['env', 'storage.modifier.env.sipflow'],
            [':', 'punctuation.separator.env.sipflow'],
            ['DIXA_SIP_USERNAME', 'variable.other.constant.environment.sipflow'],
            ['}', 'punctuation.section.block.end.sipflow'],
            ['}', 'punctuation.section.block.end.sipflow'],
            ['dixa', 'keyword.declaration.block.sipflow'],
            ['{', 'punctuation.section.block.begin.sipflow'],
            ['sip-domain', 'keyword.other.setting.sipflow'],
            ['"acme.sip.dixa.com"', 'string.quoted.double.sipflow'],
            ['allowlist', 'keyword.other.setting.sipflow'],
            ['synthflow', 'constant.language.sipflow'],
            [',', 'punctuation.separator.comma.sipflow'],
            ['"1.2.3.4"', 'string.quoted.double.sipflow'],
            ['}', 'punctuation.section.block.end.sipflow'],
            ['}', 'punctuation.section.block.end.sipflow'],
        ]);
    });

    it("scopes a header's X- name", () => {
        expect(tokenize('    header X-Caller "{caller}"')).toEqual([
            ['header', 'keyword.other.setting.sipflow'],
            ['X-Caller', 'variable.other.property.header.sipflow'],
            ['"{caller}"', 'string.quoted.double.sipflow'],
        ]);
    });

    it('knows every keyword of the Langium grammar', () => {
        const keywords = AstUtils.streamAllContents(editor.Sipflow.Grammar)
            .filter(GrammarAST.isKeyword)
            .map(keyword => keyword.value)
            .filter(value => /[a-z]/.test(value))
            .toSet();
        const keywordRules = grammar.repository.keywords.patterns!.map(rule => new RegExp(`^(?:${rule.match})$`));
        const unknown = [...keywords].filter(keyword => !keywordRules.some(rule => rule.test(keyword)));
        expect(unknown).toEqual([]);
    });

    it('scopes every line of the canonical example without leaving a keyword unscoped', () => {
        const scoped = tokenize(EXAMPLE);
        const words = new Set(scoped.map(([token]) => token));
        for (const word of [
            'integration',
            'dixa',
            'sip-domain',
            'allowlist',
            'region',
            'workspace',
            'trunk-auth',
            'ip',
            'queue',
            'name',
            'did',
            'kind',
            'department',
            'flow',
            'assistant',
            'timeout',
            'fallback',
            'uui',
            'escalate',
            'mode',
            'when',
            'say',
        ]) {
            expect(words, word).toContain(word);
        }
    });
});

describe('language configuration', () => {
    const word = new RegExp(configuration.wordPattern, 'g');
    const words = (text: string) => text.match(word);

    it('treats hyphenated keywords, env refs and durations as single words', () => {
        expect(words('sip-domain "a" trunk-auth warm-with-context ring-group')).toEqual(['sip-domain', 'a', 'trunk-auth', 'warm-with-context', 'ring-group']);
        expect(words('username env:DIXA_SIP_USERNAME timeout 30s')).toEqual(['username', 'env:DIXA_SIP_USERNAME', 'timeout', '30s']);
    });

    it('makes no word of a fragment of an id, a number or an address (no "-3b", "0e" or "1738660423280x")', () => {
        expect(words('assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"')).toEqual(['assistant', 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6']);
        expect(words('assistant "0e36ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"')).toEqual(['assistant']);
        expect(words('workspace "1738660423280x428309622607052800"')).toEqual(['workspace']);
        expect(words('allowlist "34.89.186.33" timeout 1.5m timeout 500ms')).toEqual(['allowlist', 'timeout', '1.5m', 'timeout', '500ms']);
        const fragments = (EXAMPLE.match(word) ?? []).filter(w => /^-|^\d+[a-z]/i.test(w) && !/^\d+(\.\d+)?(ms|s|m)$/.test(w));
        expect(fragments).toEqual([]);
    });

    it('turns word-based suggestions off for the language (completion comes from the server only)', () => {
        const manifest = json('package.json') as { contributes: { configurationDefaults: Record<string, Record<string, unknown>>; snippets?: unknown } };
        expect(manifest.contributes.configurationDefaults['[sipflow]']['editor.wordBasedSuggestions']).toBe('off');
        // Static snippets show by prefix everywhere; the server offers each block's skeleton where a block may start.
        expect(manifest.contributes.snippets).toBeUndefined();
    });

    it('indents after an opening brace and outdents a closing one', () => {
        const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
        const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
        expect(['  queue tier1 {', '  dixa {   // the Dixa side', 'integration acme {'].map(line => increase.test(line))).toEqual([true, true, true]);
        expect(['  queue q { did "+4570101111" }', '  // a { in a comment', '    did "+4570101111"'].map(line => increase.test(line))).toEqual([false, false, false]);
        expect(['  }', '}', '  queue {'].map(line => decrease.test(line))).toEqual([true, true, false]);
    });

    it('declares the comment tokens and auto-closing pairs', () => {
        expect(configuration.comments).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
        expect(configuration.autoClosingPairs).toContainEqual({ open: '{', close: '}' });
    });
});
