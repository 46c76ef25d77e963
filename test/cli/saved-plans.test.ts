// Saved plans as tamper-proof approvals, end to end: the bundled CLI, run as a user runs it, against a
// sandbox this test starts. A real plan is saved with `plan --out`, then edited the ways an attacker
// would (and re-hashed, so that the checks behind the content hash are exercised too); every variant
// must be refused in one line with exit 1 and no write request. Then the happy paths: the plan applies
// without --yes, in its checkout and in a copy of the checkout elsewhere.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

let sandbox: Sandbox;
let dir: string;
/** A checkout: `.git`, `integrations/acme.sipflow`, and the plan in `plans/` (so its source path is `../integrations/…`). */
let checkout: string;
let planText: string;
/** Requests to a host that a tampered plan might try to send the Synthflow key to. */
let evilRequests = 0;
let evil: Server;

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the CLI against the sandbox: no terminal (stdin ignored), no colour. */
function sipflow(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        NO_COLOR: '1',
        DIXA_BASE_URL: sandbox.dixaBaseUrl,
        DIXA_API_TOKEN: sandbox.dixaToken,
        SYNTHFLOW_BASE_URL: sandbox.synthflowBaseUrl,
        SYNTHFLOW_API_KEY: sandbox.synthflowKey,
    };
    for (const [key, value] of Object.entries(options.env ?? {})) {
        if (value === undefined) delete env[key];
        else env[key] = value;
    }
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd ?? checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', reject);
        child.on('close', code => resolve({ code, stdout, stderr }));
    });
}

/** The request log from now on: call the result to get the requests made since. */
function requestsFromNow(): () => ReadonlyArray<{ method: string; path: string }> {
    const last = sandbox.requests.at(-1)?.seq ?? 0;
    return () => sandbox.requests.filter(r => r.seq > last);
}

