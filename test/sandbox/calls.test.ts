/**
 * The call routes through a Prism validating proxy (POST /calls, GET /calls, GET /calls/{call_id} are
 * judged by Synthflow's spec) and the Dixa model behind them (`PUT /_sandbox/dixa-manual`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { ESCALATE_VARIABLE } from '../../src/sandbox/calls.js';
import { demoDixaManual } from '../../src/sandbox/seed.js';
import { startContractEnvironment, type ContractEnvironment } from '../support/contract.js';
import { call, synthflowClient, type VendorCall } from '../support/http.js';

const S = DEMO.synthflow;
const D = DEMO.dixa;
let env: ContractEnvironment;
let sf: VendorCall;

beforeAll(async () => {
    env = await startContractEnvironment();
    sf = synthflowClient(env.synthflowBaseUrl);
}, 120_000);
afterAll(async () => env?.close());

/** The demo with support's number imported and assigned, and a LIVE_TRANSFER to Tier 1 attached (what apply does). */
async function applySupport(): Promise<string> {
    expect(
        (await sf('POST', '/custom-numbers', { json: { workspace_id: S.workspace, phone_number: D.dids.support, provider_name: 'custom', termination_uri: 'acme.sip.dixa.com' } }))
            .status,
    ).toBe(200);
    expect((await sf('PUT', `/assistants/${S.assistants.support}`, { json: { phone_number: D.dids.support } })).status).toBe(200);
    const created = await sf('POST', '/actions', {
        json: { LIVE_TRANSFER: { transfer_mode: 'warm_transfer', phone: `sip:${D.dids.tier1}@acme.sip.dixa.com`, instructions: 'Human', initiating_msg: 'One moment' } },
    });
    const actionId = created.body.response.action_id as string;
    expect((await sf('POST', '/actions/attach', { json: { model_id: S.assistants.support, actions: [actionId] } })).status).toBe(200);
    return actionId;
}

const startCall = (extra: Record<string, unknown> = {}) => sf('POST', '/calls', { json: { model_id: S.assistants.outbound, phone: D.dids.support, name: 'test', ...extra } });

beforeEach(() => env.sandbox.reset());

