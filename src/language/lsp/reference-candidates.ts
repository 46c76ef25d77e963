import type { AstNodeDescription } from 'langium';

/** The most queues one completion list offers for `fallback` / `escalate`. */
export const REFERENCE_CANDIDATES_SHOWN = 100;

/**
 * What a completion list offers of `candidates`: those whose name `matches` what is typed, at most
 * REFERENCE_CANDIDATES_SHOWN of them, the names that start with it (ignoring case) first, then by name.
 * Langium marks every list incomplete, so the editor asks again as the user types and the list narrows;
 * clangd caps its lists at 100 the same way. At 10,000 departments `fallback ` had 1,250 queues: building
 * and sending them was most of a completion's time, and no one scrolls through them.
 */
export function shownReferenceCandidates(candidates: Iterable<AstNodeDescription>, typed: string, matches: (typed: string, name: string) => boolean): AstNodeDescription[] {
    // Once per name, the first (a file's own queue before a shadowed one of another file): Langium would
    // show one item per label anyway, and a shadowed copy must not take a place under the cap.
    const matching: AstNodeDescription[] = [];
    const seen = new Set<string>();
    for (const candidate of candidates) {
        if (seen.has(candidate.name) || !matches(typed, candidate.name)) continue;
        seen.add(candidate.name);
        matching.push(candidate);
    }
    if (matching.length <= REFERENCE_CANDIDATES_SHOWN) return matching;
    const prefix = typed.toLowerCase();
    const rank = (candidate: AstNodeDescription) => (candidate.name.toLowerCase().startsWith(prefix) ? 0 : 1);
    return matching.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, REFERENCE_CANDIDATES_SHOWN);
}
