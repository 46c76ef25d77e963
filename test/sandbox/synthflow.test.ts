/** Synthflow (/v2) over real HTTP through Prism validating against the vendor spec. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { errorViolationsOf, startContractEnvironment, type ContractEnvironment } from '../support/contract.js';
import { synthflowClient, type CallResult, type VendorCall } from '../support/http.js';

const S = DEMO.synthflow;
const WS = S.workspace;
const SUPPORT_DID = DEMO.dixa.dids.support;
const SALES_DID = DEMO.dixa.dids.sales;
const TRUNK_PASSWORD = 'tr0mbone-S3cret!';

let env: ContractEnvironment;
let sf: VendorCall;
let direct: VendorCall;

beforeAll(async () => {
    env = await startContractEnvironment({ sandbox: { dixaRateLimit: false } });
    sf = synthflowClient(env.synthflowBaseUrl);
    direct = synthflowClient(env.direct.synthflowBaseUrl);
});
afterAll(async () => {
    await env?.close();
});
beforeEach(() => env.sandbox.reset());

function expectStatus(res: CallResult, status: number): void {
    expect(errorViolationsOf(res.headers), res.text).toEqual([]);
    expect(res.status, res.text).toBe(status);
}

/** `{"detail": {status, description, request_id, category}}` */
function expectDetail(res: CallResult, status: number, pattern?: RegExp): void {
    expectStatus(res, status);
    expect(Object.keys(res.body.detail).sort()).toEqual(['category', 'description', 'request_id', 'status']);
    expect(res.body.detail.status).toBe('error');
    if (pattern) expect(res.body.detail.description).toMatch(pattern);
}

function importBody(phone: string, extra: Record<string, unknown> = {}) {
    return { workspace_id: WS, phone_number: phone, friendly_name: `sipflow acme – ${phone}`, provider_name: 'custom', termination_uri: 'acme.sip.dixa.com', ...extra };
}

async function importNumber(phone: string, extra: Record<string, unknown> = {}): Promise<CallResult> {
    return sf('POST', '/custom-numbers', { json: importBody(phone, extra) });
}

describe('Synthflow auth', () => {
    it('needs Authorization: Bearer <key>; other keys get 401 detail', async () => {
        expectStatus(await sf('GET', '/assistants/'), 200);
        expectDetail(await synthflowClient(env.synthflowBaseUrl, 'wrong')('GET', '/assistants/'), 401);
        const raw = await sf('GET', '/assistants/', { headers: { authorization: 'sandbox' } });
        expectDetail(raw, 401);
        // The spec declares Authorization as a required header: Prism refuses a request without it.
        expect((await fetch(`${env.synthflowBaseUrl}/assistants/`)).status).toBe(422);
        expectDetail(await direct('GET', '/assistants/', { headers: { authorization: '' } }), 401);
    });
});

