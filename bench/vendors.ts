/**
 * The plan/apply half of `npm run bench` (issue 3): against the sandbox with a fixed latency per
 * request, for 10, 100 and 500 departments, the HTTP requests a first apply and a no-op plan make —
 * against the minimum the APIs allow — and their wall time against the bound
 * (requests × latency ÷ concurrency, and never faster than Dixa's 10 requests/s).
 */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { applyPlan, readLiveState } from '../src/apply/index.js';
import type { SipflowFile } from '../src/language/generated/ast.js';
import { createSipflowServices } from '../src/language/sipflow-module.js';
import { buildDesiredState, type DesiredState } from '../src/model/index.js';
import { computePlan, type Plan } from '../src/plan/index.js';
import { createDixaProvider } from '../src/providers/dixa/index.js';
import { createSynthflowProvider } from '../src/providers/synthflow/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { DEFAULT_SANDBOX_KEY as SANDBOX_KEY, type SandboxState } from '../src/sandbox/index.js';
import { SYNTHFLOW_PAGE_SIZE } from '../src/providers/synthflow/client.js';
import { DIXA_RATE_LIMIT } from '../src/vendors/dixa-facts.js';
import { generateIntegration, toSipflow } from './generate.js';

export interface VendorBenchResult {
    readonly departments: number;
    readonly latencyMs: number;
    readonly concurrency: number;
    readonly firstApply: Phase;
    readonly noOpPlan: Phase;
}

export interface Phase {
    readonly requests: number;
    readonly dixaRequests: number;
    readonly minimumRequests: number;
    readonly wallMs: number;
    /** requests × latency ÷ concurrency, but at least dixaRequests ÷ Dixa's rate. */
    readonly boundMs: number;
}

/** The sandbox runs in its own process, as the vendors' APIs would: its CPU is not the client's. */
interface SandboxProcess {
    readonly dixaBaseUrl: string;
    readonly synthflowBaseUrl: string;
    readonly adminUrl: string;
    readonly child: ChildProcess;
}

