/**
 * apply's scheduling rules with in-memory providers: bounded concurrency, dependency order, progress
 * events, and the per-assistant lock that keeps read-modify-writes of one run from overwriting each other.
 */
import { describe, expect, it } from 'vitest';
import { applyPlan, readLiveState, type Providers } from '../../src/apply/index.js';
import { KeyedLocks } from '../../src/apply/locks.js';
import { computePlan } from '../../src/plan/index.js';
import type { DixaProvider, LiveDixaQueue, LiveSynthflowAction, LiveSynthflowAssistant, LiveSynthflowNumber, SynthflowProvider } from '../../src/providers/types.js';
import { desiredFrom } from '../model/helpers.js';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Minimal in-memory vendors; every call takes `delayMs` and is counted. */
function fakeProviders(assistantIds: readonly string[], delayMs = 5) {
    const numbers = new Map<string, LiveSynthflowNumber>();
    const assistants = new Map<string, { phone: string | null; actions: string[] }>(assistantIds.map(id => [id, { phone: null, actions: [] }]));
    const actions = new Map<string, LiveSynthflowAction>();
    const queues: LiveDixaQueue[] = [];
    // Steps are bounded per vendor (a throttled Dixa step must not hold a Synthflow slot): count both.
    const inFlight = { dixa: 0, synthflow: 0 };
    const stats = { maxInFlight: { dixa: 0, synthflow: 0 }, calls: [] as string[] };
    const callTo =
        (vendor: 'dixa' | 'synthflow') =>
        async <T>(name: string, body: () => T): Promise<T> => {
            inFlight[vendor]++;
            stats.maxInFlight[vendor] = Math.max(stats.maxInFlight[vendor], inFlight[vendor]);
            stats.calls.push(name);
            try {
                await sleep(delayMs);
                return body();
            } finally {
                inFlight[vendor]--;
            }
        };
    const call = callTo('synthflow');
    const dixaCall = callTo('dixa');
    const assistantView = (id: string): LiveSynthflowAssistant | undefined => {
        const a = assistants.get(id);
        return a && { modelId: id, name: id.slice(0, 8), type: 'inbound', phoneNumber: a.phone, poolNumbers: [], actionIds: [...a.actions] };
    };
    const synthflow: SynthflowProvider = {
        listNumbers: () => call('listNumbers', () => [...numbers.values()]),
        getNumber: e164 => call('getNumber', () => numbers.get(e164)),
        importNumber: input =>
            call('importNumber', () => {
                numbers.set(input.e164, {
                    e164: input.e164,
                    slug: input.e164.slice(1),
                    friendlyName: input.friendlyName,
                    providerName: 'custom',
                    sipTermUri: input.terminationUri,
                    sipAuthUsername: null,
                    assistants: [],
                    isAvailable: true,
                });
            }),
        updateNumber: () => call('updateNumber', () => undefined),
        getAssistant: id => call('getAssistant', () => assistantView(id)),
        listAssistants: () => call('listAssistants', () => [...assistants.keys()].map(id => assistantView(id)!)),
        setInboundNumber: (id, e164) =>
            call('setInboundNumber', () => {
                assistants.get(id)!.phone = e164;
                numbers.set(e164, { ...numbers.get(e164)!, assistants: [id], isAvailable: false });
            }),
        listActions: () => call('listActions', () => [...actions.values()]),
        getAction: (id, options) =>
            call('getAction', () => {
                const action = actions.get(id);
                if (!action || !options?.includeAssistants) return action;
                return { ...action, assistants: [...assistants].filter(([, a]) => a.actions.includes(id)).map(([modelId]) => modelId) };
            }),
        createLiveTransfer: (config, name) =>
            call('createLiveTransfer', () => {
                const actionId = `act-${actions.size + 1}`;
                actions.set(actionId, { actionId, actionType: 'LIVE_TRANSFER', name, liveTransfer: config });
                return actionId;
            }),
        updateLiveTransfer: () => call('updateLiveTransfer', () => undefined),
        attachActions: (id, list) =>
            call('attachActions', () => {
                const a = assistants.get(id)!;
                const changed = list.filter(x => !a.actions.includes(x));
                a.actions = [...a.actions, ...changed];
                return { changed, unchanged: list.filter(x => !changed.includes(x)), restored: [], after: [...a.actions] };
            }),
        detachActions: (id, list) =>
            call('detachActions', () => {
                const a = assistants.get(id)!;
                const changed = list.filter(x => a.actions.includes(x));
                a.actions = a.actions.filter(x => !changed.includes(x));
                return { changed, unchanged: list.filter(x => !changed.includes(x)), restored: [], after: [...a.actions] };
            }),
        deleteAction: id =>
            call('deleteAction', () => {
                actions.delete(id);
            }),
    };
    const dixa: DixaProvider = {
        getOrganization: () => dixaCall('getOrganization', () => ({ id: 'org', name: 'Acme', subdomain: 'acme' })),
        listTelephonyEndpoints: () => dixaCall('listTelephonyEndpoints', () => []),
        listPhoneFlows: () => dixaCall('listPhoneFlows', () => []),
        listQueues: () => dixaCall('listQueues', () => [...queues]),
        createQueue: input =>
            dixaCall('createQueue', () => {
                const queue = { id: `q-${queues.length + 1}`, name: input.name, offeringAlgorithm: input.offerAlgorithm ?? null, usages: {} };
                queues.push(queue);
                return queue;
            }),
    };
    const providers: Providers = { synthflow, dixa };
    return { providers, stats, assistants };
}