describe('POST /v2/custom-numbers', () => {
    it('imports a custom SIP number: 200 {status, response{key, phone_number}}', async () => {
        const res = await importNumber(SUPPORT_DID, { trunk_username: 'synthflow-acme', trunk_pwd: TRUNK_PASSWORD });
        expectStatus(res, 200);
        expect(res.body.status).toBe('ok');
        expect(res.body.response.phone_number).toBe(SUPPORT_DID);
        expect(res.body.response.key).toMatch(/^[0-9a-f-]{36}$/);
        const stored = env.sandbox.state.synthflow.numbers.find(n => n.phone_number === SUPPORT_DID)!;
        expect(stored.trunk_pwd_sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(env.sandbox.state)).not.toContain(TRUNK_PASSWORD);
    });

    it('requires termination_uri for provider custom (400 detail), not for five9', async () => {
        expectDetail(await sf('POST', '/custom-numbers', { json: { workspace_id: WS, phone_number: SUPPORT_DID } }), 400, /termination_uri/);
        expectDetail(await importNumber(SUPPORT_DID, { termination_uri: '' }), 400, /termination_uri/);
        expectStatus(await sf('POST', '/custom-numbers', { json: { workspace_id: WS, phone_number: 'five9-queue-7', provider_name: 'five9' } }), 200);
    });

    it('400 detail for missing required fields (sandbox direct: Prism refuses them with 422 first)', async () => {
        expect((await sf('POST', '/custom-numbers', { json: { phone_number: SUPPORT_DID } })).status).toBe(422);
        expectDetail(await direct('POST', '/custom-numbers', { json: { phone_number: SUPPORT_DID, termination_uri: 'x' } }), 400, /workspace_id/);
        expectDetail(await direct('POST', '/custom-numbers', { json: { workspace_id: WS } }), 400, /phone_number/);
    });

    it('refuses a duplicate, a non-E.164 number, and UAC without credentials', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        expectDetail(await importNumber(SUPPORT_DID), 400, /already exists/);
        expectDetail(await importNumber('004535551234'), 400, /E\.164/);
        expectDetail(await importNumber(SALES_DID, { uac_enabled: true }), 400, /trunk_username and trunk_pwd/);
        expectDetail(await importNumber(SALES_DID, { uac_register_expires: 10 }), 400, /uac_register_expires/);
        expect(env.sandbox.state.synthflow.numbers.filter(n => n.phone_number === SUPPORT_DID).length).toBe(1);
    });
});

describe('GET /v2/numbers', () => {
    it('lists the workspace numbers with limit/offset and pagination', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        expectStatus(await importNumber(SALES_DID), 200);
        const first = await sf('GET', `/numbers?workspace=${WS}&limit=2&offset=0`);
        expectStatus(first, 200);
        expect(first.body.response.pagination).toEqual({ total_records: 4, limit: 2, offset: 0 });
        const second = await sf('GET', `/numbers?workspace=${WS}&limit=2&offset=2`);
        expect(second.body.response.pagination).toEqual({ total_records: 4, limit: 2, offset: 2 });
        const all = [...first.body.response.phone_numbers, ...second.body.response.phone_numbers];
        expect(all.map((n: any) => n.number)).toEqual([S.unrelatedNumber, S.outboundNumber, SUPPORT_DID, SALES_DID]);
        expect(all[0]).toEqual({ number: S.unrelatedNumber, sid: null, is_available: false });
        // A pool number is a caller id: it does not make the outbound agent answer it, so it stays available.
        expect(all[1]).toEqual({ number: S.outboundNumber, sid: null, is_available: true });
        expect(all[2]).toEqual({ number: SUPPORT_DID, sid: null, is_available: true });
    });

    it('filters by is_available and by workspace', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        const available = await sf('GET', `/numbers?workspace=${WS}&is_available=true`);
        expect(available.body.response.phone_numbers.map((n: any) => n.number)).toEqual([S.outboundNumber, SUPPORT_DID]);
        const other = await sf('GET', '/numbers?workspace=someone-else');
        expect(other.body.response).toEqual({ pagination: { total_records: 0, limit: 20, offset: 0 }, phone_numbers: [] });
    });

    it('requires workspace (Prism 422; the sandbox itself answers 400 detail)', async () => {
        expect((await sf('GET', '/numbers')).status).toBe(422);
        expectDetail(await direct('GET', '/numbers'), 400, /workspace/);
    });
});

