// `sipflow doctor`, run as a user runs it (the bundled CLI, no terminal) against a sandbox this test
// starts: confirmed on the default sandbox, and contradicted for each assumption once the sandbox is made
// to contradict it (an assumption switch, a fault, or the state), exit 1 then.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ASSUMPTIONS } from '../../src/doctor/assumptions.js';
import type { DoctorReport, Finding, Verdict } from '../../src/doctor/probes.js';
import { PROBE_ACTION_PREFIX } from '../../src/doctor/probes.js';
import { DEMO, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { demoDixaManual } from '../../src/sandbox/seed.js';
import { REPO_ROOT } from '../support/spec-errata.js';
import { runSipflow, sandboxVariables, type CliRun } from '../support/cli.js';

const EXAMPLE = readFileSync(path.join(REPO_ROOT, 'examples/acme.sipflow'), 'utf8');

let sandbox: Sandbox;
let dir: string;

type Run = CliRun;

/** The bundled CLI in the test's folder, pointed at the test's sandbox. */
function sipflow(args: readonly string[]): Promise<CliRun> {
    return runSipflow(args, { cwd: dir, env: { ...sandboxVariables(sandbox), SIPFLOW_LOCK_DIR: path.join(dir, 'locks') } });
}

async function doctor(...extra: string[]): Promise<{ run: Run; report: DoctorReport }> {
    const run = await sipflow(['doctor', 'acme.sipflow', '--json', ...extra]);
    expect(run.stderr).toBe('');
    return { run, report: JSON.parse(run.stdout) as DoctorReport };
}

function verdictOf(report: DoctorReport, assumption: string): Verdict {
    const found = report.findings.filter((f: Finding) => f.assumption === assumption);
    expect(found, `one finding for ${assumption}`).toHaveLength(1);
    return found[0]!.verdict;
}

const probeActionsLeft = () => sandbox.state.synthflow.actions.filter(a => a.name.startsWith(PROBE_ACTION_PREFIX));
const supportAssistant = () => sandbox.state.synthflow.assistants.find(a => a.model_id === DEMO.synthflow.assistants.support)!;

/** A Synthflow number in the outbound pool of the support assistant (an inbound agent of the file). */
const POOL_NUMBER = '+4532100200';
function givePoolNumberToSupport(): void {
    const state = structuredClone(sandbox.state);
    const template = state.synthflow.numbers.find(n => n.phone_number === DEMO.synthflow.outboundNumber)!;
    state.synthflow.numbers.push({
        ...template,
        key: '2b7e9d4c-6a1f-4c3e-8d2b-5f0a9e7c3b99',
        slug: POOL_NUMBER.slice(1),
        phone_number: POOL_NUMBER,
        friendly_name: 'Support callback caller id',
    });
    state.synthflow.assistants.find(a => a.model_id === DEMO.synthflow.assistants.support)!.phone_number_slugs.push(POOL_NUMBER.slice(1));
    sandbox.replaceState(state);
}

beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-doctor-'));
    writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
});

afterAll(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
    sandbox.reset('demo');
});

