import { diffArrays } from 'diff';
import { PULL_MARKER } from '../../../src/language/references/integration-scope.js';
import { NOT_READABLE_MARKER } from '../../../src/pull/keep-comments.js';

/** One run of lines that differ between the live document and the file (either side may be empty). */
export interface Hunk {
    readonly live: readonly string[];
    readonly file: readonly string[];
}

/** The line diff of two texts (the `diff` package's LCS), as the runs of lines that differ. */
export function changedHunks(liveText: string, fileText: string): Hunk[] {
    const hunks: Hunk[] = [];
    let open: { live: string[]; file: string[] } | undefined;
    for (const part of diffArrays(liveText.split('\n'), fileText.split('\n'))) {
        if (!part.added && !part.removed) {
            open = undefined;
            continue;
        }
        if (!open) hunks.push((open = { live: [], file: [] }));
        (part.removed ? open.live : open.file).push(...part.value);
    }
    return hunks;
}

const codeOf = (line: string) => line.replace(/\/\/.*$/, '').trim();

/**
 * What Compare with Live may show after an apply: the pull's header (its marker line and the comment
 * lines after it, on the live side only), and lines pull marks "not readable", whose file-side
 * counterpart is the same code without the mark. Every other differing line is returned, as `live: …`
 * or `file: …`.
 */
export function unmarkedDifferences(liveText: string, fileText: string): string[] {
    const liveLines = liveText.split('\n');
    const headerEnd = liveLines[0]?.startsWith(PULL_MARKER) ? liveLines.findIndex(l => !l.startsWith('//')) : 0;
    const header = new Set(liveLines.slice(0, Math.max(headerEnd, 0)));
    const unexpected: string[] = [];
    for (const hunk of changedHunks(liveText, fileText)) {
        const marked = hunk.live.filter(l => l.includes(NOT_READABLE_MARKER));
        for (const line of hunk.live) if (!header.has(line) && !line.includes(NOT_READABLE_MARKER)) unexpected.push(`live: ${line}`);
        for (const line of hunk.file) if (!marked.some(m => codeOf(m) === codeOf(line))) unexpected.push(`file: ${line}`);
    }
    return unexpected;
}