describe('/v2/numbers/{slug}', () => {
    it('GET returns a flat object (no envelope) and never the trunk password', async () => {
        expectStatus(await importNumber(SUPPORT_DID, { trunk_username: 'synthflow-acme', trunk_pwd: TRUNK_PASSWORD }), 200);
        const res = await sf('GET', `/numbers/4535551234?workspace=${WS}`);
        expectStatus(res, 200);
        expect(res.body).not.toHaveProperty('status');
        expect(res.body).not.toHaveProperty('response');
        expect(res.body).toMatchObject({
            slug: '4535551234',
            phone_number: SUPPORT_DID,
            friendly_name: `sipflow acme – ${SUPPORT_DID}`,
            provider_name: 'custom',
            sip_term_uri: 'acme.sip.dixa.com',
            uac_enabled: false,
            is_available: true,
            workspace_id: WS,
            assistants: [],
        });
        expect(res.text).not.toContain(TRUNK_PASSWORD);
        expect(res.text).not.toContain('trunk_pwd');
        expect(res.text).not.toContain('trunk_username');
    });

    it('GET: 404 for an unknown number or another workspace', async () => {
        expectDetail(await sf('GET', `/numbers/4599999999?workspace=${WS}`), 404);
        expectDetail(await sf('GET', '/numbers/441134960123?workspace=someone-else'), 404);
    });

    it('PATCH updates fields ({status}) and validates the result', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        const res = await sf('PATCH', '/numbers/4535551234', { json: { friendly_name: 'renamed', termination_uri: 'acme2.sip.dixa.com', trunk_pwd: 'new-secret' } });
        expectStatus(res, 200);
        expect(res.body).toEqual({ status: 'ok' });
        const after = await sf('GET', `/numbers/4535551234?workspace=${WS}`);
        expect(after.body).toMatchObject({ friendly_name: 'renamed', sip_term_uri: 'acme2.sip.dixa.com' });
        expect(after.body.updated_at).toEqual(expect.any(String));
        expect(after.text).not.toContain('new-secret');
        expectDetail(await sf('PATCH', '/numbers/4535551234', { json: { sip_term_uri: '' } }), 400, /SIP domain/);
        expectDetail(await sf('PATCH', '/numbers/4599999999', { json: { friendly_name: 'x' } }), 404);
    });

    it('DELETE removes the number and detaches it from every assistant', async () => {
        const res = await sf('DELETE', '/numbers/441134960123');
        expectStatus(res, 200);
        expect(res.body).toEqual({ status: 'ok' });
        expectDetail(await sf('GET', `/numbers/441134960123?workspace=${WS}`), 404);
        const uk = await sf('GET', `/assistants/${S.assistants.uk}`);
        expect(uk.body.response.assistants[0].attached_phone_numbers).toEqual([]);
    });
});

describe('assistants', () => {
    it('lists assistants with limit/offset across pages', async () => {
        const ids: string[] = [];
        for (let offset = 0; ; offset += 2) {
            const res = await sf('GET', `/assistants/?limit=2&offset=${offset}`);
            expectStatus(res, 200);
            expect(res.body.response.pagination).toEqual({ total_records: 5, limit: 2, offset });
            ids.push(...res.body.response.assistants.map((a: any) => a.model_id));
            if (offset + 2 >= res.body.response.pagination.total_records) break;
        }
        expect(ids).toEqual(Object.values(S.assistants));
        const one = (await sf('GET', '/assistants/')).body.response.assistants[0];
        expect(one).toMatchObject({ model_id: S.assistants.support, type: 'inbound', name: 'Acme DK support front door' });
    });

    it('GET /assistants/{id}: actions only with include_actions=true; 404 when unknown', async () => {
        const plain = await sf('GET', `/assistants/${S.assistants.support}`);
        expectStatus(plain, 200);
        expect(plain.body.response.assistants).toHaveLength(1);
        expect(plain.body.response.assistants[0]).toMatchObject({ model_id: S.assistants.support, attached_phone_numbers: [], actions: [], input_variables: [] });
        const withActions = await sf('GET', `/assistants/${S.assistants.support}?include_actions=true`);
        expect(withActions.body.response.assistants[0].actions).toEqual([S.actions.orderLookup]);
        expectDetail(await sf('GET', '/assistants/00000000-0000-4000-8000-000000000000'), 404);
    });
});

