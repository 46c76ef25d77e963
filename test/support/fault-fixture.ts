/**
 * The 12-department fixture of the fault property test and the soak (issue 7): a `.sipflow` text and
 * the sandbox state it is applied to, built on the demo seed.
 *
 * What it is made to exercise:
 * - 12 inbound assistants (added to the demo seed), each with its department's DID as a Dixa telephony
 *   endpoint; none of the DIDs is imported into Synthflow yet.
 * - 6 queues, three existing in Dixa and three to be created, with several departments escalating to
 *   one queue (the case where a re-read after a 503 adopted the other department's action); two
 *   departments escalate to two queues.
 * - A foreign (non-sipflow) action already attached to every third assistant (a CUSTOM_ACTION, and on
 *   one of them also a LIVE_TRANSFER to a non-Dixa number): it must survive every run.
 */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { SipflowFile } from '../../src/language/generated/ast.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { buildDesiredState, type DesiredState } from '../../src/model/index.js';
import { DEMO, seedState, type SandboxState } from '../../src/sandbox/index.js';

export const FIXTURE_INTEGRATION = 'faults';
export const FIXTURE_SIP_DOMAIN = 'acme.sip.dixa.com';
export const FIXTURE_DEPARTMENTS = 12;

export interface FixtureQueue {
    readonly key: string;
    readonly name: string;
    readonly did: string;
    /** Already in Dixa before the first run (else the first apply creates it). */
    readonly exists: boolean;
    readonly kind: 'queue' | 'ring-group';
}

export interface FixtureDepartment {
    readonly key: string;
    readonly did: string;
    readonly assistantId: string;
    readonly fallback: string;
    /** Queue keys, in file order. */
    readonly escalateTo: readonly string[];
}

/** A foreign action attached to an assistant before the first run. */
export interface PreexistingAction {
    readonly assistantId: string;
    readonly actionId: string;
}