/** An integration with `n` departments, each with its own DID and assistant, all escalating to one queue. */
function manyDepartments(n: number): { text: string; assistantIds: string[] } {
    const assistantIds = Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const departments = assistantIds
        .map(
            (id, i) => `
  department d${i} {
    did "+453555${String(1200 + i)}"
    assistant "${id}"
    fallback tier1
    escalate tier1
  }`,
        )
        .join('\n');
    const text = `integration many {
  dixa { sip-domain "acme.sip.dixa.com" allowlist synthflow }
  synthflow { region eu workspace "ws" }
  queue tier1 { name "Phone – Tier 1" did "+4570101111" }
${departments}
}
`;
    return { text, assistantIds };
}

describe('scheduling', () => {
    it('never runs more steps at once than the concurrency allows, and respects dependencies', async () => {
        const { text, assistantIds } = manyDepartments(12);
        const desired = await desiredFrom(text);
        const fake = fakeProviders(assistantIds);
        const plan = computePlan(desired, await readLiveState(desired, fake.providers));
        expect(plan.summary).toMatchObject({ create: 1 + 12 + 12, attach: 24 });
        fake.stats.maxInFlight = { dixa: 0, synthflow: 0 };
        const order: string[] = [];
        const result = await applyPlan(plan, fake.providers, {
            concurrency: 3,
            // The read after the steps is not a step: it is bounded by the providers, not by this limit.
            verify: false,
            onProgress: e => {
                if (e.type === 'step-succeeded') order.push(e.step.id);
            },
        });
        expect(result.ok).toBe(true);
        expect(fake.stats.maxInFlight.synthflow).toBeLessThanOrEqual(3);
        expect(fake.stats.maxInFlight.dixa).toBeLessThanOrEqual(3);
        expect(fake.stats.maxInFlight.synthflow).toBeGreaterThan(1);
        for (const item of plan.items.filter(i => i.operation)) {
            for (const dependency of item.dependsOn) expect(order.indexOf(dependency)).toBeLessThan(order.indexOf(item.id));
        }
        expect(computePlan(desired, await readLiveState(desired, fake.providers)).hasChanges).toBe(false);
    });

    it('reports progress: each step starts before it ends, completed counts up to the total', async () => {
        const { text, assistantIds } = manyDepartments(3);
        const desired = await desiredFrom(text);
        const fake = fakeProviders(assistantIds, 1);
        const plan = computePlan(desired, await readLiveState(desired, fake.providers));
        const events: Array<{ type: string; id: string; completed: number; total: number }> = [];
        await applyPlan(plan, fake.providers, { onProgress: e => events.push({ type: e.type, id: e.step.id, completed: e.completed, total: e.total }) });
        const total = plan.items.filter(i => i.operation).length;
        const ends = events.filter(e => e.type !== 'step-started');
        expect(ends.map(e => e.completed)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(events.every(e => e.total === total)).toBe(true);
        for (const end of ends) {
            expect(events.findIndex(e => e.type === 'step-started' && e.id === end.id)).toBeLessThan(events.indexOf(end));
        }
    });

    it('two departments escalating to one queue: each assistant gets its own action, the foreign one stays', async () => {
        const { text, assistantIds } = manyDepartments(2);
        const desired = await desiredFrom(text);
        const fake = fakeProviders(assistantIds);
        fake.assistants.get(assistantIds[0])!.actions = ['foreign'];
        const plan = computePlan(desired, await readLiveState(desired, fake.providers));
        const result = await applyPlan(plan, fake.providers, { concurrency: 8 });
        expect(result.ok).toBe(true);
        expect(result.verification.status).toBe('verified');
        const first = fake.assistants.get(assistantIds[0])!;
        const second = fake.assistants.get(assistantIds[1])!;
        expect([first.phone, second.phone]).toEqual(['+4535551200', '+4535551201']);
        expect(first.actions).toHaveLength(2);
        expect(first.actions[0]).toBe('foreign');
        expect(second.actions).toHaveLength(1);
        expect(second.actions[0]).not.toBe(first.actions[1]);
    });
});

describe('KeyedLocks', () => {
    it('serialises holders of one key, lets other keys run, never deadlocks on several', async () => {
        const locks = new KeyedLocks();
        const log: string[] = [];
        const hold = async (name: string, keys: string[], ms: number) => {
            const release = await locks.acquire(keys);
            log.push(`${name}+`);
            await sleep(ms);
            log.push(`${name}-`);
            release();
        };
        await Promise.all([hold('a', ['x'], 20), hold('b', ['x'], 1), hold('c', ['y'], 1)]);
        expect(log.indexOf('a-')).toBeLessThan(log.indexOf('b+'));
        expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-'));
        // Opposite orders of the same two keys: both complete.
        await Promise.all([hold('d', ['x', 'y'], 5), hold('e', ['y', 'x'], 5)]);
        expect(log.slice(-4).sort()).toEqual(['d+', 'd-', 'e+', 'e-']);
    });
});