describe('PUT /v2/assistants/{id}: the inbound number (a partial update)', () => {
    it("phone_number makes the number the agent's own: GET shows it, the number is no longer available; other fields stay", async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        const put = await sf('PUT', `/assistants/${S.assistants.support}`, { json: { phone_number: SUPPORT_DID } });
        expectStatus(put, 200);
        expect(put.body).toMatchObject({ status: 'ok', response: { model_id: S.assistants.support }, details: { phone: SUPPORT_DID } });
        const a = (await sf('GET', `/assistants/${S.assistants.support}?include_actions=true`)).body.response.assistants[0];
        expect(a.phone_number).toBe(SUPPORT_DID);
        expect(a.name).toBe('Acme DK support front door');
        expect(a.actions).toEqual([S.actions.orderLookup]);
        // Not the outbound pool.
        expect(a.attached_phone_numbers).toEqual([]);
        const n = (await sf('GET', `/numbers/4535551234?workspace=${WS}`)).body;
        expect(n).toMatchObject({ is_available: false, assistants: [S.assistants.support] });
        // Repeating it is harmless.
        expectStatus(await sf('PUT', `/assistants/${S.assistants.support}`, { json: { phone_number: SUPPORT_DID } }), 200);
    });

    it('one number → at most one inbound agent: 400 conflict, nothing changed; outbound agents may use it as a caller id', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        expectStatus(await sf('PUT', `/assistants/${S.assistants.support}`, { json: { phone_number: SUPPORT_DID } }), 200);
        const conflict = await sf('PUT', `/assistants/${S.assistants.sales}`, { json: { phone_number: SUPPORT_DID } });
        expectDetail(conflict, 400, new RegExp(`inbound agent ${S.assistants.support}`));
        expect(conflict.body.detail.category).toBe('conflict');
        expect(env.sandbox.state.synthflow.assistants.find(a => a.model_id === S.assistants.sales)!.inbound_phone_slug).toBeNull();
        expectDetail(await sf('PUT', `/assistants/${S.assistants.sales}`, { json: { phone_number: S.unrelatedNumber } }), 400);
        // The outbound pool: a caller id, not inbound routing.
        expectStatus(await sf('PUT', `/assistants/${S.assistants.outbound}/phone_numbers`, { json: { phone_numbers: [SUPPORT_DID] } }), 200);
        const n = (await sf('GET', `/numbers/4535551234?workspace=${WS}`)).body;
        expect(n.assistants.sort()).toEqual([S.assistants.support, S.assistants.outbound].sort());
        expect(n.is_available).toBe(false);
    });

    it('a number not imported: 404; a type change: 400; an unknown agent: 404', async () => {
        expectDetail(await sf('PUT', `/assistants/${S.assistants.support}`, { json: { phone_number: '+4599999999' } }), 404);
        expectDetail(await direct('PUT', `/assistants/${S.assistants.support}`, { json: { type: 'outbound' } }), 400, /type/);
        expectDetail(await sf('PUT', '/assistants/00000000-0000-4000-8000-000000000000', { json: { phone_number: SUPPORT_DID } }), 404);
    });

    it('deleting a number frees its inbound agent', async () => {
        expectStatus(await sf('DELETE', `/numbers/441134960123`), 200);
        const uk = (await sf('GET', `/assistants/${S.assistants.uk}`)).body.response.assistants[0];
        expect(uk.phone_number).toBeUndefined();
    });
});

