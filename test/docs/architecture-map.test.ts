/**
 * ARCHITECTURE.md is a map: every repository path it names in code quotes must exist, so that a file moved or
 * renamed without updating the map fails here, naming the stale path. Paths under out/ are build output and
 * templates (`commands/<name>.ts`) are not paths.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const map = readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');

/** Code-quoted tokens that look like repository paths: `src/plan/compute.ts`, `specs/`, `eslint.config.mjs`. */
export function citedPaths(markdown: string): string[] {
    const tokens = [...markdown.matchAll(/`([^`\s]+)`/g)].map(match => match[1]);
    const looksLikePath = (token: string) => /^[\w.-]+(\/[\w.-]+)*\/?$/.test(token) && (token.includes('/') || /\.(ts|mjs|json|md)$/.test(token));
    return [...new Set(tokens.filter(looksLikePath).filter(token => !token.startsWith('out/')))].sort();
}

/** A path relative to the root, or to the folder its section is about (`validation/`, `commands/`). */
function exists(cited: string): boolean {
    if (existsSync(path.join(root, cited))) return true;
    if (cited.includes('/')) return ['src', 'src/language', 'src/cli', 'src/providers'].some(base => existsSync(path.join(root, base, cited)));
    return false;
}

describe('ARCHITECTURE.md, the map', () => {
    it('names only paths that exist', () => {
        const cited = citedPaths(map);
        expect(cited.length).toBeGreaterThan(80);
        expect(cited.filter(token => token.includes('/')).filter(token => !exists(token))).toEqual([]);
    });

    it('names only bare file names that some folder of the repository holds', () => {
        const names = new Set(
            ['src', 'test', 'scripts', 'bench', '.'].flatMap(folder =>
                readdirSync(path.join(root, folder), { recursive: folder !== '.' })
                    .map(entry => path.basename(String(entry)))
                    .filter(name => !name.startsWith('node_modules')),
            ),
        );
        expect(citedPaths(map).filter(token => !token.includes('/') && !names.has(token))).toEqual([]);
    });

    it('would report a stale path (the check is not vacuous)', () => {
        expect(citedPaths('see `src/plan/compute.ts`, `out/cli.cjs`, `POST /custom-numbers`, `commands/<name>.ts` and `specs/`')).toEqual(['specs/', 'src/plan/compute.ts']);
        expect(exists('src/plan/no-such-file.ts')).toBe(false);
    });
});
