import type { Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

// When a trigger character (a space, a colon) should open completion: only where a value is asked for, never
// inside a string or a comment. Used by SipflowCompletionProvider.getCompletion.

/** The words after which a space asks for a value (a trigger character answers only there). */
export const VALUE_TAKING_KEYWORDS: ReadonlySet<string> = new Set(['fallback', 'escalate', 'region', 'mode', 'kind', 'trunk-auth', 'uui', 'allowlist', 'username', 'password']);

/**
 * Whether a trigger character typed at `position` asks for a value: a space after a word that takes one, a colon
 * ending `env:` after `username` / `password`; never inside a string or a comment.
 */
export function triggerAsksForValue(textDocument: TextDocument, position: Position, trigger: string): boolean {
    const text = textDocument.getText();
    const offset = textDocument.offsetAt(position);
    if (insideStringOrComment(text, offset)) return false;
    const lineBefore = textDocument.getText({ start: { line: position.line, character: 0 }, end: position });
    if (trigger === ':') return /\b(?:username|password)\s+env:$/.test(lineBefore);
    if (trigger !== ' ') return true;
    const word = /(?:^|[\s{}])([a-z][a-z-]*) $/.exec(lineBefore)?.[1];
    return word !== undefined && VALUE_TAKING_KEYWORDS.has(word);
}

/**
 * Whether `offset` is inside a string literal or a comment. Strings and `//` comments end with their line, so
 * the line is scanned; a block comment may span lines, so the text before the line is searched for an open one.
 */
export function insideStringOrComment(text: string, offset: number): boolean {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    let scanFrom = lineStart;
    const lastOpen = lineStart > 0 ? text.lastIndexOf('/*', lineStart - 1) : -1;
    if (lastOpen >= 0 && !scanLine(text, text.lastIndexOf('\n', lastOpen - 1) + 1, lastOpen)) {
        const close = text.indexOf('*/', lastOpen + 2);
        if (close < 0 || close + 2 > offset) return true;
        if (close + 2 > lineStart) scanFrom = close + 2;
    }
    return scanLine(text, scanFrom, offset);
}

/** Scans `text` from `start` (outside any string or comment) to `offset`: is `offset` inside one? */
function scanLine(text: string, start: number, offset: number): boolean {
    let i = start;
    while (i < offset) {
        const char = text[i];
        if (char === '"') {
            i++;
            while (i < offset && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
            if (i >= offset) return true;
            i++;
        } else if (char === '/' && text[i + 1] === '/') {
            return true;
        } else if (char === '/' && text[i + 1] === '*') {
            const close = text.indexOf('*/', i + 2);
            if (close < 0 || close + 2 > offset) return true;
            i = close + 2;
        } else {
            i++;
        }
    }
    return false;
}