describe('sipflow doctor on the default sandbox', () => {
    it('confirms every assumption it can settle once sipflow has applied the example, and has a probe for every assumption', async () => {
        const applied = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(applied.code, applied.stderr).toBe(0);

        const { run, report } = await doctor();
        expect(run.code).toBe(0);
        expect(report.counts.contradicted).toBe(0);
        for (const id of [
            'dixa-subdomain-is-company',
            'synthflow-key-workspace',
            'live-transfer-read-back',
            'sip-uri-in-transfer-phone',
            'live-transfer-name-kept',
            'synthflow-max-page-size',
            'number-import-permitted',
            'dixa-queue-list-order',
        ]) {
            expect(verdictOf(report, id), id).toBe('confirmed');
        }
        // No call has run a LIVE_TRANSFER yet: nothing to read.
        expect(verdictOf(report, 'call-transfer-shows-target')).toBe('unknown');
        // Settled only by the write probes (an attach, a test call): read-only, said so.
        expect(verdictOf(report, 'attach-adds')).toBe('unknown');
        expect(verdictOf(report, 'outbound-pool-not-inbound')).toBe('unknown');
        // Every assumption of the one table has a probe that reports on it.
        expect(new Set(report.findings.map(f => f.assumption).filter(Boolean))).toEqual(new Set(ASSUMPTIONS.map(a => a.id)));
        for (const probe of ['dixa-organization', 'synthflow-workspace', 'assistant:support', 'assistant:sales']) {
            expect(report.findings.find(f => f.probe === probe)?.verdict, probe).toBe('confirmed');
        }
    });

    it('reads only: no write reaches the vendors without --write-probes', async () => {
        const { run } = await doctor();
        expect(run.code).toBe(0);
        expect(sandbox.requests.filter(r => r.vendor !== 'admin' && r.mutated)).toEqual([]);
    });

    it('with --write-probes --yes confirms sip: targets, kept names, read-back and attach on a probe action, then detaches and deletes it', async () => {
        const supportActionsBefore = [...supportAssistant().actions];
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(run.code).toBe(0);
        expect(verdictOf(report, 'sip-uri-in-transfer-phone')).toBe('confirmed');
        expect(verdictOf(report, 'live-transfer-name-kept')).toBe('confirmed');
        expect(verdictOf(report, 'live-transfer-read-back')).toBe('confirmed');
        // The support assistant has the seed's CUSTOM_ACTION: attaching the probe action kept it.
        expect(verdictOf(report, 'attach-adds')).toBe('confirmed');
        expect(report.findings.find(f => f.probe === 'attach')?.read).toContain(DEMO.synthflow.actions.orderLookup);
        // No inbound agent of the demo seed has a pool number: no test call, the read stands.
        expect(verdictOf(report, 'outbound-pool-not-inbound')).toBe('unknown');
        const writes = sandbox.requests.filter(r => r.vendor === 'synthflow' && r.mutated).map(r => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{id}')}`);
        expect(writes).toEqual(['POST /v2/actions', 'POST /v2/actions/attach', 'POST /v2/actions/detach', 'DELETE /v2/actions/{id}']);
        expect(probeActionsLeft()).toEqual([]);
        expect(supportAssistant().actions).toEqual(supportActionsBefore);
    });

    it('with --write-probes and an inbound agent with a pool number, a test call to it confirms that the pool does not route inbound calls', async () => {
        givePoolNumberToSupport();
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(run.code).toBe(0);
        expect(verdictOf(report, 'outbound-pool-not-inbound')).toBe('confirmed');
        expect(report.findings.find(f => f.probe === 'outbound-pool')?.read).toContain(`A test call from ${DEMO.synthflow.outboundNumber} to ${POOL_NUMBER}`);
        const calls = sandbox.requests.filter(r => r.vendor === 'synthflow' && r.method === 'POST' && r.path === '/v2/calls');
        expect(calls).toHaveLength(1);
        expect(sandbox.state.synthflow.calls.filter(c => c.model_id === DEMO.synthflow.assistants.support)).toEqual([]);
    });

    it('refuses --write-probes without --yes when there is no terminal to ask, sending nothing', async () => {
        const run = await sipflow(['doctor', 'acme.sipflow', '--write-probes']);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('pass --yes');
        expect(sandbox.requests.filter(r => r.vendor !== 'admin')).toEqual([]);
    });

    it('prints a readable report with one verdict per probe', async () => {
        const run = await sipflow(['doctor', 'acme.sipflow']);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/✓ confirmed +page-size: Synthflow lists honour limit=100 \[synthflow-max-page-size\]/);
        expect(run.stdout).toMatch(/\? unknown +outbound-pool:/);
        expect(run.stdout).toMatch(/\d+ confirmed, 0 contradicted, \d+ unknown\n$/);
    });
});

describe('sipflow doctor after a test call that escalated', () => {
    it("confirms that the call shows the LIVE_TRANSFER's target, and says contradicted when the call list stops showing it", async () => {
        const applied = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(applied.code, applied.stderr).toBe(0);
        sandbox.replaceState({ ...structuredClone(sandbox.state), dixaManual: demoDixaManual() });
        const verified = await sipflow(['verify', 'acme.sipflow', '--call', '--yes', '--escalate', '--department', 'support', '--timeout', '1']);
        expect(verified.code, verified.stdout + verified.stderr).toBe(0);

        const { run, report } = await doctor();
        expect(verdictOf(report, 'call-transfer-shows-target')).toBe('confirmed');
        expect(report.findings.find(f => f.probe === 'call-actions')?.read).toContain('1 executed LIVE_TRANSFER');
        expect(run.code).toBe(0);

        sandbox.setAssumptions({ callTransferShowsTarget: false });
        const contradicted = await doctor();
        expect(verdictOf(contradicted.report, 'call-transfer-shows-target')).toBe('contradicted');
        expect(contradicted.run.code).toBe(1);
    });
});