describe('PUT /v2/assistants/{id}/phone_numbers (the outbound pool)', () => {
    it('replaces the pool with the given list (slugs or E.164); pool numbers do not route inbound', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        expectStatus(await importNumber(SALES_DID), 200);
        const put = await sf('PUT', `/assistants/${S.assistants.outbound}/phone_numbers`, { json: { phone_number_slugs: ['4535551234'] } });
        expectStatus(put, 200);
        expect(put.body).toEqual({ status: 'ok' });
        const a = (await sf('GET', `/assistants/${S.assistants.outbound}`)).body.response.assistants[0];
        expect(a.attached_phone_numbers).toEqual([{ number: SUPPORT_DID, sid: null, slug: '4535551234' }]);
        expect(a.phone_number).toBeUndefined();
        expect((await sf('GET', `/numbers/4535551234?workspace=${WS}`)).body).toMatchObject({ is_available: true, assistants: [S.assistants.outbound] });
        expectStatus(await sf('PUT', `/assistants/${S.assistants.outbound}/phone_numbers`, { json: { phone_numbers: [SALES_DID] } }), 200);
        expect((await sf('GET', `/assistants/${S.assistants.outbound}`)).body.response.assistants[0].attached_phone_numbers.map((x: any) => x.number)).toEqual([SALES_DID]);
    });

    it('404 detail for an unknown assistant or number; 400 when both or neither list is given', async () => {
        expectDetail(await sf('PUT', '/assistants/00000000-0000-4000-8000-000000000000/phone_numbers', { json: { phone_numbers: [] } }), 404);
        expectDetail(await sf('PUT', `/assistants/${S.assistants.support}/phone_numbers`, { json: { phone_numbers: ['+4599999999'] } }), 404);
        expect((await sf('PUT', `/assistants/${S.assistants.support}/phone_numbers`, { json: {} })).status).toBe(422);
        expectDetail(await direct('PUT', `/assistants/${S.assistants.support}/phone_numbers`, { json: { phone_numbers: [], phone_number_slugs: [] } }), 400, /exactly one/);
    });

    it('DELETE …/phone_numbers/{slug} removes one pool number; 400 when not in the pool; 404 when unknown', async () => {
        expectStatus(await importNumber(SUPPORT_DID), 200);
        expectStatus(await sf('PUT', `/assistants/${S.assistants.outbound}/phone_numbers`, { json: { phone_numbers: [SUPPORT_DID] } }), 200);
        const res = await sf('DELETE', `/assistants/${S.assistants.outbound}/phone_numbers/4535551234`);
        expectStatus(res, 200);
        expect(res.body).toEqual({ status: 'ok' });
        expectDetail(await sf('DELETE', `/assistants/${S.assistants.outbound}/phone_numbers/4535551234`), 400, /not attached/);
        expectDetail(await sf('DELETE', '/assistants/00000000-0000-4000-8000-000000000000/phone_numbers/441134960123'), 404);
        expectDetail(await sf('DELETE', `/assistants/${S.assistants.uk}/phone_numbers/4599999999`), 404);
    });
});

