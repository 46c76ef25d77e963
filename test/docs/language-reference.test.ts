/**
 * docs/language.md is the language reference: it must name every keyword of the grammar and document every
 * diagnostic code with the severity the code gives it. A keyword or code added without its documentation
 * fails here, naming what is missing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTICS, INTERNAL_ERROR_CODE, PROBLEMS_CAPPED_CODE } from '../../src/language/diagnostic-codes.js';

const root = path.resolve(import.meta.dirname, '../..');
const reference = readFileSync(path.join(root, 'docs/language.md'), 'utf8');
const grammar = readFileSync(path.join(root, 'src/language/sipflow.langium'), 'utf8');

/** The word keywords of the grammar: every quoted token of a parser rule that is not punctuation. */
export function grammarKeywords(text: string): string[] {
    const withoutComments = text.replace(/\/\/[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
    const keywords = [...withoutComments.matchAll(/'([^']+)'/g)].map(match => match[1]).filter(token => /^[a-z][a-z-]*$/.test(token));
    return [...new Set(keywords)].sort();
}

/** The rows of the reference's diagnostics table: code → severity as documented. */
export function documentedDiagnostics(markdown: string): Map<string, string> {
    const rows = new Map<string, string>();
    for (const match of markdown.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+?) \|/gm)) rows.set(match[1], match[2].trim());
    return rows;
}

describe('docs/language.md, the language reference', () => {
    it('names every keyword of the grammar in code quotes', () => {
        const keywords = grammarKeywords(grammar);
        expect(keywords).toEqual(expect.arrayContaining(['integration', 'environment', 'escalate', 'warm-with-context', 'ring-group', 'trunk-auth']));
        expect(keywords.filter(keyword => !reference.includes(`\`${keyword}\``))).toEqual([]);
    });

    it('documents every diagnostic code, with the severity diagnostic-codes.ts gives it', () => {
        const documented = documentedDiagnostics(reference);
        const expected = new Map<string, string>([['parse-error', 'error'], ...Object.entries(DIAGNOSTICS), [INTERNAL_ERROR_CODE, 'error']]);
        const wrong = [...expected]
            .filter(([code, severity]) => documented.get(code) !== severity)
            .map(([code, severity]) => `${code}: ${severity}, documented ${documented.get(code) ?? 'nowhere'}`);
        expect(wrong).toEqual([]);
        expect(documented.has(PROBLEMS_CAPPED_CODE)).toBe(true);
    });

    it('documents no code that does not exist', () => {
        const known = new Set<string>(['parse-error', ...Object.keys(DIAGNOSTICS), INTERNAL_ERROR_CODE, PROBLEMS_CAPPED_CODE]);
        const documented = [...documentedDiagnostics(reference).keys()].filter(code => code.includes('-') || known.has(code));
        // The settings tables have rows too (`sip-domain`, `trunk-auth`): those are keywords, not codes.
        const keywords = new Set(grammarKeywords(grammar));
        expect(documented.filter(code => !known.has(code) && !keywords.has(code))).toEqual([]);
    });

    it('the checks above can fail: a keyword or code left out is reported', () => {
        expect(grammarKeywords("Queue: 'queue' name=Name '{' ('kind' kind=QueueKind)* '}'; // 'ignored'")).toEqual(['kind', 'queue']);
        const table = '| `timeout-range` | error | … | … |\n| `uui-key` | hint | … | … |';
        expect(documentedDiagnostics(table)).toEqual(
            new Map([
                ['timeout-range', 'error'],
                ['uui-key', 'hint'],
            ]),
        );
    });

    it('the README links the reference and the architecture map', () => {
        const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
        expect(readme).toContain('](docs/language.md)');
        expect(readme).toContain('](ARCHITECTURE.md)');
    });
});
