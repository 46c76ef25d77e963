// `sipflow verify --call` end to end: the bundled CLI against the sandbox through Prism (so POST/GET
// /calls are judged by Synthflow's spec), after a real `apply` of examples/acme.sipflow. Each test
// starts from that applied state and sets the Dixa side with no API (state.dixaManual) its own way:
// every row of the troubleshooting table is reached once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO, type SandboxState } from '../../src/sandbox/index.js';
import { demoDixaManual } from '../../src/sandbox/seed.js';
import { startContractEnvironment, type ContractEnvironment } from '../support/contract.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');
const S = DEMO.synthflow;

let contract: ContractEnvironment;
let dir: string;
let applied: SandboxState;

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function sipflow(args: readonly string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        NO_COLOR: '1',
        DIXA_BASE_URL: contract.dixaBaseUrl,
        DIXA_API_TOKEN: contract.dixaToken,
        SYNTHFLOW_BASE_URL: contract.synthflowBaseUrl,
        SYNTHFLOW_API_KEY: contract.synthflowKey,
    };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}

const verify = (...extra: string[]) => sipflow(['verify', 'acme.sipflow', '--call', '--yes', '--timeout', '1', ...extra]);
/** The summary row of a department. */
const row = (run: Run, department: string) => run.stdout.split('\n').find(line => line.startsWith(`${department} `)) ?? '';
const state = () => contract.sandbox.state;

beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    contract = await startContractEnvironment({ sandbox: { dixaRateLimit: false } });
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-verify-'));
    writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
    const apply = await sipflow(['apply', 'acme.sipflow', '--yes']);
    expect(apply.code, apply.stderr).toBe(0);
    applied = JSON.parse(JSON.stringify(contract.sandbox.state)) as SandboxState;
}, 120_000);

afterAll(async () => {
    await contract?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
    contract.sandbox.replaceState({ ...applied, dixaManual: demoDixaManual() });
    contract.sandbox.clearFaults();
});