describe("sipflow doctor's write probe cleans up", () => {
    it('deletes the probe action even when it cannot be read back', async () => {
        sandbox.setFaults('synthflow:GET:/actions/{id}=404');
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(report.findings.find(f => f.probe === 'sip-target')?.read).toContain('could not be read back');
        expect(run.code).toBe(0);
        expect(sandbox.requests.some(r => r.method === 'DELETE' && r.mutated)).toBe(true);
        expect(probeActionsLeft()).toEqual([]);
    });

    it('says so, naming the action, and exits 1 when the delete fails', async () => {
        sandbox.setFaults('synthflow:DELETE:/actions/{id}=400');
        const { run, report } = await doctor('--write-probes', '--yes');
        const [left] = probeActionsLeft();
        expect(left).toBeDefined();
        expect(report.problems).toHaveLength(1);
        expect(report.problems[0]).toContain(left!.action_id);
        expect(run.code).toBe(1);
    });

    it('names the assistant and exits 1 when the probe action cannot be detached from it again', async () => {
        sandbox.setFaults('synthflow:POST:/actions/detach=400');
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(verdictOf(report, 'attach-adds')).toBe('confirmed');
        expect(report.problems).toHaveLength(1);
        expect(report.problems[0]).toContain(`Could not restore the actions of assistant "Acme DK support front door" (${DEMO.synthflow.assistants.support})`);
        expect(report.problems[0]).toContain(DEMO.synthflow.actions.orderLookup);
        expect(run.code).toBe(1);
    });

    it("finds and deletes the probe action when the create's answer is lost", async () => {
        sandbox.setFaults('synthflow:POST:/actions=lost*1');
        const { report } = await doctor('--write-probes', '--yes', '--request-timeout', '5');
        expect(report.findings.find(f => f.probe === 'sip-target')).toBeDefined();
        expect(probeActionsLeft()).toEqual([]);
    });
});

describe('sipflow doctor usage', () => {
    it('takes the only .sipflow file of the current directory when none is named', async () => {
        const run = await sipflow(['doctor', '--json']);
        expect(run.code).toBe(0);
        expect((JSON.parse(run.stdout) as DoctorReport).integration).toBe('acme');
    });

    it('refuses --yes without --write-probes (a usage error: exit 1, nothing sent)', async () => {
        const run = await sipflow(['doctor', 'acme.sipflow', '--yes']);
        expect(run.code).toBe(1);
        expect(run.stderr).toBe('sipflow: --yes only goes with --write-probes\n');
        expect(sandbox.requests.filter(r => r.vendor !== 'admin')).toEqual([]);
    });
});

