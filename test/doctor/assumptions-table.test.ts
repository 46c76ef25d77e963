// The one table: every `// [I] assumption: <id>` marker in the code names an assumption of
// src/doctor/assumptions.ts, every assumption there is marked somewhere in the code, and
// docs/assumptions.md carries exactly the table generated from the list (and the README links it).
// That each assumption has a doctor probe that reports on it is checked in doctor-cli.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS, renderAssumptionsTable } from '../../src/doctor/assumptions.js';
import { REPO_ROOT } from '../support/spec-errata.js';

const MARKER = /\[I\] assumption: ([a-z0-9-]+)/g;

function sourceFiles(folder: string): string[] {
    return readdirSync(folder, { withFileTypes: true }).flatMap(entry => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
        return entry.name.endsWith('.ts') ? [path] : [];
    });
}

function markersInCode(): Map<string, string[]> {
    const found = new Map<string, string[]>();
    for (const file of sourceFiles(join(REPO_ROOT, 'src'))) {
        for (const match of readFileSync(file, 'utf8').matchAll(MARKER)) {
            found.set(match[1]!, [...(found.get(match[1]!) ?? []), relative(REPO_ROOT, file)]);
        }
    }
    return found;
}

describe('the one table of assumptions', () => {
    const ids = ASSUMPTIONS.map(a => a.id);

    it('has unique ids, each with a statement, a source, a probe and a way to contradict it', () => {
        expect(new Set(ids).size).toBe(ids.length);
        for (const a of ASSUMPTIONS) {
            for (const field of [a.statement, a.source, a.probe, a.contradictInSandbox]) expect(field.trim(), a.id).not.toBe('');
        }
    });

    it('knows every id a marker in the code names', () => {
        const unknown = [...markersInCode()].filter(([id]) => !ids.includes(id)).map(([id, files]) => `${id} (${files.join(', ')})`);
        expect(unknown, 'markers naming an assumption missing from src/doctor/assumptions.ts').toEqual([]);
    });

    it('lists only assumptions the code is marked as relying on', () => {
        const marked = markersInCode();
        expect(
            ids.filter(id => !marked.has(id)),
            'assumptions no `// [I] assumption: <id>` marker names',
        ).toEqual([]);
    });

    it('has a marker in every source file that calls something [I] (unverified)', () => {
        // The list itself explains the marker syntax; every other [I] remark must say which assumption it is.
        const unmarked = sourceFiles(join(REPO_ROOT, 'src'))
            .filter(file => relative(REPO_ROOT, file) !== join('src', 'doctor', 'assumptions.ts'))
            .filter(file => {
                const text = readFileSync(file, 'utf8');
                return text.includes('[I]') && !/\[I\] assumption: [a-z0-9-]+/.test(text);
            })
            .map(file => relative(REPO_ROOT, file));
        expect(unmarked, 'files with an [I] remark but no `// [I] assumption: <id>` marker').toEqual([]);
    });

    it('is the table in docs/assumptions.md, linked from the README', () => {
        const doc = readFileSync(join(REPO_ROOT, 'docs/assumptions.md'), 'utf8');
        expect(doc, 'docs/assumptions.md must contain renderAssumptionsTable() verbatim: paste the expected table').toContain(renderAssumptionsTable());
        expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('docs/assumptions.md');
    });
});
