// --env on every command that builds a configuration, run as a user runs them: the bundled CLI against
// an in-process sandbox whose state a file keeps between runs (--sandbox-state).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, runSipflow } from '../support/cli.js';

const EXAMPLE = readFileSync(path.join(REPOSITORY_ROOT, 'examples/acme.sipflow'), 'utf8');
// Staging shares the demo accounts (the sandbox has one of each) with its own DIDs.
const WITH_ENVIRONMENTS = `${EXAMPLE.slice(0, EXAMPLE.lastIndexOf('}'))}
  environment staging {
    queue tier1 { did "+4570109999" }
    department support { did "+4535559999" }
  }

  environment broken {
    department support { timeout 2s }
  }
}
`;

let dir: string;
let file: string;
let state: string;

beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-env-'));
    file = path.join(dir, 'acme.sipflow');
    state = path.join(dir, 'sandbox.json');
    writeFileSync(file, WITH_ENVIRONMENTS);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: readonly string[]) => runSipflow(args, { cwd: dir, env: { SIPFLOW_LOCK_DIR: path.join(dir, 'locks') } });

describe('--env NAME', () => {
    it('validate checks every environment; --env narrows to the default and that one', async () => {
        const all = await run(['validate', 'acme.sipflow', '--format', 'json']);
        expect(all.code).toBe(1);
        const diagnostics = JSON.parse(all.stdout) as Array<{ code: string; environments?: string[] }>;
        expect(diagnostics.map(d => [d.code, d.environments])).toEqual([['timeout-range', ['broken']]]);
        const staging = await run(['validate', 'acme.sipflow', '--env', 'staging']);
        expect(staging.stdout).toContain('0 errors, 0 warnings in 1 file');
        expect(staging.code).toBe(0);
    });

    it.each([
        ['validate', ['validate', 'acme.sipflow']],
        ['plan', ['plan', 'acme.sipflow', '--sandbox']],
        ['apply', ['apply', 'acme.sipflow', '--sandbox', '--yes']],
        ['pull', ['pull', '--from', 'acme.sipflow', '--sandbox']],
        ['checklist', ['checklist', 'acme.sipflow', '--sandbox']],
        ['graph', ['graph', 'acme.sipflow']],
    ])('%s: an unknown name is one line, exit 1, nothing sent', async (_command, args) => {
        const result = await run([...args, '--env', 'prod']);
        expect(result.code).toBe(1);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/no environment prod.*(broken, staging)/);
        expect(result.stdout).not.toMatch(/Plan for|Applying|Wrote/);
    });

    it("plan, apply and plan again in staging: the environment's values, its own markers, then nothing to do", async () => {
        const plan = await run(['plan', 'acme.sipflow', '--env', 'staging', '--sandbox', '--sandbox-state', state]);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout).toContain('Plan for integration acme, environment staging');
        expect(plan.stdout).toContain('+4535559999');
        expect(plan.stdout).toContain('sipflow:acme@staging/support');
        expect(plan.stdout).toContain('sip:+4570109999@acme.sip.dixa.com');
        expect(plan.stdout).not.toContain('+4535551234');

        const apply = await run(['apply', 'acme.sipflow', '--env', 'staging', '--sandbox', '--sandbox-state', state, '--yes']);
        expect(apply.code, apply.stdout + apply.stderr).toBe(0);
        expect(apply.stdout).toContain('Applying integration acme (environment staging)');

        const again = await run(['plan', 'acme.sipflow', '--env', 'staging', '--sandbox', '--sandbox-state', state, '--detailed-exitcode']);
        expect(again.code, again.stdout).toBe(0);
        // The default is another configuration: its numbers are still to be made.
        const byDefault = await run(['plan', 'acme.sipflow', '--sandbox', '--sandbox-state', state, '--json']);
        const defaultPlan = JSON.parse(byDefault.stdout) as { environment: string | null; hasChanges: boolean };
        expect(defaultPlan).toMatchObject({ environment: null, hasChanges: true });
    });

    it('a saved plan remembers its environment', async () => {
        const planFile = path.join(dir, 'staging.plan.json');
        const saved = await run(['plan', 'acme.sipflow', '--env', 'staging', '--sandbox', '--sandbox-state', state, '--out', planFile]);
        expect(saved.code, saved.stderr).toBe(0);
        expect(JSON.parse(readFileSync(planFile, 'utf8')).environment).toBe('staging');
        const applied = await run(['apply', planFile, '--sandbox', '--sandbox-state', state]);
        expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    });

    it("checklist, pull and graph use the environment's configuration", async () => {
        const checklist = await run(['checklist', 'acme.sipflow', '--env', 'staging', '--sandbox', '--sandbox-state', state]);
        expect(checklist.stdout, checklist.stderr).toContain('+4535559999');
        // Elsewhere: which files beside it form the integration is the scoping rule's business, not this test's.
        mkdirSync(path.join(dir, 'pulled'));
        const pulled = path.join(dir, 'pulled', 'staging.sipflow');
        const pull = await run(['pull', '--from', 'acme.sipflow', '--env', 'staging', '--sandbox', '--sandbox-state', state, '--out', pulled]);
        expect(pull.code, pull.stderr).toBe(0);
        const text = readFileSync(pulled, 'utf8');
        expect(text).toContain('did "+4535559999"');
        expect(text).toContain('department support');
        const graph = await run(['graph', 'acme.sipflow', '--env', 'staging']);
        expect(graph.stdout, graph.stderr).toContain('+4535559999');
        expect(graph.stdout).not.toContain('+4535551234');
    });

    it('diff: the default against an environment, two environments, JSON and the detailed exit code', async () => {
        const diff = await run(['diff', 'acme.sipflow', '--env', 'staging']);
        expect(diff.code, diff.stderr).toBe(0);
        expect(diff.stdout).toContain('Integration acme: the default → environment staging: 5 settings differ.');
        expect(diff.stdout).toMatch(/queue tier1 did\s+"\+4570101111" → "\+4570109999"/);
        expect(diff.stdout).toMatch(/department support escalate tier1 target\s+"sip:\+4570101111@acme.sip.dixa.com" → "sip:\+4570109999@acme.sip.dixa.com"/);
        expect(diff.stdout).not.toContain('department sales');

        const json = await run(['diff', 'acme.sipflow', '--env', 'staging', '--json', '--detailed-exitcode']);
        expect(json.code).toBe(2);
        const parsed = JSON.parse(json.stdout) as { from: null; to: string; differences: Array<{ setting: string; before: unknown; after: unknown }> };
        expect(parsed).toMatchObject({ integration: 'acme', from: null, to: 'staging' });
        expect(parsed.differences).toContainEqual({ setting: 'department support did', before: '+4535551234', after: '+4535559999' });

        const same = await run(['diff', 'acme.sipflow', '--env', 'staging', '--env', 'staging', '--detailed-exitcode']);
        expect(same.code).toBe(0);
        expect(same.stdout).toContain('no differences');

        const broken = await run(['diff', 'acme.sipflow', '--env', 'staging', '--env', 'broken']);
        expect(broken.code).toBe(1);
        expect(broken.stdout).toContain('timeout-range');

        const unknown = await run(['diff', 'acme.sipflow', '--env', 'prod']);
        expect(unknown.code).toBe(1);
        expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    });
});
