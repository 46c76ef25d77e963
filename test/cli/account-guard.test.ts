// The account guard end to end: the bundled CLI, run as a user runs it, against a sandbox this test
// starts. A file for one Dixa organization, with the token of another (the sandbox's organization
// subdomain set through its admin API), is refused by plan, apply FILE, apply PLAN and verify --call:
// exit 1, one line on stderr, and not one write request in the sandbox's log.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call } from '../support/http.js';
import { REPO_ROOT } from '../support/spec-errata.js';
import { runSipflow, sandboxVariables, type CliRun } from '../support/cli.js';

const EXAMPLE = readFileSync(path.join(REPO_ROOT, 'examples/acme.sipflow'), 'utf8');

let sandbox: Sandbox;
/** A checkout (it has `.git`, so saved plans may point into it) with `acme.sipflow` in it. */
let dir: string;

type Run = CliRun;

/** The bundled CLI in the test's folder, pointed at the test's sandbox. */
function sipflow(args: readonly string[]): Promise<CliRun> {
    return runSipflow(args, { cwd: dir, env: { ...sandboxVariables(sandbox), SIPFLOW_LOCK_DIR: path.join(dir, '.locks') } });
}

/** What the token reaches: the sandbox organization's subdomain, set as a test would on a real sandbox. */
async function tokenReaches(subdomain: string): Promise<void> {
    const answer = await call(`${sandbox.adminUrl}/organization`, { method: 'PUT', json: { subdomain } });
    expect(answer.status).toBe(200);
}

/** The vendor requests from now on (admin requests excluded). */
function requestsFromNow(): () => ReadonlyArray<{ method: string; path: string }> {
    const last = sandbox.requests.at(-1)?.seq ?? 0;
    return () => sandbox.requests.filter(r => r.seq > last && r.vendor !== 'admin');
}

const writesOf = (requests: ReadonlyArray<{ method: string; path: string }>) => requests.filter(r => r.method !== 'GET').map(r => `${r.method} ${r.path}`);

function expectRefused(run: Run, pattern: RegExp): void {
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const lines = run.stderr.split('\n').filter(line => line !== '');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
}

const wrongToken = (source: string) =>
    new RegExp(
        `^sipflow: the Dixa token reaches organization "globex", but ${source.replace(/[.()]/g, '\\$&')} is for` +
            / "acme" \(the company of its sip-domain "acme\.sip\.dixa\.com"\): use acme's DIXA_API_TOKEN, or, if "globex" is right .*write organization "globex" in its dixa block\. Nothing was changed\.$/
                .source,
    );
const WRONG_TOKEN = wrongToken('acme.sipflow');

beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-account-guard-'));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
});

afterAll(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
    sandbox.reset('demo');
});

describe("the account guard refuses another organization's token, before any write", () => {
    it('plan FILE', async () => {
        await tokenReaches('globex');
        const since = requestsFromNow();
        const run = await sipflow(['plan', 'acme.sipflow']);
        expectRefused(run, WRONG_TOKEN);
        expect(run.stdout).toBe('');
        expect(since().some(r => r.path === '/v1/organization')).toBe(true);
        expect(writesOf(since())).toEqual([]);
    });

    it('apply FILE --yes', async () => {
        await tokenReaches('globex');
        const since = requestsFromNow();
        const run = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expectRefused(run, WRONG_TOKEN);
        expect(writesOf(since())).toEqual([]);
    });

    it("apply PLAN: a plan saved against the right organization, applied with another one's token", async () => {
        const saved = await sipflow(['plan', 'acme.sipflow', '--out', 'acme.plan.json']);
        expect(saved.code, saved.stderr).toBe(0);
        await tokenReaches('globex');
        const since = requestsFromNow();
        const run = await sipflow(['apply', 'acme.plan.json']);
        expectRefused(run, wrongToken('the plan acme.plan.json (of acme.sipflow)'));
        expect(writesOf(since())).toEqual([]);
    });

    it('verify --call places no call', async () => {
        await tokenReaches('globex');
        const since = requestsFromNow();
        const run = await sipflow(['verify', 'acme.sipflow', '--call', '--yes']);
        expectRefused(run, WRONG_TOKEN);
        expect(writesOf(since())).toEqual([]);
    });
});

describe('what the guard lets through', () => {
    it('the organization the file is for, whatever the case of its subdomain', async () => {
        await tokenReaches('ACME');
        const run = await sipflow(['apply', 'acme.sipflow', '--yes']);
        expect(run.code, run.stderr).toBe(0);
        expect(sandbox.state.synthflow.numbers.some(n => n.phone_number === '+4535551234')).toBe(true);
    });

    it('organization "…" in the dixa block: the escape hatch for a subdomain other than the SIP domain\'s company', async () => {
        const other = path.join(dir, 'explicit');
        mkdirSync(other, { recursive: true });
        writeFileSync(path.join(other, 'acme.sipflow'), EXAMPLE.replace('sip-domain "acme.sip.dixa.com"', 'sip-domain "acme.sip.dixa.com"\n    organization "acme-eu"'));
        await tokenReaches('acme-eu');
        const planned = await sipflow(['plan', 'explicit/acme.sipflow']);
        expect(planned.code, planned.stderr).toBe(0);

        await tokenReaches('acme');
        const since = requestsFromNow();
        const refused = await sipflow(['apply', 'explicit/acme.sipflow', '--yes']);
        expectRefused(
            refused,
            /^sipflow: the Dixa token reaches organization "acme", but explicit\/acme\.sipflow is for "acme-eu" \(its dixa organization\): use acme-eu's DIXA_API_TOKEN, or fix organization in its dixa block\. Nothing was changed\.$/,
        );
        expect(writesOf(since())).toEqual([]);
    });
});