async function startSandboxProcess(latencyMs: number): Promise<SandboxProcess> {
    const cli = path.resolve('out/cli.cjs');
    const child = spawn(process.execPath, [cli, 'sandbox', '--port', '0', '--seed', 'empty', '--latency', String(latencyMs)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout!.setEncoding('utf8');
    for await (const chunk of child.stdout!) {
        output += chunk;
        if (output.includes('\n')) break;
    }
    const value = (name: string) => new RegExp(`${name}=(\\S+)`).exec(output)?.[1];
    const dixaBaseUrl = value('DIXA_BASE_URL');
    const synthflowBaseUrl = value('SYNTHFLOW_BASE_URL');
    if (!dixaBaseUrl || !synthflowBaseUrl) throw new Error(`bench: the sandbox did not start: ${output}`);
    return { dixaBaseUrl, synthflowBaseUrl, adminUrl: `${new URL(dixaBaseUrl).origin}/_sandbox`, child };
}

async function stopSandboxProcess(sandbox: SandboxProcess): Promise<void> {
    if (sandbox.child.exitCode !== null) return;
    sandbox.child.kill('SIGTERM');
    await once(sandbox.child, 'exit');
}

async function desiredStateFor(departments: number): Promise<DesiredState> {
    const { shared } = createSipflowServices(EmptyFileSystem);
    const document = shared.workspace.LangiumDocumentFactory.fromString(
        toSipflow(generateIntegration(departments)),
        URI.parse(`memory:///bench-${departments}.sipflow`),
    ) as LangiumDocument<SipflowFile>;
    shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build([document], { validation: true });
    return buildDesiredState(document);
}

/**
 * Reads a plan needs at the least, by the spec: each declared DID (GET /numbers/{slug}; 404 = not
 * imported — the list has no SIP fields, and no GET per undeclared workspace number), each named
 * assistant (its number and actions), the action list's pages, and Dixa's queue list.
 */
function minimumPlanReads(desired: DesiredState, actionsInWorkspace: number): number {
    const dids = new Set(desired.departments.map(d => d.did)).size;
    const assistants = new Set(desired.departments.map(d => d.assistantId)).size;
    return dids + assistants + Math.max(1, Math.ceil(actionsInWorkspace / SYNTHFLOW_PAGE_SIZE)) + 1;
}

/** One write per plan step: nothing the APIs offer batches these. */
function writesOf(plan: Plan): number {
    return plan.items.filter(item => item.operation !== null && item.operation !== undefined && item.kind !== 'orphan').length;
}

export async function measureVendors(departments: number, latencyMs: number, concurrency: number): Promise<VendorBenchResult> {
    const desired = await desiredStateFor(departments);
    const sandbox = await startSandboxProcess(latencyMs);
    // The file's assistants exist; nothing else does yet.
    const state = (await (await fetch(`${sandbox.adminUrl}/state`)).json()) as SandboxState;
    for (const assistantId of new Set(desired.departments.map(d => d.assistantId))) {
        state.synthflow.assistants.push({
            model_id: assistantId,
            name: `Bench ${assistantId.slice(0, 8)}`,
            type: 'inbound',
            is_recording: false,
            agent: {},
            inbound_phone_slug: null,
            phone_number_slugs: [],
            actions: [],
        });
    }
    const put = await fetch(`${sandbox.adminUrl}/state`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state) });
    if (!put.ok) throw new Error(`bench: the sandbox refused the state (${put.status})`);
    const providers = () => ({
        dixa: createDixaProvider({ baseUrl: sandbox.dixaBaseUrl, apiKey: SANDBOX_KEY, concurrency }),
        synthflow: createSynthflowProvider({ baseUrl: sandbox.synthflowBaseUrl, apiKey: SANDBOX_KEY, workspace: desired.synthflow.workspace, concurrency }),
    });
    const bound = (requests: number, dixaRequests: number) =>
        Math.max((requests * latencyMs) / concurrency, (Math.max(0, dixaRequests - DIXA_RATE_LIMIT.burst) / DIXA_RATE_LIMIT.requestsPerSecond) * 1000);
    try {
        // First apply: plan (reads) + apply (writes and the re-reads before attaches).
        const first = providers();
        let started = performance.now();
        const plan = computePlan(desired, await readLiveState(desired, first));
        const result = await applyPlan(plan, first, { concurrency });
        const firstMs = performance.now() - started;
        if (!result.ok) throw new Error(`bench: the first apply of ${departments} departments failed: ${result.status}`);
        const firstRequests = first.dixa.stats.requests + first.synthflow.stats.requests;
        const firstMinimum = minimumPlanReads(desired, 0) + writesOf(plan);
        const actionsAfter = ((await (await fetch(`${sandbox.adminUrl}/state`)).json()) as SandboxState).synthflow.actions.length;

        // No-op plan.
        const again = providers();
        started = performance.now();
        const noOp = computePlan(desired, await readLiveState(desired, again));
        const noOpMs = performance.now() - started;
        if (noOp.hasChanges) throw new Error(`bench: the plan after applying ${departments} departments still has changes`);
        const noOpRequests = again.dixa.stats.requests + again.synthflow.stats.requests;
        for (const p of [first, again]) {
            p.dixa.close();
            p.synthflow.close();
        }
        return {
            departments,
            latencyMs,
            concurrency,
            firstApply: {
                requests: firstRequests,
                dixaRequests: first.dixa.stats.requests,
                minimumRequests: firstMinimum,
                wallMs: firstMs,
                boundMs: bound(firstRequests, first.dixa.stats.requests),
            },
            noOpPlan: {
                requests: noOpRequests,
                dixaRequests: again.dixa.stats.requests,
                minimumRequests: minimumPlanReads(desired, actionsAfter),
                wallMs: noOpMs,
                boundMs: bound(noOpRequests, again.dixa.stats.requests),
            },
        };
    } finally {
        await stopSandboxProcess(sandbox);
    }
}