describe('actions', () => {
    const transfer = {
        transfer_mode: 'warm_transfer',
        phone: 'sip:+4570101111@acme.sip.dixa.com',
        instructions: 'The caller asks for a human, or the problem cannot be solved',
        initiating_msg: 'One moment, I am putting you through to a colleague.',
        failed_msg: 'Sorry, nobody is available right now.',
        timeout: 30,
    };

    async function createTransfer(config: Record<string, unknown> = transfer): Promise<string> {
        const res = await sf('POST', '/actions', { json: { LIVE_TRANSFER: { ...config, name: 'sipflow: escalate to Phone – Tier 1' } } });
        expectStatus(res, 200);
        return res.body.response.action_id;
    }

    it('POST creates a LIVE_TRANSFER: {status, response{action_id, action_type, prompt_variables}}', async () => {
        const res = await sf('POST', '/actions', { json: { LIVE_TRANSFER: transfer } });
        expectStatus(res, 200);
        expect(res.body).toEqual({ status: 'ok', response: { action_id: expect.any(String), action_type: 'LIVE_TRANSFER', prompt_variables: [] } });
    });

    it('reads the LIVE_TRANSFER configuration back as parameters_hard_coded (GET /actions/{id} and GET /actions)', async () => {
        const id = await createTransfer();
        const one = await sf('GET', `/actions/${id}`);
        expectStatus(one, 200);
        expect(one.body.response.actions).toEqual([
            { action_id: id, action_type: 'LIVE_TRANSFER', name: 'sipflow: escalate to Phone – Tier 1', description: '', parameters_hard_coded: transfer },
        ]);
        const list = await sf('GET', '/actions?limit=50');
        expect(list.body.response.actions.find((a: any) => a.action_id === id).parameters_hard_coded).toEqual(transfer);
        const custom = list.body.response.actions.find((a: any) => a.action_id === S.actions.orderLookup);
        expect(custom).toMatchObject({ action_type: 'CUSTOM_ACTION', parameters_hard_coded: {} });
    });

    it('include_assistants lists the assistants an action is attached to', async () => {
        const res = await sf('GET', `/actions/${S.actions.orderLookup}?include_assistants=true`);
        expectStatus(res, 200);
        expect(res.body.response.actions[0].assistants).toEqual([S.assistants.support]);
        expect((await sf('GET', `/actions/${S.actions.orderLookup}`)).body.response.actions[0]).not.toHaveProperty('assistants');
    });

    it('refuses a LIVE_TRANSFER without its required fields (Prism 422; sandbox 400 detail) or with bad values', async () => {
        const { instructions: _drop, ...incomplete } = transfer;
        expect((await sf('POST', '/actions', { json: { LIVE_TRANSFER: incomplete } })).status).toBe(422);
        expectDetail(await direct('POST', '/actions', { json: { LIVE_TRANSFER: incomplete } }), 400, /instructions/);
        expectDetail(await direct('POST', '/actions', { json: { LIVE_TRANSFER: { ...transfer, phone_book_id: 'pb_1' } } }), 400, /exactly one of phone or phone_book_id/);
        expectDetail(await sf('POST', '/actions', { json: { LIVE_TRANSFER: { ...transfer, timeout: -5 } } }), 400, /timeout/);
        expectDetail(await sf('POST', '/actions', { json: { LIVE_TRANSFER: { ...transfer, human_detection_timeout_seconds: 5 } } }), 400, /between 30 and 1800/);
        expectDetail(await sf('POST', '/actions', { json: {} }), 400, /exactly one action type/);
    });

    it('PUT replaces the whole configuration (omitted optional fields are gone) and keeps the type', async () => {
        const id = await createTransfer();
        const { failed_msg: _f, ...withoutFailedMsg } = transfer;
        const next = { ...withoutFailedMsg, transfer_mode: 'cold_transfer', timeout: 45 };
        const put = await sf('PUT', `/actions/${id}`, { json: { LIVE_TRANSFER: next } });
        expectStatus(put, 200);
        expect(put.body).toEqual({ status: 'ok', response: { action_id: id } });
        const after = (await sf('GET', `/actions/${id}`)).body.response.actions[0];
        expect(after.parameters_hard_coded).toEqual(next);
        expect(after.name).toBe('sipflow: escalate to Phone – Tier 1');
        expectDetail(await sf('PUT', `/actions/${id}`, { json: { SEND_SMS: { content: 'x', instructions: 'y' } } }), 400, /type cannot change/);
        expectDetail(await sf('PUT', '/actions/00000000-0000-4000-8000-000000000000', { json: { LIVE_TRANSFER: transfer } }), 404);
    });

    it('GET /actions pages with limit/offset', async () => {
        await createTransfer();
        const first = await sf('GET', '/actions?limit=3&offset=0');
        expectStatus(first, 200);
        expect(first.body.response.pagination).toEqual({ total_records: 4, limit: 3, offset: 0 });
        expect(first.body.response.actions).toHaveLength(3);
        const rest = await sf('GET', '/actions?limit=3&offset=3');
        expect(rest.body.response.actions).toHaveLength(1);
    });

    it('DELETE removes the action and detaches it everywhere', async () => {
        const res = await sf('DELETE', `/actions/${S.actions.orderLookup}`);
        expectStatus(res, 200);
        expect(res.body.response.answer).toEqual(expect.any(String));
        expectDetail(await sf('GET', `/actions/${S.actions.orderLookup}`), 404);
        expect((await sf('GET', `/assistants/${S.assistants.support}?include_actions=true`)).body.response.assistants[0].actions).toEqual([]);
    });

    it('attach adds to the assistant’s action list, keeping the others (the attachReplaces assumption turns that around)', async () => {
        const id = await createTransfer();
        const readActions = async () => (await sf('GET', `/assistants/${S.assistants.support}?include_actions=true`)).body.response.assistants[0].actions;
        expect(await readActions()).toEqual([S.actions.orderLookup]);
        const attach = await sf('POST', '/actions/attach', { json: { model_id: S.assistants.support, actions: [id] } });
        expectStatus(attach, 200);
        expect(attach.body).toEqual({ status: 'ok', response: {} });
        expect(await readActions()).toEqual([S.actions.orderLookup, id]);
        // Again, or in the `items` form: nothing changes.
        expectStatus(await sf('POST', '/actions/attach', { json: { model_id: S.assistants.support, items: [{ action_id: id, attachment_type: 'during' }] } }), 200);
        expect(await readActions()).toEqual([S.actions.orderLookup, id]);
        env.sandbox.setAssumptions({ attachReplaces: true });
        try {
            expectStatus(await sf('POST', '/actions/attach', { json: { model_id: S.assistants.support, actions: [id] } }), 200);
            expect(await readActions()).toEqual([id]);
        } finally {
            env.sandbox.setAssumptions({});
        }
    });

    it('the assumptions are switchable through the admin API, and reset restores them', async () => {
        const read = async () => (await (await fetch(`${env.sandbox.adminUrl}/assumptions`)).json()) as { assumptions: Record<string, unknown> };
        expect((await read()).assumptions).toMatchObject({ liveTransferNameKept: true, liveTransferReadBack: true, attachReplaces: false });
        const put = await fetch(`${env.sandbox.adminUrl}/assumptions`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ liveTransferReadBack: false }),
        });
        expect(put.status).toBe(200);
        const id = await createTransfer();
        const item = (await sf('GET', `/actions/${id}`)).body.response.actions[0];
        expect(item.parameters_hard_coded).toEqual({});
        expect((await fetch(`${env.sandbox.adminUrl}/assumptions`, { method: 'PUT', body: JSON.stringify({ nonsense: true }) })).status).toBe(400);
        env.sandbox.reset();
        expect((await read()).assumptions).toMatchObject({ liveTransferReadBack: true });
    });

    it('attach refuses unknown actions (nothing changed) and unknown assistants; detach removes only the given ids', async () => {
        const id = await createTransfer();
        expectDetail(await sf('POST', '/actions/attach', { json: { model_id: S.assistants.support, actions: [id, 'no-such-action'] } }), 400, /no-such-action/);
        expectDetail(await sf('POST', '/actions/attach', { json: { model_id: '00000000-0000-4000-8000-000000000000', actions: [id] } }), 404);
        expectStatus(await sf('POST', '/actions/attach', { json: { model_id: S.assistants.support, actions: [S.actions.orderLookup, id] } }), 200);
        const detach = await sf('POST', '/actions/detach', { json: { model_id: S.assistants.support, actions: [id] } });
        expectStatus(detach, 200);
        expect(detach.body).toEqual({ status: 'ok', response: {} });
        expect(env.sandbox.state.synthflow.assistants.find(a => a.model_id === S.assistants.support)!.actions).toEqual([S.actions.orderLookup]);
    });
});

describe('unknown routes', () => {
    it('answers {"detail":"Not Found"} (and Prism 404 for paths outside the spec)', async () => {
        const res = await direct('GET', '/no-such-route');
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Not Found' });
        expect((await sf('GET', '/no-such-route')).status).toBe(404);
    });
});