export interface Fixture {
    readonly text: string;
    readonly queues: readonly FixtureQueue[];
    readonly departments: readonly FixtureDepartment[];
    readonly preexisting: readonly PreexistingAction[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Deterministic lower-case v4-shaped UUIDs, distinct from the demo seed's. */
const assistantIdOf = (i: number) => `d0c0ffee-${pad(i, 4)}-4000-8000-${pad(i, 12)}`;
const foreignActionIdOf = (i: number) => `f0e1e100-${pad(i, 4)}-4000-8000-${pad(i, 12)}`;
const foreignTransferId = 'f0e1e1ff-0000-4000-8000-000000000001';

const QUEUES: readonly FixtureQueue[] = [
    // Existing ones: the demo's "Phone – Tier 1" and two the fixture adds.
    { key: 'tier1', name: 'Phone – Tier 1', did: DEMO.dixa.dids.tier1, exists: true, kind: 'queue' },
    { key: 'billing', name: 'Phone – Billing', did: '+4570200001', exists: true, kind: 'queue' },
    { key: 'tech', name: 'Phone – Technical', did: '+4570200002', exists: true, kind: 'queue' },
    // To be created.
    { key: 'sales_desk', name: 'Phone – Sales', did: DEMO.dixa.dids.salesDesk, exists: false, kind: 'ring-group' },
    { key: 'returns', name: 'Phone – Returns', did: '+4570200003', exists: false, kind: 'queue' },
    { key: 'vip', name: 'Phone – VIP', did: '+4570200004', exists: false, kind: 'ring-group' },
];

/**
 * Escalation targets per department: every queue serves at least two departments (tier1 four, one of
 * them to be created: returns), and departments 3 and 9 escalate to two queues.
 */
const ESCALATIONS: readonly (readonly string[])[] = [
    ['tier1'],
    ['tier1'],
    ['billing'],
    ['billing', 'vip'],
    ['tech'],
    ['tech'],
    ['sales_desk'],
    ['sales_desk'],
    ['returns'],
    ['returns', 'tier1'],
    ['vip'],
    ['tier1'],
];

export function buildFixture(): Fixture {
    const departments: FixtureDepartment[] = ESCALATIONS.map((escalateTo, i) => ({
        key: `dept_${pad(i, 2)}`,
        did: `+4533${pad(100000 + i, 6)}`,
        assistantId: assistantIdOf(i),
        fallback: QUEUES[i % QUEUES.length]!.key,
        escalateTo,
    }));
    const preexisting: PreexistingAction[] = departments.map((d, i) => ({ assistantId: d.assistantId, actionId: foreignActionIdOf(i) })).filter((_, i) => i % 3 === 0);
    preexisting.push({ assistantId: departments[3]!.assistantId, actionId: foreignTransferId });
    return { text: renderFixture(departments), queues: QUEUES, departments, preexisting };
}

function renderFixture(departments: readonly FixtureDepartment[]): string {
    const out = [
        `integration ${FIXTURE_INTEGRATION} {`,
        `  dixa {`,
        `    sip-domain "${FIXTURE_SIP_DOMAIN}"`,
        `    allowlist synthflow`,
        `  }`,
        `  synthflow {`,
        `    region eu`,
        `    workspace "${DEMO.synthflow.workspace}"`,
        `    trunk-auth ip`,
        `  }`,
    ];
    for (const q of QUEUES) {
        out.push(`  queue ${q.key} {`, `    name "${q.name}"`, `    did "${q.did}"`);
        if (q.kind !== 'queue') out.push(`    kind ${q.kind}`);
        out.push('  }');
    }
    departments.forEach((d, i) => {
        out.push(`  department ${d.key} {`, `    did "${d.did}"`, `    assistant "${d.assistantId}"`, `    timeout 30s`, `    fallback ${d.fallback}`);
        for (const target of d.escalateTo) {
            // Some with a block (mode, when, say), some bare: both forms reach the same action shape.
            if (i % 2 === 0)
                out.push(`    escalate ${target} {`, `      mode warm`, `      when "The caller asks for a human (${d.key})"`, `      say "One moment, please."`, `    }`);
            else out.push(`    escalate ${target}`);
        }
        out.push('  }');
    });
    out.push('}', '');
    return out.join('\n');
}

/** Parses, links and validates the fixture text; throws if it has an error (the fixture itself is wrong). */
export async function fixtureDesiredState(fixture: Fixture): Promise<DesiredState> {
    const { shared } = createSipflowServices(EmptyFileSystem);
    const document = shared.workspace.LangiumDocumentFactory.fromString(fixture.text, URI.parse('memory:///fault-fixture.sipflow')) as LangiumDocument<SipflowFile>;
    shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build([document], { validation: true });
    const errors = (document.diagnostics ?? []).filter(d => d.severity === 1);
    if (errors.length > 0) throw new Error(`the fault fixture does not validate: ${errors.map(e => e.message).join('; ')}`);
    return buildDesiredState(document);
}

const CREATED = '2025-06-02T08:30:00Z';

/** The demo seed plus the fixture's assistants, DIDs, existing queues and foreign actions. */
export function fixtureState(fixture: Fixture): SandboxState {
    const state = seedState('demo');
    const template = state.dixa.queues.find(q => q.id === DEMO.dixa.queues.tier1)!;
    fixture.queues.forEach((q, i) => {
        if (!state.dixa.contactEndpoints.some(e => e._type === 'TelephonyEndpoint' && e.number === q.did)) {
            state.dixa.contactEndpoints.push({ _type: 'TelephonyEndpoint', number: q.did, name: `${q.name} escalations`, functionality: ['VoiceInbound'] });
        }
        if (q.exists && !state.dixa.queues.some(existing => existing.name === q.name)) {
            const id = `a7c1e2d3-4f5a-4b6c-8d7e-9f0a1b2c3e${pad(i, 2)}`;
            state.dixa.queues.push({ ...structuredClone(template), id, name: q.name, usages: { PstnPhone: [q.did] } });
            state.dixa.queueMembers[id] = [];
        }
    });
    for (const d of fixture.departments) {
        state.dixa.contactEndpoints.push({ _type: 'TelephonyEndpoint', number: d.did, name: `Line ${d.key}`, functionality: ['VoiceInbound', 'VoiceOutbound'] });
        state.synthflow.assistants.push({
            model_id: d.assistantId,
            name: `Front door ${d.key}`,
            type: 'inbound',
            is_recording: false,
            agent: {},
            inbound_phone_slug: null,
            phone_number_slugs: [],
            actions: fixture.preexisting.filter(p => p.assistantId === d.assistantId).map(p => p.actionId),
        });
    }
    for (const p of fixture.preexisting) {
        const transfer = p.actionId === foreignTransferId;
        state.synthflow.actions.push({
            action_id: p.actionId,
            action_type: transfer ? 'LIVE_TRANSFER' : 'CUSTOM_ACTION',
            name: transfer ? 'Transfer to the duty manager' : `Look up the customer (${p.assistantId.slice(-2)})`,
            description: 'Made by hand in Synthflow: sipflow must keep it',
            config: transfer
                ? { transfer_mode: 'cold_transfer', phone: '+4520304099', instructions: 'The caller asks for the manager', initiating_msg: 'Transferring you.', timeout: 30 }
                : { http_mode: 'GET', url: 'https://crm.acme.example/api/customer', name: 'Look up the customer', speech_while_using_the_tool: 'One moment.' },
            created_at: CREATED,
            updated_at: null,
        });
    }
    return state;
}
