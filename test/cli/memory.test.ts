/**
 * Issue 11's memory target: the CLI validates 10,000 departments (a 2 MB file) in ≤ 250 MB peak RSS.
 * Without the young-generation flag (src/cli/young-generation.ts) the same run peaks at ~300 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'sipflow-memory-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sipflow validate of 10,000 departments', () => {
    it('peaks at 250 MB RSS or less, and finds the file clean', () => {
        const file = path.join(work, 'large.sipflow');
        writeFileSync(file, toSipflow(generateIntegration(10_000)));
        const probe = path.join(work, 'probe.cjs');
        const record = path.join(work, 'rss.json');
        writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, String(process.resourceUsage().maxRSS)));\n`);
        const run = spawnSync(process.execPath, ['--require', probe, path.join(ROOT, 'out/cli.cjs'), 'validate', file], { encoding: 'utf8', timeout: 120_000 });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toContain('0 errors, 0 warnings in 1 file');
        const peakMb = Number(readFileSync(record, 'utf8')) / 1024;
        expect(peakMb).toBeGreaterThan(50); // the probe measured the real process
        expect(peakMb).toBeLessThanOrEqual(250);
    }, 120_000);
});
