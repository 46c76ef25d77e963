/**
 * The harness itself: Prism really validates (bad requests → 422, non-conformant sandbox responses →
 * 500 VIOLATIONS), and every erratum in spec-errata.ts is needed (the original schema rejects the
 * spec's own example or the realistic shape) and sufficient.
 */
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/sandbox/index.js';
import { startContractEnvironment, violationsOf, type ContractEnvironment } from '../support/contract.js';
import { contractDixaSpec, contractSynthflowSpec, ERRATA, readOriginalDixaSpec, readOriginalSynthflowSpec } from '../support/spec-errata.js';
import { dixaClient, synthflowClient, type VendorCall } from '../support/http.js';

let env: ContractEnvironment;
let dixa: VendorCall;
let synthflow: VendorCall;

beforeAll(async () => {
    env = await startContractEnvironment({ sandbox: { dixaRateLimit: false } });
    dixa = dixaClient(env.dixaBaseUrl);
    synthflow = synthflowClient(env.synthflowBaseUrl);
});
afterAll(async () => {
    await env?.close();
});

describe('contract harness', () => {
    it('routes client → Prism → sandbox for both vendors', async () => {
        const before = env.sandbox.requests.length;
        const org = await dixa('GET', '/organization');
        expect(org.status).toBe(200);
        expect(org.body.data.subdomain).toBe('acme');
        const numbers = await synthflow('GET', `/numbers?workspace=${DEMO.synthflow.workspace}`);
        expect(numbers.status).toBe(200);
        const seen = env.sandbox.requests.slice(before).map(r => `${r.method} ${r.path}`);
        expect(seen).toEqual(['GET /v1/organization', 'GET /v2/numbers']);
    });

    it('Prism rejects a request missing a required field with 422 before it reaches the sandbox', async () => {
        const before = env.sandbox.requests.length;
        const sf = await synthflow('POST', '/custom-numbers', { json: { workspace_id: DEMO.synthflow.workspace } });
        expect(sf.status).toBe(422);
        expect(sf.text).toContain('phone_number');
        const dx = await dixa('POST', '/queues', { json: { request: { callFunctionality: true, isDefault: false, isDoNotOfferEnabled: false } } });
        expect(dx.status).toBe(422);
        expect(dx.text).toContain('name');
        const missingQuery = await synthflow('GET', '/numbers');
        expect(missingQuery.status).toBe(422);
        expect(env.sandbox.requests.length).toBe(before);
    });

    it('a sandbox response that violates the spec surfaces as a Prism VIOLATIONS error', async () => {
        const flows = env.sandbox.state.dixa.flows;
        const saved = flows[0]!.id;
        flows[0]!.id = 'not-a-uuid'; // ConversationFlow.id is format: uuid
        try {
            const res = await dixa('GET', '/conversations/flows');
            expect(res.status).toBe(500);
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            expect(res.body.type).toContain('VIOLATIONS');
            expect(JSON.stringify(res.body)).toContain('uuid');
        } finally {
            flows[0]!.id = saved;
        }
        const ok = await dixa('GET', '/conversations/flows');
        expect(ok.status).toBe(200);
        expect(violationsOf(ok.headers)).toEqual([]);
    });

    it('a missing Dixa token is refused by Prism itself (the spec declares ApiKeyAuth)', async () => {
        const res = await fetch(`${env.dixaBaseUrl}/organization`);
        expect(res.status).toBe(401);
        await res.arrayBuffer();
    });
});

describe('spec errata', () => {
    const dixaOriginal = readOriginalDixaSpec();
    const dixaPatched = contractDixaSpec();
    const sfOriginal = readOriginalSynthflowSpec();
    const sfPatched = contractSynthflowSpec();

    const dixaValidator = (spec: object, schema: string) => {
        const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
        ajv.addSchema(spec, 'spec');
        return ajv.getSchema(`spec#/components/schemas/${schema}`)!;
    };
    const sfValidator = (spec: object, ref: string) => {
        const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
        ajv.addSchema(spec, 'spec');
        return ajv.getSchema(`spec#${ref}`)!;
    };

    it('lists each erratum with a reason', () => {
        expect(ERRATA.length).toBeGreaterThan(0);
        for (const e of ERRATA) expect(e.why.length).toBeGreaterThan(40);
    });

    it('Dixa BulkError: the spec’s own bulk-outcome example fails oneOf and passes anyOf', () => {
        const example = (dixaOriginal as any).paths['/beta/queues/{queueId}/members'].patch.responses['200'].content['application/json'].example;
        expect(example.data.some((d: any) => d._type === 'BulkActionFailure')).toBe(true);
        expect(dixaValidator(dixaOriginal, 'BulkQueueEndpointOutput')(example)).toBe(false);
        expect(dixaValidator(dixaPatched, 'BulkQueueEndpointOutput')(example)).toBe(true);
    });

    it('Dixa paths are served under /v1 with the /beta shapes', () => {
        const paths = Object.keys((dixaPatched as any).paths);
        expect(paths).toContain('/v1/queues/{queueId}/members');
        expect(paths.some(p => p.startsWith('/beta'))).toBe(false);
    });

    it('Synthflow GET /assistants/: an array of agents fails the original schema and passes the patched one', () => {
        const ref = '/components/schemas/AssistantsGetResponsesContentApplicationJsonSchemaResponse';
        const list = { pagination: { total_records: 1, limit: 20, offset: 0 }, assistants: [{ model_id: DEMO.synthflow.assistants.support, name: 'x', type: 'inbound' }] };
        expect(sfValidator(sfOriginal, ref)(list)).toBe(false);
        expect(sfValidator(sfPatched, ref)(list)).toBe(true);
    });
});