describe('sipflow verify --call', () => {
    it('with every manual Dixa step done, both calls arrive with the caller number and support escalates to Phone – Tier 1', async () => {
        const run = await verify('--escalate', '--department', 'support');
        expect(run.code, run.stdout + run.stderr).toBe(0);
        expect(run.stdout).toContain(`Test caller: ${S.assistants.outbound} from ${S.outboundNumber} (the workspace's only outbound agent with a number)`);
        expect(row(run, 'support')).toMatch(/yes\s+yes\s+transferred\s+ok$/);
        const plain = await verify();
        expect(plain.code, plain.stdout).toBe(0);
        expect(row(plain, 'sales')).toMatch(/yes\s+yes\s+–\s+ok$/);
        // The inbound call the simulation recorded carries the caller's number from the UUI header.
        const inbound = state().synthflow.calls.filter(c => c.model_id === S.assistants.support);
        expect(inbound.at(-1)?.prompt_variables).toEqual({ phone_number: S.outboundNumber });
    });

    it('with no manual Dixa step done, no call arrives: allowlist, flow and transfer step are named', async () => {
        contract.sandbox.replaceState(applied);
        const run = await verify();
        expect(run.code).toBe(1);
        expect(row(run, 'support')).toContain('FAILED (no-arrival)');
        expect(row(run, 'sales')).toContain('FAILED (no-arrival)');
        expect(run.stdout).toContain('Look at: dixa.allowlist, department.support.flow, department.support.transfer-step.');
    });

    it('a transfer step dialling the wrong region is no-arrival; an allowlist missing an IP too', async () => {
        const manual = demoDixaManual();
        manual.transferSteps[DEMO.dixa.dids.support]!.sipAddress = `${DEMO.dixa.dids.support}@sip.us.synthflow.ai:32681`;
        contract.sandbox.replaceState({ ...applied, dixaManual: manual });
        const run = await verify();
        expect(row(run, 'support')).toContain('FAILED (no-arrival)');
        expect(row(run, 'sales')).toMatch(/ok$/);
        contract.sandbox.replaceState({ ...applied, dixaManual: { ...demoDixaManual(), allowlist: demoDixaManual().allowlist.slice(1) } });
        const second = await verify('--department', 'sales');
        expect(row(second, 'sales')).toContain('FAILED (no-arrival)');
    });

    it('a transfer step without the UUI header: the call arrives without the caller number', async () => {
        const manual = demoDixaManual();
        manual.transferSteps[DEMO.dixa.dids.support]!.uuiHeader = null;
        contract.sandbox.replaceState({ ...applied, dixaManual: manual });
        const run = await verify('--department', 'support');
        expect(run.code).toBe(1);
        expect(row(run, 'support')).toMatch(/yes\s+NO\s+–\s+FAILED \(caller-number-missing\)$/);
        expect(run.stdout).toContain('the assistant saw the caller as anonymous');
        expect(run.stdout).toContain('Look at: department.support.transfer-step.');
    });

    it('a queue DID routed nowhere: Dixa refuses the escalation (allowlist / queue routing)', async () => {
        const manual = demoDixaManual();
        delete manual.queueRouting['Phone – Tier 1'];
        contract.sandbox.replaceState({ ...applied, dixaManual: manual });
        const run = await verify('--escalate', '--department', 'support');
        expect(run.code).toBe(1);
        expect(row(run, 'support')).toContain('refused');
        expect(row(run, 'support')).toContain('FAILED (escalation-refused)');
        expect(run.stdout).toContain('is not routed to a Dixa queue');
        expect(run.stdout).toContain('Look at: dixa.allowlist, queue.tier1.did.');
    });

    it('a queue without agents: the escalation goes unanswered (the sales desk apply created has none)', async () => {
        const run = await verify('--escalate', '--department', 'sales');
        expect(run.code).toBe(1);
        expect(row(run, 'sales')).toContain('FAILED (escalation-unanswered)');
        expect(run.stdout).toContain('Look at: queue.sales_desk.did, Dixa → queue → members.');
    });

    it('an assistant without its LIVE_TRANSFER runs no escalation', async () => {
        const next = JSON.parse(JSON.stringify(applied)) as SandboxState;
        const support = next.synthflow.assistants.find(a => a.model_id === S.assistants.support)!;
        support.actions = support.actions.filter(id => next.synthflow.actions.find(a => a.action_id === id)?.action_type !== 'LIVE_TRANSFER');
        contract.sandbox.replaceState({ ...next, dixaManual: demoDixaManual() });
        const run = await verify('--escalate', '--department', 'support');
        expect(row(run, 'support')).toContain('FAILED (no-escalation-action)');
        expect(run.stdout).toContain('Look at: sipflow plan / sipflow apply.');
    });

    it("a DID that is not the assistant's number yet: no call is placed", async () => {
        const next = JSON.parse(JSON.stringify(applied)) as SandboxState;
        next.synthflow.assistants.find(a => a.model_id === S.assistants.sales)!.inbound_phone_slug = null;
        contract.sandbox.replaceState({ ...next, dixaManual: demoDixaManual() });
        const calls = () => contract.sandbox.requests.filter(r => r.method === 'POST' && r.path === '/v2/calls').length;
        const before = calls();
        const run = await verify('--department', 'sales');
        expect(row(run, 'sales')).toContain('FAILED (number-not-on-assistant)');
        expect(calls()).toBe(before);
    });

    it('Synthflow refusing the call is caller-refused', async () => {
        contract.sandbox.setFaults('synthflow:POST:/calls=400');
        const run = await verify('--department', 'support');
        expect(run.code).toBe(1);
        expect(row(run, 'support')).toContain('FAILED (caller-refused)');
    });

    it('chooses the caller: --caller/--from named, a wrong --from refused, none in the workspace a one-line error', async () => {
        const named = await verify('--department', 'support', '--caller', S.assistants.outbound, '--from', S.outboundNumber);
        expect(named.code, named.stdout + named.stderr).toBe(0);
        expect(named.stdout).toContain('(named by --caller)');
        const wrong = await verify('--caller', S.assistants.outbound, '--from', '+4599999999');
        expect(wrong.code).toBe(1);
        expect(wrong.stderr.trim()).toBe(`sipflow: --from +4599999999 is not one of Acme renewal reminders's numbers (${S.outboundNumber})`);
        const next = JSON.parse(JSON.stringify(applied)) as SandboxState;
        next.synthflow.assistants.find(a => a.model_id === S.assistants.outbound)!.phone_number_slugs = [];
        contract.sandbox.replaceState(next);
        const none = await verify();
        expect(none.code).toBe(1);
        expect(none.stderr.split('\n').filter(Boolean)).toHaveLength(1);
        expect(none.stderr).toContain('no outbound agent with a phone number');
    });

    it('asks for confirmation: without a terminal and without --yes it refuses and places no call', async () => {
        const before = contract.sandbox.requests.filter(r => r.path === '/v2/calls' && r.method === 'POST').length;
        const run = await sipflow(['verify', 'acme.sipflow', '--call']);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('there is no terminal to ask: pass --yes');
        expect(contract.sandbox.requests.filter(r => r.path === '/v2/calls' && r.method === 'POST').length).toBe(before);
        const usage = await sipflow(['verify', 'acme.sipflow']);
        expect(usage.code).toBe(1);
        expect((await sipflow(['verify', 'acme.sipflow', '--call', '--department', 'nope', '--yes'])).stderr).toContain('--department nope: no such department');
    });
});
