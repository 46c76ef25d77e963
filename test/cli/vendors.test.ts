// End to end over real HTTP: the bundled CLI, run as a user runs it, against the sandbox through Prism
// validating proxies (so every request and response is judged by the vendors' OpenAPI files).
// plan shows changes → apply → plan shows none → pull → plan on the pulled file shows none.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractEnvironment, type ContractEnvironment } from '../support/contract.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

let contract: ContractEnvironment;
let dir: string;

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the CLI with the vendors' variables pointing at Prism (overridable), no terminal, no colour. */
function sipflow(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> {
    const vendorEnv: Record<string, string | undefined> = {
        DIXA_BASE_URL: contract.dixaBaseUrl,
        DIXA_API_TOKEN: contract.dixaToken,
        SYNTHFLOW_BASE_URL: contract.synthflowBaseUrl,
        SYNTHFLOW_API_KEY: contract.synthflowKey,
        ...env,
    };
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const [key, value] of Object.entries(vendorEnv)) {
        if (value === undefined) delete childEnv[key];
        else childEnv[key] = value;
    }
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}

function write(name: string, text: string): string {
    writeFileSync(path.join(dir, name), text);
    return name;
}

beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    contract = await startContractEnvironment();
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-e2e-'));
});

afterAll(async () => {
    await contract?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('plan → apply → plan → pull → plan, through Prism', () => {
    it('runs the whole cycle and converges', async () => {
        write('acme.sipflow', EXAMPLE);

        const first = await sipflow(['plan', 'acme.sipflow', '--detailed-exitcode']);
        expect(first.stderr).toBe('');
        expect(first.code).toBe(2);
        expect(first.stdout).toContain('+ import +4535551234 as custom SIP number "sipflow:acme/support"');
        expect(first.stdout).toContain('+ create queue "Phone – Sales"');
        expect(first.stdout).toContain('Plan: 5 to create, 4 to attach');

        const json = await sipflow(['plan', 'acme.sipflow', '--json']);
        expect(json.code).toBe(0);
        const plan = JSON.parse(json.stdout) as { hasChanges: boolean; summary: { create: number; attach: number } };
        expect(plan.hasChanges).toBe(true);
        expect(plan.summary).toMatchObject({ create: 5, attach: 4 });

        const apply = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(apply.code, apply.stderr).toBe(0);
        expect(apply.stdout).toContain('Apply complete: 9 of 9 steps done; a fresh read confirms the accounts match the file.');
        expect(apply.stdout).toMatch(/Manual checklist: 21 steps — \d+ verified/);
        expect(apply.stderr).toContain('[9/9] ✓');

        const second = await sipflow(['plan', 'acme.sipflow', '--detailed-exitcode']);
        expect(second.code, second.stdout).toBe(0);
        expect(second.stdout).toContain('No changes');

        // the action created elsewhere on the support assistant survived the full-replace attach
        const support = contract.sandbox.state.synthflow.assistants.find(a => a.model_id === 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6');
        expect(support?.actions.length).toBe(2);

        // pulled into a folder of its own: plan reads the sibling files of an integration
        mkdirSync(path.join(dir, 'pulled'));
        const pull = await sipflow(['pull', '--from', 'acme.sipflow', '--out', 'pulled/acme.sipflow']);
        expect(pull.code, pull.stderr).toBe(0);
        expect(pull.stderr).toContain('Wrote pulled/acme.sipflow: integration acme, 2 departments');
        const validate = await sipflow(['validate', 'pulled/acme.sipflow']);
        expect(validate.code, validate.stdout).toBe(0);
        const third = await sipflow(['plan', 'pulled/acme.sipflow', '--detailed-exitcode']);
        expect(third.code, third.stdout).toBe(0);
        expect(third.stdout).toContain('No changes');

        // pull refuses to overwrite
        const again = await sipflow(['pull', '--from', 'acme.sipflow', '--out', 'pulled/acme.sipflow']);
        expect(again.code).toBe(1);
        expect(again.stderr).toBe('sipflow: pulled/acme.sipflow already exists: pass --force to overwrite it, or choose another file\n');
    });

    it('applies a saved plan exactly, and refuses it once the file or the live accounts changed', async () => {
        const changed = EXAMPLE.replace('say "One moment, I am putting you through to a colleague."', 'say "Et øjeblik, jeg stiller dig videre."');
        write('acme.sipflow', changed);
        const planned = await sipflow(['plan', 'acme.sipflow', '--out', 'change.plan.json']);
        expect(planned.code).toBe(0);
        expect(planned.stdout).toContain('Et øjeblik');
        expect(planned.stdout).toContain('Saved the plan to change.plan.json');

        // the file changes after planning: refused, nothing applied
        write('acme.sipflow', changed.replace('timeout 30s', 'timeout 35s'));
        const staleFile = await sipflow(['apply', 'change.plan.json', '--yes']);
        expect(staleFile.code).toBe(1);
        expect(staleFile.stderr).toContain('The .sipflow file changed since this plan was made');

        // back to what was planned: applied
        write('acme.sipflow', changed);
        const applied = await sipflow(['apply', 'change.plan.json', '--yes']);
        expect(applied.code, applied.stderr + applied.stdout).toBe(0);
        expect(applied.stdout).toContain('Apply complete');

        // the live accounts change after planning: refused
        write('acme.sipflow', EXAMPLE);
        const revert = await sipflow(['plan', 'acme.sipflow', '--out', 'revert.plan.json']);
        expect(revert.code).toBe(0);
        // someone changes an action on the support assistant (here: applying the file planned above)
        const elsewhere = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(elsewhere.code).toBe(0);
        const staleLive = await sipflow(['apply', 'revert.plan.json', '--yes']);
        expect(staleLive.code).toBe(1);
        expect(staleLive.stderr).toContain('The live accounts changed since this plan was made (synthflow actions)');
    });
});

describe('refusals and failures are one clear line', () => {
    it('refuses a file with errors before any request', async () => {
        // a folder of its own: files of one integration in one folder are planned together
        mkdirSync(path.join(dir, 'broken'));
        write('broken/acme.sipflow', EXAMPLE.replace('did "+4535551234"', 'did "+45 3555"'));
        const before = contract.sandbox.requests.length;
        const result = await sipflow(['plan', 'broken/acme.sipflow']);
        expect(result.code).toBe(1);
        const line = EXAMPLE.split('\n').findIndex(l => l.includes('did "+4535551234"')) + 1;
        expect(result.stdout).toContain(`broken/acme.sipflow:${line}:9: error e164-invalid`);
        expect(result.stderr).toBe('sipflow: broken/acme.sipflow: 1 error to fix first; nothing was sent to Dixa or Synthflow.\n');
        expect(contract.sandbox.requests.length).toBe(before);
    });

    it('names missing keys', async () => {
        const result = await sipflow(['plan', 'acme.sipflow'], { DIXA_API_TOKEN: undefined, SYNTHFLOW_API_KEY: undefined });
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(result.stderr).toBe(
            'sipflow: DIXA_API_TOKEN and SYNTHFLOW_API_KEY are not set: export the Dixa API token and the Synthflow API key (or use --sandbox to try sipflow locally).\n',
        );
    });

    it('reports a wrong key without echoing it', async () => {
        const result = await sipflow(['plan', 'acme.sipflow'], { SYNTHFLOW_API_KEY: 'wrong-key-7f3a9' });
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain('check SYNTHFLOW_API_KEY');
        expect(result.stderr).not.toContain('wrong-key-7f3a9');
        expect(result.stderr).not.toContain('    at ');
    });

    it('reports an unreachable host', async () => {
        const result = await sipflow(['plan', 'acme.sipflow'], { DIXA_BASE_URL: 'http://127.0.0.1:9/v1' });
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain('DIXA_BASE_URL');
    });

    it('refuses plain http to a non-loopback host', async () => {
        const result = await sipflow(['plan', 'acme.sipflow'], { SYNTHFLOW_BASE_URL: 'http://api.eu.synthflow.ai/v2' });
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/https/);
    });

    it('asks for --yes when there is no terminal', async () => {
        write('acme.sipflow', EXAMPLE.replace('timeout 30s\n    fallback sales_desk', 'timeout 30s\n    fallback sales_desk\n    escalate tier1'));
        const result = await sipflow(['apply', 'acme.sipflow']);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe('sipflow: apply needs confirmation and there is no terminal to ask: review the plan, then pass --yes.\n');
        write('acme.sipflow', EXAMPLE);
    });
});

describe('checklist', () => {
    it('prints exact values and verification, exit 1 while a step fails', async () => {
        const result = await sipflow(['checklist', 'acme.sipflow']);
        expect(result.stdout).toMatch(/^ {6}SIP address: +\+4535551234@sip\.eu\.synthflow\.ai:32681$/m);
        expect(result.stdout).toContain('[✔ verified] Assign the phone flow "Support DK" to +4535551234.');
        const json = await sipflow(['checklist', 'acme.sipflow', '--format', 'json']);
        const checklist = JSON.parse(json.stdout) as { counts: Record<string, number>; items: { id: string; status: string }[] };
        // apply attached the numbers earlier in this file: Synthflow's read confirms it
        expect(checklist.items.find(i => i.id === 'synthflow.support.attached')?.status).toBe('verified');
        expect(result.code).toBe(checklist.counts.failed > 0 ? 1 : 0);
        expect(checklist.counts.verified).toBeGreaterThan(0);
    });

    it('prints the steps without reading Dixa when offline', async () => {
        const result = await sipflow(['checklist', 'acme.sipflow', '--offline', '--format', 'markdown'], { DIXA_API_TOKEN: undefined });
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('  - SIP address: `+4535551234@sip.eu.synthflow.ai:32681`');
        expect(result.stdout).not.toContain('✅');
    });
});