describe('POST /calls', () => {
    it('validates: required fields, an outbound agent, a pool number', async () => {
        // Prism itself refuses a body without a required field (422); the sandbox answers 400.
        const direct = synthflowClient(env.direct.synthflowBaseUrl);
        expect((await sf('POST', '/calls', { json: { model_id: S.assistants.outbound, phone: D.dids.support } })).status).toBe(422);
        expect((await direct('POST', '/calls', { json: { model_id: S.assistants.outbound, phone: D.dids.support } })).status).toBe(400);
        expect((await startCall({ model_id: S.assistants.support })).status).toBe(400);
        expect((await startCall({ from_phone_number: '+4599999999' })).status).toBe(400);
        const ok = await startCall({ from_phone_number: S.outboundNumber });
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({ status: 'ok', response: { answer: 'Call initiated', call_id: expect.any(String) } });
    });

    it('with the Dixa side undone the call reaches no assistant; done, it arrives with the caller and escalates', async () => {
        const actionId = await applySupport();
        const started = await startCall({ custom_variables: [{ key: ESCALATE_VARIABLE, value: `sip:${D.dids.tier1}@acme.sip.dixa.com` }] });
        expect(started.status).toBe(200);
        expect((await sf('GET', `/calls?model_id=${S.assistants.support}`)).body.response.calls).toEqual([]);
        const outbound = await sf('GET', `/calls/${started.body.response.call_id}`);
        expect(outbound.status, outbound.text).toBe(200);
        expect(outbound.body.response.calls[0]).toMatchObject({ model_id: S.assistants.outbound, phone_number_to: D.dids.support, status: 'completed' });

        const put = await call(`${env.sandbox.adminUrl}/dixa-manual`, { method: 'PUT', json: demoDixaManual() });
        expect(put.status).toBe(200);
        await startCall({ custom_variables: [{ key: ESCALATE_VARIABLE, value: `sip:${D.dids.tier1}@acme.sip.dixa.com` }] });
        const list = await sf('GET', `/calls?model_id=${S.assistants.support}`);
        expect(list.status).toBe(200);
        expect(list.body.response.pagination).toEqual({ total_records: 1, limit: 20, offset: 0 });
        expect(list.body.response.calls[0]).toMatchObject({
            model_id: S.assistants.support,
            type_of_call: 'inbound',
            lead_phone_number: S.outboundNumber,
            call_status: 'completed',
            executed_actions: { [actionId]: { action_type: 'LIVE_TRANSFER', outcome: 'transferred' } },
        });
        const detail = await sf('GET', `/calls/${list.body.response.calls[0].call_id}`);
        expect(detail.body.response.calls[0].prompt_variables).toEqual({ phone_number: S.outboundNumber });
    });

    it('records a refused escalation on the call (end_call_reason error)', async () => {
        const actionId = await applySupport();
        env.sandbox.state.dixaManual = { ...demoDixaManual(), queueRouting: {} };
        await startCall({ custom_variables: [{ key: ESCALATE_VARIABLE, value: `sip:${D.dids.tier1}@acme.sip.dixa.com` }] });
        const [inbound] = (await sf('GET', `/calls?model_id=${S.assistants.support}`)).body.response.calls;
        expect(inbound.end_call_reason).toBe('error');
        expect(inbound.executed_actions[actionId].outcome).toBe('refused');
    });

    it('contradicts its assumptions on request: executed actions without their target, a pool number that answers (still per the spec)', async () => {
        const actionId = await applySupport();
        env.sandbox.state.dixaManual = demoDixaManual();
        env.sandbox.setAssumptions({ callTransferShowsTarget: false, outboundPoolRoutesInbound: true });
        await startCall({ custom_variables: [{ key: ESCALATE_VARIABLE, value: `sip:${D.dids.tier1}@acme.sip.dixa.com` }] });
        const [inbound] = (await sf('GET', `/calls?model_id=${S.assistants.support}`)).body.response.calls;
        expect(inbound.executed_actions).toEqual({ [actionId]: { action_type: 'LIVE_TRANSFER', name: expect.any(String) } });
        const detail = await sf('GET', `/calls/${inbound.call_id}`);
        expect(detail.status, detail.text).toBe(200);
        expect(detail.body.response.calls[0].executed_actions).toEqual(inbound.executed_actions);

        // A number in the UK agent's outbound pool: with the switch, a call to it reaches that agent; without, nobody.
        const poolNumber = '+4532100200';
        env.sandbox.state.synthflow.assistants.find(a => a.model_id === S.assistants.uk)!.phone_number_slugs.push(poolNumber.slice(1));
        expect((await startCall({ phone: poolNumber })).status).toBe(200);
        const [pooled] = (await sf('GET', `/calls?model_id=${S.assistants.uk}`)).body.response.calls;
        expect(pooled).toMatchObject({ type_of_call: 'inbound', phone_number_to: poolNumber, lead_phone_number: S.outboundNumber });
        env.sandbox.setAssumptions({ outboundPoolRoutesInbound: false });
        await startCall({ phone: poolNumber });
        expect((await sf('GET', `/calls?model_id=${S.assistants.uk}`)).body.response.calls).toHaveLength(1);
    });
});

describe('GET /calls', () => {
    it('needs model_id; 404 for an unknown call', async () => {
        expect((await sf('GET', '/calls')).status).toBeGreaterThanOrEqual(400);
        expect((await sf('GET', '/calls/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
});

describe('PUT /_sandbox/dixa-manual', () => {
    it('refuses a malformed configuration with one message and keeps the old one', async () => {
        const bad = await call(`${env.sandbox.adminUrl}/dixa-manual`, { method: 'PUT', json: { transferSteps: { '4535551234': { sipAddress: 'x' } } } });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toContain('is not an E.164 DID');
        expect((await call(`${env.sandbox.adminUrl}/dixa-manual`)).body).toEqual({ allowlist: [], transferSteps: {}, queueRouting: {} });
    });
});
