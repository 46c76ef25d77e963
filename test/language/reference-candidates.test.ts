import { DefaultFuzzyMatcher } from 'langium/lsp';
import type { AstNodeDescription } from 'langium';
import { describe, expect, it } from 'vitest';
import { REFERENCE_CANDIDATES_SHOWN, shownReferenceCandidates } from '../../src/language/lsp/reference-candidates.js';

const matcher = new DefaultFuzzyMatcher();
const matches = (typed: string, name: string) => matcher.match(typed, name);
const described = (name: string, documentUri = 'file:///own.sipflow') => ({ name, documentUri }) as unknown as AstNodeDescription;

describe('shownReferenceCandidates', () => {
    it('keeps every match, in scope order, when they fit under the cap', () => {
        const candidates = ['tier2', 'tier1', 'sales_desk'].map(name => described(name));
        expect(shownReferenceCandidates(candidates, 'ti', matches).map(c => c.name)).toEqual(['tier2', 'tier1']);
        expect(shownReferenceCandidates(candidates, '', matches).map(c => c.name)).toEqual(['tier2', 'tier1', 'sales_desk']);
    });

    it('offers a shadowed name once, the first (the file’s own queue), and it takes one place', () => {
        const own = described('tier1');
        const foreign = described('tier1', 'file:///queues.sipflow');
        // 101 candidates, 100 names: the list fits the cap, so it keeps the scope's order.
        const many = Array.from({ length: REFERENCE_CANDIDATES_SHOWN - 1 }, (_, i) => described(`q${String(i).padStart(3, '0')}`));
        const shown = shownReferenceCandidates([own, ...many, foreign], '', matches);
        expect(shown).toHaveLength(REFERENCE_CANDIDATES_SHOWN);
        expect(shown[0]).toBe(own);
        expect(shown).not.toContain(foreign);
    });

    it('past the cap: names that start with the typed text first, then the other matches, each by name', () => {
        const names = [...Array.from({ length: 350 }, (_, i) => `team_${String(i).padStart(3, '0')}`), 'a_team_33'];
        const candidates = names.reverse().map(name => described(name));
        // team_300 … team_349 start with it (50); team_003, team_013, a_team_33, … match it too.
        const shown = shownReferenceCandidates(candidates, 'team_3', matches).map(c => c.name);
        expect(shown).toHaveLength(REFERENCE_CANDIDATES_SHOWN);
        expect(shown.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => `team_${300 + i}`));
        const rest = shown.slice(50);
        expect(rest.every(name => !name.startsWith('team_3') && matches('team_3', name))).toBe(true);
        expect(rest).toEqual([...rest].sort());
        expect(rest[0]).toBe('a_team_33');
    });
});