describe('sipflow doctor on a sandbox that contradicts an assumption', () => {
    it('dixa-subdomain-is-company: the organization has another subdomain', async () => {
        const state = structuredClone(sandbox.state);
        state.dixa.organization.subdomain = 'acme-eu';
        sandbox.replaceState(state);
        const { run, report } = await doctor();
        expect(verdictOf(report, 'dixa-subdomain-is-company')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'subdomain')?.read).toContain('"acme-eu"');
        expect(run.code).toBe(1);
    });

    it("dixa-subdomain-is-company: reported with the account guard's rule, also for an explicit organization", async () => {
        const matching = structuredClone(sandbox.state);
        matching.dixa.organization.subdomain = 'ACME';
        sandbox.replaceState(matching);
        expect(verdictOf((await doctor()).report, 'dixa-subdomain-is-company')).toBe('confirmed');

        writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE.replace('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.dixa.com"\n    organization "acme-eu"'));
        try {
            const { run, report } = await doctor();
            expect(verdictOf(report, 'dixa-subdomain-is-company')).toBe('contradicted');
            expect(report.findings.find(f => f.probe === 'subdomain')?.read).toContain('the file\'s organization "acme-eu"');
            expect(run.code).toBe(1);
            const other = structuredClone(sandbox.state);
            other.dixa.organization.subdomain = 'acme-eu';
            sandbox.replaceState(other);
            expect(verdictOf((await doctor()).report, 'dixa-subdomain-is-company')).toBe('confirmed');
        } finally {
            writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
        }
    });

    it("synthflow-key-workspace: the numbers list of the file's workspace is refused", async () => {
        sandbox.setFaults('synthflow:GET:/numbers=403');
        const { run, report } = await doctor();
        expect(verdictOf(report, 'synthflow-key-workspace')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'synthflow-workspace')?.read).toContain('403');
        expect(run.code).toBe(1);
    });

    it('live-transfer-read-back: actions read without their configuration', async () => {
        sandbox.setAssumptions({ liveTransferReadBack: false });
        const { run, report } = await doctor();
        expect(verdictOf(report, 'live-transfer-read-back')).toBe('contradicted');
        expect(run.code).toBe(1);
    });

    it('live-transfer-read-back, with --write-probes: the probe action reads back without it', async () => {
        sandbox.setAssumptions({ liveTransferReadBack: false });
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(verdictOf(report, 'live-transfer-read-back')).toBe('contradicted');
        expect(run.code).toBe(1);
        expect(probeActionsLeft()).toEqual([]);
    });

    it('sip-uri-in-transfer-phone, with --write-probes: a sip: target is refused', async () => {
        sandbox.setAssumptions({ sipUriInTransferPhone: false });
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(verdictOf(report, 'sip-uri-in-transfer-phone')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'sip-target')?.read).toContain('E.164');
        expect(run.code).toBe(1);
        expect(probeActionsLeft()).toEqual([]);
    });

    it('live-transfer-name-kept, with --write-probes: the probe action loses its name', async () => {
        sandbox.setAssumptions({ liveTransferNameKept: false });
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(verdictOf(report, 'live-transfer-name-kept')).toBe('contradicted');
        expect(run.code).toBe(1);
        // The probe action, nameless now, is deleted all the same: only the seed's three remain.
        expect(sandbox.state.synthflow.actions).toHaveLength(3);
    });

    it('live-transfer-name-kept, read-only: transfers to the Dixa domain carry no sipflow: name', async () => {
        sandbox.setAssumptions({ liveTransferNameKept: false });
        const applied = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(applied.code, applied.stderr).toBe(0);
        const { run, report } = await doctor();
        expect(verdictOf(report, 'live-transfer-name-kept')).toBe('contradicted');
        expect(run.code).toBe(1);
    });

    it('synthflow-max-page-size: lists cut limit=100 to 2', async () => {
        sandbox.setAssumptions({ synthflowMaxPageSize: 2 });
        const { run, report } = await doctor();
        expect(verdictOf(report, 'synthflow-max-page-size')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'page-size')?.read).toContain('pagination.limit 2');
        expect(run.code).toBe(1);
    });

    it('attach-adds, with --write-probes: attaching the probe action replaces the list; the dropped action is restored', async () => {
        sandbox.setAssumptions({ attachReplaces: true });
        const supportActionsBefore = [...supportAssistant().actions];
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(verdictOf(report, 'attach-adds')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'attach')?.read).toContain(`dropped its 1 action (${DEMO.synthflow.actions.orderLookup})`);
        expect(report.problems).toEqual([]);
        expect(run.code).toBe(1);
        expect(supportAssistant().actions).toEqual(supportActionsBefore);
        expect(probeActionsLeft()).toEqual([]);
    });

    it('outbound-pool-not-inbound, with --write-probes: the test call to a pool number arrives on its agent', async () => {
        sandbox.setAssumptions({ outboundPoolRoutesInbound: true });
        givePoolNumberToSupport();
        const { run, report } = await doctor('--write-probes', '--yes');
        expect(verdictOf(report, 'outbound-pool-not-inbound')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'outbound-pool')?.read).toContain('its pool routes inbound calls');
        expect(run.code).toBe(1);
        expect(sandbox.state.synthflow.calls.filter(c => c.model_id === DEMO.synthflow.assistants.support && c.phone_number_to === POOL_NUMBER)).toHaveLength(1);
    });

    it('dixa-queue-list-order: two reads of the queue list come in different orders', async () => {
        sandbox.setAssumptions({ dixaQueueListStable: false });
        const { run, report } = await doctor();
        expect(verdictOf(report, 'dixa-queue-list-order')).toBe('contradicted');
        expect(report.findings.find(f => f.probe === 'queue-order')?.read).toContain('The order differs');
        expect(run.code).toBe(1);
    });

    it('number-import-permitted: the workspace may not import numbers (403)', async () => {
        sandbox.setFaults('synthflow:POST:/custom-numbers=403');
        const { run, report } = await doctor();
        expect(verdictOf(report, 'number-import-permitted')).toBe('contradicted');
        expect(run.code).toBe(1);
    });

    it('an assistant of the file that is not inbound', async () => {
        const state = structuredClone(sandbox.state);
        const support = state.synthflow.assistants.find(a => a.model_id === 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6')!;
        support.type = 'outbound';
        sandbox.replaceState(state);
        const { run, report } = await doctor();
        expect(report.findings.find(f => f.probe === 'assistant:support')?.verdict).toBe('contradicted');
        expect(run.code).toBe(1);
    });
});
