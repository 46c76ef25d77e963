import { diffArrays } from 'diff';

/** The comment that marks a value pull wrote without reading it (kept from the file, or a recommendation). */
export const NOT_READABLE_MARKER = '// not readable:';

/**
 * The pulled text with the reference file's comments put back: where a pulled line says what the file's
 * line says (comments and spacing aside), the file's line is written, with the comments and blank lines
 * before it; where they differ, the pulled line. A pulled line marked "not readable" stays as pulled,
 * so that the mark is never lost. Pure and line-based (the `diff` package's LCS), so it works for any text.
 */
export function keepFileComments(fileText: string, pulledText: string): string {
    const file = codeLinesOf(fileText);
    const pulled = codeLinesOf(pulledText);
    const out: string[] = [];
    let fileIndex = 0;
    let pulledIndex = 0;
    for (const part of diffArrays(
        file.lines.map(l => l.code),
        pulled.lines.map(l => l.code),
    )) {
        for (let n = 0; n < part.value.length; n++) {
            if (part.added) {
                const line = pulled.lines[pulledIndex++];
                out.push(...line.before, line.text);
            } else if (part.removed) {
                fileIndex++; // the file's line and its comments go: the live side does not have it.
            } else {
                const fileLine = file.lines[fileIndex++];
                const pulledLine = pulled.lines[pulledIndex++];
                // The pulled side's own comments (the pull marker) come first; its blank lines give way to the file's.
                out.push(...pulledLine.before.filter(l => l.trim() !== ''), ...fileLine.before);
                out.push(pulledLine.text.includes(NOT_READABLE_MARKER) ? pulledLine.text : fileLine.text);
            }
        }
    }
    out.push(...pulled.trailing);
    return out.join('\n');
}

interface CodeLine {
    /** The line without its comment, inner whitespace collapsed: what is compared. */
    readonly code: string;
    readonly text: string;
    /** The comment-only and blank lines just before it. */
    readonly before: readonly string[];
}

function codeLinesOf(text: string): { lines: CodeLine[]; trailing: string[] } {
    const lines: CodeLine[] = [];
    let before: string[] = [];
    for (const line of text.split('\n')) {
        const code = codeOf(line);
        if (code === '') {
            before.push(line);
        } else {
            lines.push({ code, text: line, before });
            before = [];
        }
    }
    return { lines, trailing: before };
}

/** The line up to a `//` comment outside a string. */
function codeOf(line: string): string {
    let inString = false;
    for (let i = 0; i < line.length; i++) {
        const char = line[i];
        if (inString) {
            if (char === '\\') i++;
            else if (char === '"') inString = false;
        } else if (char === '"') {
            inString = true;
        } else if (char === '/' && line[i + 1] === '/') {
            return normalized(line.slice(0, i));
        }
    }
    return normalized(line);
}

/** Indentation kept (it tells which `}` closes what), the rest's whitespace collapsed; '' for a blank line. */
function normalized(code: string): string {
    const rest = code.trim();
    return rest === '' ? '' : `${/^\s*/.exec(code)![0]}${rest.replace(/\s+/g, ' ')}`;
}
