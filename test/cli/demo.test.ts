// `npm start`'s entry (out/demo.cjs, built from scripts/demo.ts), run as npm start runs it: apply to an
// in-process sandbox, the manual Dixa steps done, then `verify --call`; the output ends with the summary
// table of two verified calls, and the exit code is 0.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { REPO_ROOT } from '../support/spec-errata.js';

const DEMO_ENTRY = 'out/demo.cjs';
const locks = mkdtempSync(path.join(tmpdir(), 'sipflow-demo-locks-'));

afterAll(() => rmSync(locks, { recursive: true, force: true }));

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SIPFLOW_LOCK_DIR: locks };
    // Credentials from the caller's environment must not matter: the demo brings its own sandbox.
    delete env.DIXA_BASE_URL;
    delete env.SYNTHFLOW_BASE_URL;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [DEMO_ENTRY], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}

describe('npm start', () => {
    it('runs the demo entry after the build', () => {
        const start = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'];
        expect(start).toMatch(/npm run build --silent && node out\/demo\.cjs /);
    });

    it('applies the example, prints the checklist, and ends with a verified test call per department (exit 0)', async () => {
        if (!existsSync(path.join(REPO_ROOT, DEMO_ENTRY))) throw new Error(`${DEMO_ENTRY} is missing: run "npm run build" first ("npm test" builds before testing).`);
        const run = await runDemo();
        expect(run.code, run.stdout + run.stderr).toBe(0);
        expect(run.stdout).toContain('Apply complete:');
        expect(run.stdout).toContain('Manual checklist:');
        expect(run.stdout.indexOf('Manual checklist:')).toBeLessThan(run.stdout.indexOf('Test caller:'));
        expect(run.stdout).toContain(
            `Test caller: ${DEMO.synthflow.assistants.outbound} from ${DEMO.synthflow.outboundNumber} (the workspace's only outbound agent with a number).`,
        );
        const lastLines = run.stdout.trimEnd().split('\n').slice(-3);
        expect(lastLines[0]).toMatch(/^Department\s+DID\s+Arrived\s+Caller number\s+Escalation\s+Result$/);
        expect(lastLines[1]).toMatch(new RegExp(`^support\\s+\\${DEMO.dixa.dids.support}\\s+yes\\s+yes\\s+–\\s+ok$`));
        expect(lastLines[2]).toMatch(new RegExp(`^sales\\s+\\${DEMO.dixa.dids.sales}\\s+yes\\s+yes\\s+–\\s+ok$`));
    }, 120_000);
});
