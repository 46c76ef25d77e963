/**
 * A plain clone carries the vendor OpenAPI files the contract suites need, and a missing one is an error
 * naming it (a suite that needs it fails instead of being skipped).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOriginalDixaSpec, readOriginalSynthflowSpec, REPO_ROOT, specsDir } from '../support/spec-errata.js';

describe('specs/', () => {
    it('is the default specs folder, inside the repository', () => {
        const saved = process.env.SIPFLOW_SPECS_DIR;
        delete process.env.SIPFLOW_SPECS_DIR;
        try {
            expect(specsDir()).toBe(join(REPO_ROOT, 'specs'));
        } finally {
            if (saved !== undefined) process.env.SIPFLOW_SPECS_DIR = saved;
        }
    });

    it('holds every file its README lists, and the README lists every file it holds', () => {
        const dir = join(REPO_ROOT, 'specs');
        const onDisk = ['dixa', 'synthflow'].flatMap(vendor => readdirSync(join(dir, vendor)).map(f => `${vendor}/${f}`)).sort();
        const readme = readFileSync(join(dir, 'README.md'), 'utf8');
        const listed = [...readme.matchAll(/^\| `([a-z]+\/[^`]+)` \|/gm)].map(m => m[1]!).sort();
        expect(listed).toEqual(onDisk);
        expect(onDisk).toContain('dixa/dixa-api.yaml');
        expect(onDisk).toContain('synthflow/synthflow-openapi.json');
    });

    it('parses: Dixa is OpenAPI 3.0 under /beta, Synthflow is OpenAPI 3.1', () => {
        const dixa = readOriginalDixaSpec(join(REPO_ROOT, 'specs'));
        expect(String(dixa.openapi)).toMatch(/^3\.0\./);
        expect(Object.keys(dixa.paths as object).every(p => p.startsWith('/beta'))).toBe(true);
        expect(String(readOriginalSynthflowSpec(join(REPO_ROOT, 'specs')).openapi)).toMatch(/^3\.1\./);
    });

    it('a missing spec file is an error naming the file', () => {
        const empty = mkdtempSync(join(tmpdir(), 'sipflow-nospecs-'));
        try {
            expect(() => readOriginalDixaSpec(empty)).toThrow(join(empty, 'dixa', 'dixa-api.yaml'));
            expect(() => readOriginalSynthflowSpec(empty)).toThrow(join(empty, 'synthflow', 'synthflow-openapi.json'));
        } finally {
            rmSync(empty, { recursive: true, force: true });
        }
    });
});
