/**
 * The bundles are pure ASCII (issue 11, start-up): a single non-ASCII character in a 1.1 MB chunk makes V8
 * hold the whole source as a two-byte string, decoded and compiled slower at every start.
 * scripts/ascii-bundles.mjs, run by esbuild.mjs after bundling, rewrites comments and refuses anything else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asciiComments } from '../../scripts/ascii-bundles.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NON_ASCII = /[^\x00-\x7f]/; // every character above U+007F

describe('asciiComments', () => {
    it('replaces each non-ASCII UTF-16 unit in line and block comments with ?, keeping every offset', () => {
        const source = [
            '// Takes a token — or waits…',
            'const url = "http://example.com/" + x; /* “quoted” 😀 */',
            'const re = /\\/\\/ not a comment/g; // after a regex: →',
            'const y = a / b / c; // a division, not a regex: ©',
        ].join('\n');
        const ascii = asciiComments(source);
        expect(NON_ASCII.test(ascii)).toBe(false);
        expect(ascii).toHaveLength(source.length);
        expect(ascii.split('\n')).toEqual([
            '// Takes a token ? or waits?',
            'const url = "http://example.com/" + x; /* ?quoted? ?? */',
            'const re = /\\/\\/ not a comment/g; // after a regex: ?',
            'const y = a / b / c; // a division, not a regex: ?',
        ]);
    });

    it('returns ASCII source as it is, and reads ES modules', () => {
        const source = "import x from 'y';\nexport const z = x; // plain\n";
        expect(asciiComments(source, { sourceType: 'module' })).toBe(source);
        expect(asciiComments(`${source}// módulo\n`, { sourceType: 'module' })).toBe(`${source}// m?dulo\n`);
    });

    it('refuses non-ASCII outside a comment, naming the file, line, column and character', () => {
        const source = 'const a = 1; // fine: é\nconst re = /[æø]/g;\n';
        expect(() => asciiComments(source, { fileName: 'out/x.cjs' })).toThrow(/^out\/x\.cjs:2:14: non-ASCII character U\+00E6 outside a comment/);
        expect(() => asciiComments('const s = `naïve`;', { fileName: 'out/y.cjs' })).toThrow(/out\/y\.cjs:1:14: non-ASCII character U\+00EF/);
    });
});

describe('the built bundles', () => {
    it('are pure ASCII, every Node and web bundle and every CLI chunk', () => {
        const files = [
            ...readdirSync(path.join(ROOT, 'out')).map(name => path.join('out', name)),
            ...readdirSync(path.join(ROOT, 'out/cli')).map(name => path.join('out/cli', name)),
        ].filter(file => /\.(c|m)?js$/.test(file));
        // The CLI's entry and chunks, the server, the extension and the benchmark's peer at least.
        expect(files).toEqual(expect.arrayContaining(['out/cli.cjs', 'out/cli/main.mjs', 'out/server.cjs', 'out/extension.cjs', 'out/peer.cjs']));
        expect(files.filter(file => file.startsWith('out/cli/chunk-')).length).toBeGreaterThan(5);
        const nonAscii = files.filter(file => NON_ASCII.test(readFileSync(path.join(ROOT, file), 'utf8')));
        expect(nonAscii).toEqual([]);
    });
});
