// `pull --from FILE` right after `apply FILE` (the bundled CLI against the in-process sandbox, its state
// kept in a file across runs): the pulled text differs from the file only by the pull marker and the
// lines marked "not readable" (what no Dixa or Synthflow API returns), and it validates by itself.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { diffLines } from 'diff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, runSipflow } from '../support/cli.js';

const EXAMPLE_PATH = path.join(REPOSITORY_ROOT, 'examples/acme.sipflow');
const EXAMPLE = readFileSync(EXAMPLE_PATH, 'utf8');

let workDir: string;

beforeAll(() => {
    if (!existsSync(path.join(REPOSITORY_ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first.');
    workDir = mkdtempSync(path.join(tmpdir(), 'sipflow-pull-fidelity-'));
});

afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The lines the pulled text adds or removes against the example, each as `+ line` / `- line`. */
function changedLines(original: string, pulled: string): string[] {
    return diffLines(original, pulled).flatMap(part => {
        if (!part.added && !part.removed) return [];
        return part.value
            .replace(/\n$/, '')
            .split('\n')
            .map(line => `${part.added ? '+' : '-'} ${line}`);
    });
}

describe('pull --from the applied file', () => {
    it('differs from the file only by the pull marker and the lines marked "not readable"', async () => {
        const state = path.join(workDir, 'sandbox-state.json');
        const sandbox = ['--sandbox', '--sandbox-state', state];
        const apply = await runSipflow(['apply', EXAMPLE_PATH, '--yes', ...sandbox]);
        expect(apply.code, apply.stdout + apply.stderr).toBe(0);
        const pull = await runSipflow(['pull', '--from', EXAMPLE_PATH, ...sandbox]);
        expect(pull.code, pull.stderr).toBe(0);
        const pulled = pull.stdout;

        expect(pulled.split('\n')[0]).toBe('// sipflow pull: live state of integration acme, read from Dixa and Synthflow.');
        const changes = changedLines(EXAMPLE, pulled);
        const header = pulled
            .slice(0, pulled.indexOf('integration acme {'))
            .split('\n')
            .filter(l => l.startsWith('// sipflow pull:') || l.startsWith('// Checked by itself'));
        const unexplained = changes.filter(change => {
            const line = change.slice(2);
            if (change.startsWith('+')) return !line.includes('// not readable:') && !header.includes(line);
            // A removed line must come back, marked, as an added one.
            return !changes.some(added => added.startsWith('+') && added.slice(2).startsWith(`${line}  // not readable:`));
        });
        expect(unexplained).toEqual([]);
        // Something is marked: the flow steps (timeout) cannot be read.
        expect(changes.some(c => c.startsWith('+') && c.includes('timeout 30s  // not readable:'))).toBe(true);

        // The file's names, the queue apply created (with its fallback), its written defaults and its comments.
        expect(pulled).toContain('  queue tier1 {\n');
        expect(pulled).toContain('  queue sales_desk {\n');
        expect(pulled).not.toContain('phone_tier_1');
        expect(pulled).toMatch(/\n    fallback sales_desk {2}\/\/ not readable:.*\n    escalate sales_desk\n/);
        expect(pulled).toContain('    escalate tier1 {\n      mode warm\n');
        expect(pulled).toMatch(/\n    uui phone_number {2}\/\/ not readable:/);
        expect(pulled).toContain('// Acme routes its Danish support and sales lines through Synthflow AI agents,\n');
        expect(pulled).toContain('    allowlist synthflow              // the Synthflow signalling IPs of the region below\n');
        expect(pulled).not.toContain('sip:+4570102222');

        writeFileSync(path.join(workDir, 'pulled.sipflow'), pulled);
        const validate = await runSipflow(['validate', path.join(workDir, 'pulled.sipflow')]);
        expect(validate.stdout).toMatch(/^0 errors, \d+ warnings? in 1 file\n$/);
        expect(validate.code).toBe(0);
    });

    it('without --from keeps its own names but marks the timeout it cannot read', async () => {
        const state = path.join(workDir, 'sandbox-state-plain.json');
        const sandbox = ['--sandbox', '--sandbox-state', state];
        expect((await runSipflow(['apply', EXAMPLE_PATH, '--yes', ...sandbox])).code).toBe(0);
        const pull = await runSipflow(['pull', ...sandbox]);
        expect(pull.code, pull.stderr).toBe(0);
        expect(pull.stdout).toContain('    timeout 30s  // not readable: Dixa has no API for flow steps (the recommended value)\n');
        expect(pull.stdout).not.toMatch(/^\s*timeout 30s\s*$/m);
    });
});
