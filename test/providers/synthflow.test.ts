/**
 * The Synthflow provider over real HTTP: client → Prism validating proxy (Synthflow's OpenAPI file) →
 * sandbox. Transport faults that Prism cannot carry go straight to the sandbox (`direct: true`).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SynthflowClient } from '../../src/providers/synthflow/index.js';
import { ProviderError, type LiveTransferConfig, type SynthflowNumberImport } from '../../src/providers/types.js';
import { DEMO } from '../../src/sandbox/index.js';
import { waitFor } from '../support/http.js';
import { rejectionOf, startProviderTestEnv, type ProviderTestEnv } from '../support/providers.js';

let t: ProviderTestEnv;

beforeAll(async () => {
    t = await startProviderTestEnv();
});
afterAll(async () => {
    await t?.close();
});
beforeEach(() => t.resetAll());

const S = DEMO.synthflow;
const SUPPORT_DID = DEMO.dixa.dids.support;
const SALES_DID = DEMO.dixa.dids.sales;

function importOf(e164: string, extra: Partial<SynthflowNumberImport> = {}): SynthflowNumberImport {
    return { e164, friendlyName: `sipflow: Acme / ${e164}`, terminationUri: 'acme.sip.dixa.com', ...extra };
}

const TRANSFER: LiveTransferConfig = {
    transferMode: 'warm_transfer',
    phone: `sip:${DEMO.dixa.dids.tier1}@acme.sip.dixa.com`,
    instructions: 'The caller asks for a human',
    initiatingMsg: 'One moment, I am transferring you.',
    failedMsg: 'Nobody is free right now.',
    timeout: 30,
};

const numbersIn = () => t.env.sandbox.state.synthflow.numbers;
const actionsIn = () => t.env.sandbox.state.synthflow.actions;
const transfersTo = (phone: string) => actionsIn().filter(a => a.action_type === 'LIVE_TRANSFER' && a.config['phone'] === phone);

describe('Synthflow provider: numbers', () => {
    it('getNumber reads the flat detail; an unknown number is undefined', async () => {
        const sf = t.synthflow();
        expect(await sf.getNumber(S.unrelatedNumber)).toEqual({
            e164: S.unrelatedNumber,
            slug: S.unrelatedNumber.slice(1),
            friendlyName: 'UK support line',
            providerName: 'custom',
            sipTermUri: 'pbx.acme.co.uk',
            sipAuthUsername: null,
            assistants: [S.assistants.uk],
            isAvailable: false,
        });
        expect(await sf.getNumber('+4511111111')).toBeUndefined();
        expect(t.requestsTo('GET', '/numbers/4511111111')[0]!.query).toBe(`workspace=${S.workspace}`);
    });

    it('importNumber sends a custom SIP import; trunk credentials only when given', async () => {
        const sf = t.synthflow();
        await sf.importNumber(importOf(SUPPORT_DID));
        await sf.importNumber(importOf(SALES_DID, { trunkUsername: 'synthflow-acme', trunkPassword: 'pw-for-the-trunk' }));
        const [plain, withCreds] = [numbersIn().find(n => n.phone_number === SUPPORT_DID)!, numbersIn().find(n => n.phone_number === SALES_DID)!];
        expect(plain).toMatchObject({ provider_name: 'custom', sip_term_uri: 'acme.sip.dixa.com', trunk_username: null, trunk_pwd_sha256: null, workspace_id: S.workspace });
        expect(withCreds).toMatchObject({ trunk_username: 'synthflow-acme', trunk_pwd_sha256: createHash('sha256').update('pw-for-the-trunk').digest('hex') });
        expect(await sf.getNumber(SUPPORT_DID)).toMatchObject({
            e164: SUPPORT_DID,
            friendlyName: `sipflow: Acme / ${SUPPORT_DID}`,
            sipTermUri: 'acme.sip.dixa.com',
            isAvailable: true,
            assistants: [],
        });
    });

    it('listNumbers pages until offset >= total_records, then GETs each detail', async () => {
        const sf = t.synthflow({ pageSize: 2 });
        const dids = [SUPPORT_DID, SALES_DID, DEMO.dixa.dids.main, '+4535550001', '+4535550002'];
        for (const did of dids) await sf.importNumber(importOf(did));
        t.timed.length = 0;
        const numbers = await sf.listNumbers();
        // The demo seeds two numbers: the unrelated UK line and the outbound agent's caller id.
        expect(numbers.map(n => n.e164)).toEqual([S.unrelatedNumber, S.outboundNumber, ...dids]);
        expect(numbers.every(n => (n.providerName === 'custom' || n.e164 === S.outboundNumber) && n.sipTermUri !== null)).toBe(true);
        expect(t.requestsTo('GET', '/numbers').map(r => r.query)).toEqual([0, 2, 4, 6].map(o => `workspace=${S.workspace}&limit=2&offset=${o}`));
        expect(t.timed.filter(r => r.path.startsWith('/v2/numbers/'))).toHaveLength(7);
    });

    it('updateNumber patches only the given fields; an empty patch sends nothing', async () => {
        const sf = t.synthflow();
        await sf.importNumber(importOf(SUPPORT_DID));
        await sf.updateNumber(SUPPORT_DID, { friendlyName: 'renamed', terminationUri: 'other.sip.dixa.com' });
        expect(await sf.getNumber(SUPPORT_DID)).toMatchObject({ friendlyName: 'renamed', sipTermUri: 'other.sip.dixa.com' });
        const before = t.timed.length;
        await sf.updateNumber(SUPPORT_DID, {});
        expect(t.timed.length).toBe(before);
    });

    it('POST answered 500 (nothing applied): re-read, absent, sent once more → one number', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=500*1');
        await t.synthflow().importNumber(importOf(SUPPORT_DID));
        expect(numbersIn().filter(n => n.phone_number === SUPPORT_DID)).toHaveLength(1);
        expect(t.requestsTo('POST', '/custom-numbers').map(r => r.status)).toEqual([500, 200]);
        expect(t.requestsTo('GET', '/numbers/4535551234').map(r => r.status)).toEqual([404]);
    });

    it('a 403 (import not enabled) is reported with the vendor message, not retried', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=403*1');
        const error = (await rejectionOf(() => t.synthflow().importNumber(importOf(SUPPORT_DID)))) as ProviderError;
        expect(error).toMatchObject({ vendor: 'synthflow', operation: 'POST /custom-numbers', status: 403, kind: 'forbidden', outcome: 'failed' });
        // The vendor's own text follows the summary (the sandbox's wording may change).
        expect(error.message).toMatch(/^Synthflow POST \/custom-numbers was refused: the API key is not allowed to do this \(403 Forbidden\): \S/);
        expect(t.requestsTo('POST', '/custom-numbers')).toHaveLength(1);
    });

    it('lost response on import (applied): re-read finds the number, no second POST', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=lost*1');
        await t.synthflow({ direct: true }).importNumber(importOf(SUPPORT_DID));
        expect(numbersIn().filter(n => n.phone_number === SUPPORT_DID)).toHaveLength(1);
        expect(t.requestsTo('POST', '/custom-numbers')).toHaveLength(1);
    });

    it('import timing out while the server works: re-sent (Synthflow refuses duplicates), one number', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/custom-numbers=delay:2000*1');
        await t.synthflow({ direct: true, timeoutMs: 500 }).importNumber(importOf(SUPPORT_DID));
        await waitFor(() => t.requestsTo('POST', '/custom-numbers').length === 2, 10_000);
        expect(
            t
                .requestsTo('POST', '/custom-numbers')
                .map(r => r.status)
                .sort(),
        ).toEqual([200, 400]);
        expect(numbersIn().filter(n => n.phone_number === SUPPORT_DID)).toHaveLength(1);
    });

    it('malformed JSON on a read is retried like a reset; persistent → invalid-response', async () => {
        t.env.sandbox.setFaults('synthflow:GET:/numbers/*=malformed*1');
        expect(await t.synthflow({ direct: true }).getNumber(S.unrelatedNumber)).toMatchObject({ e164: S.unrelatedNumber });
        expect(t.requestsTo('GET', `/numbers/${S.unrelatedNumber.slice(1)}`)).toHaveLength(2);
        t.env.sandbox.setFaults('synthflow:GET:/numbers/*=malformed');
        const error = (await rejectionOf(() => t.synthflow({ direct: true }).getNumber(S.unrelatedNumber))) as ProviderError;
        expect(error).toMatchObject({ kind: 'invalid-response', outcome: 'failed', operation: 'GET /numbers/{phone_number_slug}' });
    });
});

describe('Synthflow provider: assistants', () => {
    it('getAssistant reads actions and attached numbers; unknown is undefined', async () => {
        const sf = t.synthflow();
        expect(await sf.getAssistant(S.assistants.uk)).toEqual({
            modelId: S.assistants.uk,
            name: 'Acme UK support',
            type: 'inbound',
            phoneNumber: S.unrelatedNumber,
            poolNumbers: [],
            actionIds: [S.actions.ukTransfer],
        });
        expect(await sf.getAssistant('00000000-0000-4000-8000-00000000dead')).toBeUndefined();
        expect(t.requestsTo('GET', `/assistants/${S.assistants.uk}`)[0]!.query).toBe('include_actions=true');
    });

    it('listAssistants pages, then reads each with its actions', async () => {
        const assistants = await t.synthflow({ pageSize: 2 }).listAssistants();
        expect(assistants.map(a => a.modelId)).toEqual(Object.values(S.assistants));
        expect(assistants.find(a => a.modelId === S.assistants.support)!.actionIds).toEqual([S.actions.orderLookup]);
        expect(t.requestsTo('GET', '/assistants/')).toHaveLength(3);
    });

    it('setInboundNumber: PUT /assistants/{id} {phone_number} (a partial update), read back', async () => {
        const sf = t.synthflow();
        await sf.importNumber(importOf(SUPPORT_DID));
        await sf.setInboundNumber(S.assistants.support, SUPPORT_DID);
        const record = t.env.sandbox.state.synthflow.assistants.find(a => a.model_id === S.assistants.support)!;
        expect(record.inbound_phone_slug).toBe('4535551234');
        // Partial: nothing else changed; the outbound pool is untouched.
        expect(record.name).toBe('Acme DK support front door');
        expect(record.phone_number_slugs).toEqual([]);
        expect(await sf.getAssistant(S.assistants.support)).toMatchObject({ phoneNumber: SUPPORT_DID, actionIds: [S.actions.orderLookup] });
        expect(await sf.getNumber(SUPPORT_DID)).toMatchObject({ assistants: [S.assistants.support], isAvailable: false });
        expect(t.requestsTo('PUT', `/assistants/${S.assistants.support}`)).toHaveLength(1);
        // Repeating it changes nothing.
        await sf.setInboundNumber(S.assistants.support, SUPPORT_DID);
        expect(record.inbound_phone_slug).toBe('4535551234');
    });

    it("the number of another inbound assistant: the vendor's detail.description, kind client, nothing changed", async () => {
        const error = (await rejectionOf(() => t.synthflow().setInboundNumber(S.assistants.support, S.unrelatedNumber))) as ProviderError;
        expect(error).toMatchObject({ status: 400, kind: 'client', operation: 'PUT /assistants/{model_id}' });
        expect(error.message).toContain(`inbound agent ${S.assistants.uk}`);
        expect(t.env.sandbox.state.synthflow.assistants.find(a => a.model_id === S.assistants.support)!.inbound_phone_slug).toBeNull();
    });

    it('an unknown assistant is an error', async () => {
        const error = (await rejectionOf(() => t.synthflow().setInboundNumber('00000000-0000-4000-8000-00000000dead', S.unrelatedNumber))) as ProviderError;
        expect(error).toMatchObject({ status: 404, kind: 'not-found' });
    });
});

describe('Synthflow provider: transfer actions', () => {
    it('listActions and getAction read LIVE_TRANSFER configurations back; unknown is undefined', async () => {
        const sf = t.synthflow({ pageSize: 2 });
        const actions = await sf.listActions();
        expect(actions.map(a => a.actionId)).toEqual(Object.values(S.actions));
        expect(t.requestsTo('GET', '/actions')).toHaveLength(2);
        const uk = actions.find(a => a.actionId === S.actions.ukTransfer)!;
        expect(uk).toEqual({
            actionId: S.actions.ukTransfer,
            actionType: 'LIVE_TRANSFER',
            name: 'Transfer to UK front desk',
            liveTransfer: {
                transferMode: 'cold_transfer',
                phone: '+441134960000',
                instructions: 'The caller asks for a human',
                initiatingMsg: 'Transferring you now.',
                timeout: 30,
            },
        });
        expect(actions.find(a => a.actionId === S.actions.orderLookup)!.liveTransfer).toBeUndefined();
        expect(await sf.getAction(S.actions.ukTransfer)).toEqual(uk);
        expect(await sf.getAction('00000000-0000-4000-8000-00000000dead')).toBeUndefined();
    });

    it('createLiveTransfer → updateLiveTransfer (full object) → attachActions (the new id only, read back) → detachActions', async () => {
        const sf = t.synthflow();
        const id = await sf.createLiveTransfer(TRANSFER, 'sipflow: Support DK → Phone – Tier 1');
        expect(await sf.getAction(id)).toEqual({ actionId: id, actionType: 'LIVE_TRANSFER', name: 'sipflow: Support DK → Phone – Tier 1', liveTransfer: TRANSFER });

        const updated: LiveTransferConfig = { transferMode: 'cold_transfer', phone: TRANSFER.phone, instructions: 'Only when asked', initiatingMsg: 'Transferring.' };
        await sf.updateLiveTransfer(id, updated);
        const record = actionsIn().find(a => a.action_id === id)!;
        expect(record.config).toEqual({ transfer_mode: 'cold_transfer', phone: TRANSFER.phone, instructions: 'Only when asked', initiating_msg: 'Transferring.' });
        expect(record.name).toBe('sipflow: Support DK → Phone – Tier 1');

        const change = await sf.attachActions(S.assistants.support, [id]);
        expect(change).toEqual({ changed: [id], unchanged: [], restored: [], after: [S.actions.orderLookup, id] });
        expect((await sf.getAssistant(S.assistants.support))!.actionIds).toEqual([S.actions.orderLookup, id]);
        expect(await sf.attachActions(S.assistants.support, [id])).toMatchObject({ changed: [], unchanged: [id] });
        expect(await sf.detachActions(S.assistants.support, [id])).toMatchObject({ changed: [id], after: [S.actions.orderLookup] });
        expect(t.requestsTo('POST', '/actions/detach')).toHaveLength(1);
        expect(await sf.detachActions(S.assistants.support, [id])).toMatchObject({ changed: [], after: [S.actions.orderLookup] });
        expect(t.requestsTo('POST', '/actions/detach')).toHaveLength(1);
    });

    it('attach against an API that replaces the list: the read-back sees the loss and attaches the dropped actions again', async () => {
        t.env.sandbox.setAssumptions({ attachReplaces: true });
        try {
            const sf = t.synthflow();
            const change = await sf.attachActions(S.assistants.support, [S.actions.smsFollowUp]);
            expect(change.restored).toEqual([S.actions.orderLookup]);
            expect([...(await sf.getAssistant(S.assistants.support))!.actionIds].sort()).toEqual([S.actions.orderLookup, S.actions.smsFollowUp].sort());
        } finally {
            t.env.sandbox.setAssumptions({});
        }
    });

    it("after an unknown outcome, an action the client had already seen (the other department's twin) is never adopted", async () => {
        const sf = t.synthflow();
        const first = await sf.createLiveTransfer(TRANSFER, 'sipflow:acme/support escalate tier1');
        // Same target and configuration, another department; the POST answers 503 without creating.
        t.env.sandbox.setFaults('synthflow:POST:/actions=503*1');
        const second = await sf.createLiveTransfer(TRANSFER, 'sipflow:acme/sales escalate tier1');
        expect(second).not.toBe(first);
        expect(
            transfersTo(TRANSFER.phone)
                .map(a => a.action_id)
                .sort(),
        ).toEqual([first, second].sort());
    });

    it('names not kept and configuration not read back: an unknown outcome is reported, never guessed', async () => {
        t.env.sandbox.setAssumptions({ liveTransferNameKept: false, liveTransferReadBack: false });
        try {
            t.env.sandbox.setFaults('synthflow:POST:/actions=lost*1');
            const error = (await rejectionOf(() => t.synthflow({ direct: true }).createLiveTransfer(TRANSFER, 'sipflow transfer'))) as ProviderError;
            expect(error).toMatchObject({ outcome: 'unknown', operation: 'POST /actions' });
            expect(error.message).toContain('cannot be read back');
            expect(t.requestsTo('POST', '/actions')).toHaveLength(1);
        } finally {
            t.env.sandbox.setAssumptions({});
        }
    });

    it('lost response on create (applied): the re-read finds the new action, no duplicate', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/actions=lost*1');
        const id = await t.synthflow({ direct: true }).createLiveTransfer(TRANSFER, 'sipflow transfer');
        expect(transfersTo(TRANSFER.phone).map(a => a.action_id)).toEqual([id]);
        expect(t.requestsTo('POST', '/actions')).toHaveLength(1);
    });

    it('create answered 500 (nothing applied): re-read, absent, sent once more → one action', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/actions=500*1');
        const id = await t.synthflow().createLiveTransfer(TRANSFER, 'sipflow transfer');
        expect(transfersTo(TRANSFER.phone).map(a => a.action_id)).toEqual([id]);
        expect(t.requestsTo('POST', '/actions').map(r => r.status)).toEqual([500, 200]);
    });

    it('create timing out while the server works is not re-sent: no duplicate action', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/actions=delay:2000*1');
        const sf = t.synthflow({ direct: true, timeoutMs: 500 });
        const error = (await rejectionOf(() => sf.createLiveTransfer(TRANSFER, 'sipflow transfer'))) as ProviderError;
        expect(error).toMatchObject({ kind: 'timeout', outcome: 'unknown', operation: 'POST /actions' });
        await waitFor(() => transfersTo(TRANSFER.phone).length === 1, 10_000);
        expect(t.requestsTo('POST', '/actions')).toHaveLength(1);
    });

    it('attach (idempotent) and PUT are retried on 503/502', async () => {
        t.env.sandbox.setFaults('synthflow:POST:/actions/attach=503*1,synthflow:PUT:/actions/*=502*1');
        const sf = t.synthflow();
        await sf.attachActions(S.assistants.sales, [S.actions.smsFollowUp]);
        await sf.updateLiveTransfer(S.actions.ukTransfer, { transferMode: 'warm_transfer', phone: '+441134960000', instructions: 'i', initiatingMsg: 'm' });
        expect(t.requestsTo('POST', '/actions/attach').map(r => r.status)).toEqual([503, 200]);
        expect(t.requestsTo('PUT', `/actions/${S.actions.ukTransfer}`).map(r => r.status)).toEqual([502, 200]);
        expect(sf.stats.retries).toBe(2);
        expect(sf.stats.byOperation.get('POST /actions/attach')).toBe(2);
    });
});

describe('Synthflow provider: errors and retries', () => {
    it('a wrong key: one request, one auth error without the key', async () => {
        const wrong = 'sf-key-that-is-wrong-91b2';
        const error = (await rejectionOf(() => t.synthflow({ apiKey: wrong }).listActions())) as ProviderError;
        expect(error).toMatchObject({ vendor: 'synthflow', status: 401, kind: 'auth', outcome: 'failed', operation: 'GET /actions' });
        expect(error.message).toBe('Synthflow GET /actions was refused: Synthflow rejected the API key (401 Unauthorized): Invalid or missing API key');
        expect(error.message).not.toContain(wrong);
        expect(t.timed).toHaveLength(1);
    });

    it('429 (with and without Retry-After) and 5xx on reads are retried', async () => {
        t.env.sandbox.setFaults('synthflow:GET:/actions=429*1,synthflow:GET:/assistants/*=429:1*1,synthflow:GET:/numbers=502*1');
        const sf: SynthflowClient = t.synthflow();
        await sf.listActions();
        await sf.getAssistant(S.assistants.support);
        await sf.listNumbers();
        expect(t.requestsTo('GET', '/actions').map(r => r.status)).toEqual([429, 200]);
        const [throttled, retried] = t.requestsTo('GET', `/assistants/${S.assistants.support}`);
        expect(throttled!.status).toBe(429);
        expect(retried!.startedAt - throttled!.finishedAt).toBeGreaterThanOrEqual(900);
        expect(t.requestsTo('GET', '/numbers').map(r => r.status)).toEqual([502, 200]);
        expect(sf.stats.retries).toBe(3);
    });

    it('a connection reset on a read is retried', async () => {
        t.env.sandbox.setFaults('synthflow:GET:/actions=reset*1');
        expect(await t.synthflow({ direct: true }).listActions()).toHaveLength(3);
        expect(t.requestsTo('GET', '/actions').map(r => r.status)).toEqual([null, 200]);
    });
});
