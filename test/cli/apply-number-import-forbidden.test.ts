// A 403 on number import (POST /custom-numbers: "provider import not enabled") is the Enterprise-plan
// problem: `sipflow apply`, run as a user runs it against a sandbox this test starts with that fault,
// says so in its result (the same message as any other command's one-line error) and exits 1.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { NUMBER_IMPORT_FORBIDDEN } from '../../src/vendors/synthflow-facts.js';
import { REPO_ROOT } from '../support/spec-errata.js';
import { runSipflow, sandboxVariables, type CliRun } from '../support/cli.js';

let sandbox: Sandbox;
let dir: string;

/** The bundled CLI in the test's folder, pointed at the test's sandbox. */
function sipflow(args: readonly string[]): Promise<CliRun> {
    return runSipflow(args, { cwd: dir, env: { ...sandboxVariables(sandbox), SIPFLOW_LOCK_DIR: path.join(dir, 'locks') } });
}

beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    sandbox = await startSandbox({ port: 0, seed: 'demo', faults: 'synthflow:POST:/custom-numbers=403' });
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-apply-403-'));
    writeFileSync(path.join(dir, 'acme.sipflow'), readFileSync(path.join(REPO_ROOT, 'examples/acme.sipflow'), 'utf8'));
});

afterAll(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sipflow apply when the workspace may not import numbers', () => {
    it('names the Enterprise plan and provider import in the failed step, and exits 1', async () => {
        const run = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(run.code).toBe(1);
        // Both department DIDs are imported with POST /custom-numbers; each failure carries the message.
        const failed = run.stdout.slice(run.stdout.indexOf('\nFailed\n'));
        expect(failed).toContain(`403`);
        expect(failed.split(NUMBER_IMPORT_FORBIDDEN).length - 1).toBe(2);
        expect(NUMBER_IMPORT_FORBIDDEN).toContain('Enterprise plan');
        // The progress line on stderr says the same.
        expect(run.stderr).toContain(NUMBER_IMPORT_FORBIDDEN);
        expect(sandbox.state.synthflow.numbers.map(n => n.phone_number)).not.toContain('+4535551234');
    });
});