// The content hash as PLAN-FORMAT.md defines it, computed independently of sipflow's code.
function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value !== null && typeof value === 'object') {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .filter(k => (value as Record<string, unknown>)[k] !== undefined)
                .map(k => [k, canonical((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}
function rehash(plan: PlanJson): string {
    const { contentHash: _old, ...content } = plan;
    const contentHash = `sha256:${createHash('sha256')
        .update(JSON.stringify(canonical(content)), 'utf8')
        .digest('hex')}`;
    return JSON.stringify({ ...content, contentHash }, null, 2);
}

interface ItemJson {
    id: string;
    summary: string;
    changes: Array<{ field: string; before: unknown; after: unknown }>;
    dependsOn: string[];
    operation: ({ type: string } & Record<string, unknown>) | null;
    [key: string]: unknown;
}
interface PlanJson {
    integration: string;
    sources: Array<{ path: string; sha256: string }>;
    items: ItemJson[];
    summary: Record<string, number>;
    hasChanges: boolean;
    contentHash?: string;
    [key: string]: unknown;
}

const plan = (): PlanJson => JSON.parse(planText) as PlanJson;
const importOf = (p: PlanJson, e164: string) => p.items.find(i => i.operation?.type === 'synthflow.importNumber' && i.operation.e164 === e164)!;
/** An edited copy of the plan, re-hashed: only the checks behind the hash can refuse it. */
const edited = (edit: (p: PlanJson) => void) => () => {
    const p = plan();
    edit(p);
    return rehash(p);
};

interface Variant {
    readonly name: string;
    /** The plan file's text. */
    readonly text: () => string;
    /** What the one-line refusal must say. */
    readonly refusal: string | RegExp;
    readonly before?: () => void;
    readonly after?: () => void;
    readonly env?: Record<string, string | undefined>;
}

const SUPPORT_DID = '+4535551234';
const SUPPORT_NUMBER = `synthflow/number/${SUPPORT_DID}`;

const VARIANTS: readonly Variant[] = [
    {
        name: 'DID edited (hash left as it was)',
        text: () => planText.replace(`"e164": "${SUPPORT_DID}"`, '"e164": "+4535559999"'),
        refusal: 'The plan file was edited after sipflow wrote it: its content hash does not match',
    },
    {
        name: 'DID edited and re-hashed',
        text: edited(p => {
            importOf(p, SUPPORT_DID).operation!.e164 = '+4535559999';
        }),
        refusal: `The plan's items differ from a fresh plan: 1 changed (${SUPPORT_NUMBER})`,
    },
    {
        name: 'termination URI edited and re-hashed',
        text: edited(p => {
            importOf(p, SUPPORT_DID).operation!.terminationUri = 'evil.sip.example.com';
        }),
        refusal: `The plan's items differ from a fresh plan: 1 changed (${SUPPORT_NUMBER})`,
    },
    {
        name: 'item summary edited and re-hashed',
        text: edited(p => {
            importOf(p, SUPPORT_DID).summary = 'nothing to see here';
        }),
        refusal: `1 changed (${SUPPORT_NUMBER})`,
    },
    {
        name: 'field changes edited and re-hashed',
        text: edited(p => {
            importOf(p, SUPPORT_DID).changes[0]!.after = 'reviewed.example.com';
        }),
        refusal: `1 changed (${SUPPORT_NUMBER})`,
    },
    {
        name: 'item added and re-hashed',
        text: edited(p => {
            const copy = structuredClone(importOf(p, SUPPORT_DID));
            copy.id = 'synthflow/number/+4535550000';
            copy.operation!.e164 = '+4535550000';
            p.items.splice(p.items.indexOf(importOf(p, SUPPORT_DID)) + 1, 0, copy);
        }),
        refusal: "The plan's items differ from a fresh plan: 1 not in a fresh plan (synthflow/number/+4535550000)",
    },
    {
        name: 'item removed and re-hashed',
        text: edited(p => {
            p.items.pop();
        }),
        refusal: /^The plan's items differ from a fresh plan: 1 missing \(dixa\//,
    },
    {
        name: 'items reordered and re-hashed',
        text: edited(p => {
            p.items.reverse();
        }),
        refusal: "The plan's items differ from a fresh plan: they are in another order",
    },
    {
        name: 'operation swapped for another known type and re-hashed',
        text: edited(p => {
            importOf(p, SUPPORT_DID).operation = { type: 'synthflow.deleteAction', actionId: 'f3a1c5e7-0b2d-4f6a-8c9e-1d3b5f7a9c01' };
        }),
        refusal: `1 changed (${SUPPORT_NUMBER})`,
    },
    {
        name: 'unknown operation type',
        text: edited(p => {
            importOf(p, SUPPORT_DID).operation!.type = 'synthflow.deleteAllNumbers';
        }),
        refusal: `The plan is malformed: item ${SUPPORT_NUMBER}, field operation: unknown operation type "synthflow.deleteAllNumbers"`,
    },
    {
        name: 'operation field missing',
        text: edited(p => {
            delete importOf(p, SUPPORT_DID).operation!.terminationUri;
        }),
        refusal: `The plan is malformed: item ${SUPPORT_NUMBER}, field operation lacks "terminationUri"`,
    },
    {
        name: 'item field missing',
        text: edited(p => {
            delete (p.items[0] as Partial<ItemJson>).dependsOn;
        }),
        refusal: /^The plan is malformed: item .* lacks "dependsOn"$/,
    },
    {
        name: 'extra field on an operation',
        text: edited(p => {
            importOf(p, SUPPORT_DID).operation!.baseUrl = 'https://evil.example';
        }),
        refusal: `The plan is malformed: item ${SUPPORT_NUMBER}, field operation has an unknown field "baseUrl"`,
    },
    {
        name: 'wrong type',
        text: edited(p => {
            importOf(p, SUPPORT_DID).requiresPrune = 'false';
        }),
        refusal: `The plan is malformed: item ${SUPPORT_NUMBER}, field requiresPrune must be boolean`,
    },
    {
        name: 'dependency cycle',
        text: edited(p => {
            const attach = p.items.find(i => i.dependsOn.includes(SUPPORT_NUMBER))!;
            importOf(p, SUPPORT_DID).dependsOn = [attach.id];
        }),
        refusal: /^The plan is malformed: the dependencies form a cycle \(.* → .* → .*\)$/,
    },
    {
        name: 'dangling dependsOn',
        text: edited(p => {
            importOf(p, SUPPORT_DID).dependsOn = ['dixa/queue/Nowhere'];
        }),
        refusal: `The plan is malformed: item ${SUPPORT_NUMBER} depends on dixa/queue/Nowhere, which is not in the plan`,
    },
    {
        name: 'duplicate id',
        text: edited(p => {
            p.items.push(p.items[0]!);
        }),
        refusal: /^The plan is malformed: item .* appears twice$/,
    },
    {
        name: 'older format version',
        text: edited(p => {
            p.formatVersion = 1;
        }),
        refusal: 'This plan has format version 1; this sipflow reads version 3. Make a new plan with this version',
    },
    {
        name: 'Synthflow base URL planted in the plan (no SYNTHFLOW_BASE_URL set)',
        text: edited(p => {
            const address = evil.address() as AddressInfo;
            p.desired = { synthflow: { apiBaseUrl: `http://127.0.0.1:${address.port}/v2`, apiHost: '127.0.0.1' } };
        }),
        refusal: 'The plan is malformed: the plan has an unknown field "desired"',
        env: { SYNTHFLOW_BASE_URL: undefined },
    },
    {
        name: 'content hash edited',
        text: () => planText.replace(/"contentHash": "sha256:[0-9a-f]{8}/, '"contentHash": "sha256:00000000'),
        refusal: 'The plan file was edited after sipflow wrote it: its content hash does not match',
    },
    {
        name: 'content hash removed',
        text: () => {
            const { contentHash: _removed, ...rest } = plan();
            return JSON.stringify(rest);
        },
        refusal: 'The plan is malformed: the plan lacks "contentHash"',
    },
    {
        name: 'truncated file',
        text: () => planText.slice(0, Math.floor(planText.length / 2)),
        refusal: /^Not a sipflow plan: the file is not JSON \(.+\)$/,
    },
    {
        name: 'not JSON',
        text: () => 'format: sipflow-plan\nitems: []\n',
        refusal: /^Not a sipflow plan: the file is not JSON \(.+\)$/,
    },
    {
        name: 'another format',
        text: () => JSON.stringify([{ format: 'sipflow-plan' }]),
        refusal: 'Not a sipflow plan: "format" is not "sipflow-plan". Write one with sipflow plan FILE --out PLAN',
    },
    {
        name: 'absolute source path',
        text: edited(p => {
            p.sources[0]!.path = path.join(checkout, 'integrations/acme.sipflow');
        }),
        refusal: /^source ".*integrations\/acme\.sipflow" is not a relative path$/,
    },
    {
        name: 'source path leaving the checkout with ../..',
        text: edited(p => {
            p.sources[0]!.path = '../../outside/acme.sipflow';
        }),
        refusal: /^source "\.\.\/\.\.\/outside\/acme\.sipflow" is outside the plan's checkout \(.*\)$/,
    },
    {
        name: 'source path through a symbolic link out of the checkout',
        text: edited(p => {
            p.sources[0]!.path = '../integrations/linked.sipflow';
        }),
        refusal: /^source "\.\.\/integrations\/linked\.sipflow" links outside the plan's checkout/,
    },
    {
        name: 'source file edited since the plan was made',
        text: () => planText,
        before: () => writeFileSync(path.join(checkout, 'integrations/acme.sipflow'), EXAMPLE.replace('timeout 30s', 'timeout 45s')),
        after: () => writeFileSync(path.join(checkout, 'integrations/acme.sipflow'), EXAMPLE),
        refusal:
            'The .sipflow file changed since this plan was made (../integrations/acme.sipflow): nothing was applied. Make a new plan with sipflow plan FILE --out PLAN, review it, and apply that.',
    },
    {
        name: 'source hash edited and re-hashed',
        text: edited(p => {
            p.sources[0]!.sha256 = '0'.repeat(64);
        }),
        refusal: /^The \.sipflow file changed since this plan was made \(\.\.\/integrations\/acme\.sipflow\)/,
    },
    {
        name: 'integration renamed and re-hashed',
        text: edited(p => {
            p.integration = 'globex';
        }),
        refusal: /^The plan is for integration globex, but its files declare acme/,
    },
    {
        name: 'live fingerprint edited and re-hashed',
        text: edited(p => {
            p.liveFingerprint = `sha256:${'1'.repeat(64)}`;
        }),
        refusal: /^The live accounts changed since this plan was made/,
    },
    {
        name: 'summary edited and re-hashed',
        text: edited(p => {
            p.summary.create = 0;
        }),
        refusal: "The plan's summary differs from a fresh plan's",
    },
];

beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first ("npm test" builds before testing).');
    sandbox = await startSandbox({ port: 0, seed: 'demo', dixaRateLimit: false });
    evil = createServer((_request, response) => {
        evilRequests++;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>(resolve => evil.listen(0, '127.0.0.1', resolve));
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-saved-plans-'));
    checkout = path.join(dir, 'checkout');
    for (const folder of ['.git', 'integrations', 'plans']) mkdirSync(path.join(checkout, folder), { recursive: true });
    writeFileSync(path.join(checkout, 'integrations/acme.sipflow'), EXAMPLE);
    // The same file outside the checkout (a link to it from inside exists only during its variant: as a
    // second file of the integration beside acme.sipflow it would make every other variant fail to load).
    mkdirSync(path.join(dir, 'outside'));
    writeFileSync(path.join(dir, 'outside/acme.sipflow'), EXAMPLE);
});

afterAll(async () => {
    await sandbox?.close();
    await new Promise(resolve => evil?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a saved plan', () => {
    it('is written with paths relative to it, no desired state, and a content hash', async () => {
        const requests = requestsFromNow();
        const planned = await sipflow(['plan', 'integrations/acme.sipflow', '--out', 'plans/acme.plan.json']);
        expect(planned.code, planned.stderr).toBe(0);
        expect(planned.stdout).toContain('Saved the plan to plans/acme.plan.json');
        expect(requests().filter(r => r.method !== 'GET')).toEqual([]);
        planText = readFileSync(path.join(checkout, 'plans/acme.plan.json'), 'utf8');
        const saved = plan();
        expect(saved.sources).toEqual([{ path: '../integrations/acme.sipflow', sha256: createHash('sha256').update(EXAMPLE).digest('hex') }]);
        expect(saved.contentHash).toBe(JSON.parse(rehash(saved)).contentHash);
        expect(planText).not.toContain(checkout);
        expect(planText).not.toContain('apiBaseUrl');
        expect(saved.summary).toMatchObject({ create: 5, attach: 4 });
    });

    it('is not written outside the checkout of its files', async () => {
        // dir/outside has no .git above it: its checkout is itself, which does not hold the sources.
        const result = await sipflow(['plan', 'integrations/acme.sipflow', '--out', path.join(dir, 'outside/acme.plan.json')]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^sipflow: .*acme\.plan\.json: save the plan inside the checkout of its \.sipflow files \(.* is outside .*\), so that it can be applied\n$/);
        expect(existsSync(path.join(dir, 'outside/acme.plan.json'))).toBe(false);
    });
});

describe('a tampered plan is refused in one line, exit 1, with no write request', () => {
    it(`has at least 17 variants (${VARIANTS.length})`, () => {
        expect(VARIANTS.length).toBeGreaterThanOrEqual(17);
    });

    it.each(VARIANTS.map(v => [v.name, v] as const))('%s', async (_name, variant) => {
        if (variant.name.includes('symbolic link')) symlinkSync(path.join(dir, 'outside/acme.sipflow'), path.join(checkout, 'integrations/linked.sipflow'));
        const file = `plans/tampered-${VARIANTS.indexOf(variant)}.plan.json`;
        writeFileSync(path.join(checkout, file), variant.text());
        variant.before?.();
        const requests = requestsFromNow();
        const evilBefore = evilRequests;
        try {
            const result = await sipflow(['apply', file], { env: variant.env ?? {} });
            expect(result.code, result.stdout + result.stderr).toBe(1);
            expect(result.stdout).toBe('');
            expect(result.stderr.endsWith('\n')).toBe(true);
            expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
            const message = result.stderr
                .trimEnd()
                .replace(/^sipflow: /, '')
                .replace(`${file}: `, '')
                .replace(/: nothing was applied\.$/, '');
            if (typeof variant.refusal === 'string') expect(message).toContain(variant.refusal.replace(/: nothing was applied\..*$/, ''));
            else expect(message).toMatch(variant.refusal);
            expect(requests().filter(r => r.method !== 'GET')).toEqual([]);
            expect(evilRequests).toBe(evilBefore);
        } finally {
            variant.after?.();
            if (variant.name.includes('symbolic link')) rmSync(path.join(checkout, 'integrations/linked.sipflow'));
        }
    });
});

describe('an untouched plan', () => {
    it('applies without --yes in its own checkout', async () => {
        const requests = requestsFromNow();
        const result = await sipflow(['apply', 'plans/acme.plan.json']);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain('Apply complete: 9 of 9 steps done; a fresh read confirms the accounts match the file.');
        expect(requests().filter(r => r.method !== 'GET').length).toBeGreaterThanOrEqual(9);
        const again = await sipflow(['plan', 'integrations/acme.sipflow', '--detailed-exitcode']);
        expect(again.code, again.stdout).toBe(0);
    });

    it('applies in another checkout of the same files, and is then stale in the first', async () => {
        sandbox.reset();
        sandbox.setDixaRateLimit(false);
        const planned = await sipflow(['plan', 'integrations/acme.sipflow', '--out', 'plans/acme.plan.json']);
        expect(planned.code, planned.stderr).toBe(0);
        const elsewhere = path.join(dir, 'elsewhere/another-checkout');
        cpSync(checkout, elsewhere, { recursive: true });
        expect(readFileSync(path.join(elsewhere, 'plans/acme.plan.json'), 'utf8')).toBe(readFileSync(path.join(checkout, 'plans/acme.plan.json'), 'utf8'));

        // from a folder other than the checkout's root, too
        const applied = await sipflow(['apply', 'another-checkout/plans/acme.plan.json'], { cwd: path.join(dir, 'elsewhere') });
        expect(applied.code, applied.stderr).toBe(0);
        expect(applied.stdout).toContain('Apply complete: 9 of 9 steps done; a fresh read confirms the accounts match the file.');

        // the first checkout's copy of the plan is now stale: refused, no --yes asked, nothing written
        const requests = requestsFromNow();
        const stale = await sipflow(['apply', 'plans/acme.plan.json']);
        expect(stale.code).toBe(1);
        expect(stale.stderr).toMatch(/^sipflow: The live accounts changed since this plan was made \(.*\): nothing was applied\./);
        expect(requests().filter(r => r.method !== 'GET')).toEqual([]);
    });
});
