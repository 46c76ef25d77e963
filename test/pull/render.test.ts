import { describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/model/index.js';
import { keepFileComments, pullReferenceOf, renderPulledConfiguration, identifier, type PullSnapshot } from '../../src/pull/index.js';
import { DEFAULT_ESCALATION_SAY, DEFAULT_ESCALATION_WHEN } from '../../src/vendors/synthflow-facts.js';
import { EXAMPLE, validate } from '../language/helpers.js';

const SUPPORT = 'b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6';
const SALES = '0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90';

/** The live accounts after the example has been applied (and the manual Dixa steps done). */
const APPLIED: PullSnapshot = {
    organization: { id: 'org', name: 'Acme', subdomain: 'acme' },
    numbers: [
        {
            e164: '+4535555678',
            slug: '4535555678',
            friendlyName: 'sipflow:acme/sales',
            providerName: 'custom',
            sipTermUri: 'acme.sip.dixa.com',
            sipAuthUsername: null,
            assistants: [SALES],
            isAvailable: false,
        },
        {
            e164: '+4535551234',
            slug: '4535551234',
            friendlyName: 'sipflow:acme/support',
            providerName: 'custom',
            sipTermUri: 'acme.sip.dixa.com',
            sipAuthUsername: null,
            assistants: [SUPPORT],
            isAvailable: false,
        },
        { e164: '+14155550100', slug: '14155550100', friendlyName: 'US line', providerName: 'twilio', sipTermUri: null, sipAuthUsername: null, assistants: [], isAvailable: true },
    ],
    assistants: [
        { modelId: SUPPORT, name: 'Support', type: 'inbound', phoneNumber: '+4535551234', poolNumbers: [], actionIds: ['custom-1', 'act-support'] },
        { modelId: SALES, name: 'Sales', type: 'inbound', phoneNumber: '+4535555678', poolNumbers: [], actionIds: ['act-sales'] },
    ],
    actions: [
        { actionId: 'custom-1', actionType: 'CUSTOM_ACTION', name: 'CRM lookup' },
        {
            actionId: 'act-support',
            actionType: 'LIVE_TRANSFER',
            name: 'sipflow:acme/support escalate tier1',
            liveTransfer: {
                transferMode: 'warm_transfer',
                phone: 'sip:+4570101111@acme.sip.dixa.com',
                instructions: 'The caller asks for a human, or the problem cannot be solved',
                initiatingMsg: 'One moment, I am putting you through to a colleague.',
            },
        },
        {
            actionId: 'act-sales',
            actionType: 'LIVE_TRANSFER',
            name: 'sipflow:acme/sales escalate sales_desk',
            liveTransfer: {
                transferMode: 'warm_transfer',
                phone: 'sip:+4570102222@acme.sip.dixa.com',
                instructions: DEFAULT_ESCALATION_WHEN,
                initiatingMsg: DEFAULT_ESCALATION_SAY,
            },
        },
    ],
    queues: [
        { id: 'q1', name: 'Phone – Tier 1', offeringAlgorithm: 'LongestIdle', usages: { PstnPhone: ['+4570101111', '+4535551234'] } },
        { id: 'q2', name: 'Phone – Sales', offeringAlgorithm: 'AllAtOnce', usages: { PstnPhone: ['+4570102222', '+4535555678'] } },
        { id: 'q3', name: 'Email', offeringAlgorithm: null, usages: {} },
    ],
    phoneFlows: [
        { id: 'f1', name: 'Support DK', contactEndpointId: '+4535551234' },
        { id: 'f2', name: 'Sales DK', contactEndpointId: '+4535555678' },
    ],
};

describe('pull', () => {
    it('writes a valid file whose desired state equals the original', async () => {
        const pulled = renderPulledConfiguration(APPLIED, { region: 'eu', workspace: '1738660423280x428309622607052800' });
        expect(pulled).toMatchObject({ integration: 'acme', departments: 2, queues: 2 });
        const { document: pulledDocument, diagnostics } = await validate(pulled.text);
        expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
        const fromPull = buildDesiredState(pulledDocument);
        const { document: exampleDocument } = await validate(EXAMPLE);
        const original = buildDesiredState(exampleDocument);
        const comparable = (state: typeof original) => ({
            dixa: state.dixa,
            synthflow: state.synthflow,
            queues: state.queues.map(({ key: _key, ...queue }) => queue),
            departments: state.departments.map(({ fallbackQueue, escalations, ...department }) => ({
                ...department,
                fallback: state.queues.find(q => q.key === fallbackQueue)?.name,
                escalations: escalations.map(({ queue: _queue, actionName: _name, ...escalation }) => escalation),
            })),
        });
        expect(comparable(fromPull)).toEqual(comparable(original));
    });

    it("writes organization only when the subdomain differs from the sip-domain's company", async () => {
        expect(renderPulledConfiguration(APPLIED, { region: 'eu', workspace: 'ws' }).text).not.toContain('organization');
        const upper = { ...APPLIED, organization: { ...APPLIED.organization, subdomain: 'ACME' } };
        expect(renderPulledConfiguration(upper, { region: 'eu', workspace: 'ws' }).text).not.toContain('organization');
        const other = { ...APPLIED, organization: { ...APPLIED.organization, subdomain: 'acme-dk' } };
        const pulled = renderPulledConfiguration(other, { region: 'eu', workspace: 'ws', sipDomain: 'acme.sip.dixa.com' });
        expect(pulled.text).toContain('    sip-domain "acme.sip.dixa.com"\n    organization "acme-dk"\n');
        const { document, diagnostics } = await validate(pulled.text);
        expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
        expect(buildDesiredState(document).dixa.organization).toEqual({ subdomain: 'acme-dk', from: 'file' });
    });

    it('keeps non-default transfer texts and leaves defaults implicit', () => {
        const { text } = renderPulledConfiguration(APPLIED, { region: 'eu', workspace: 'ws' });
        expect(text).toContain('    escalate phone_tier_1 {\n      when "The caller asks for a human, or the problem cannot be solved"\n');
        expect(text).toContain('    escalate phone_sales\n');
        expect(text).toContain('    kind ring-group\n');
        expect(text).not.toContain('14155550100');
        expect(text).not.toContain('Email');
    });

    it('notes what it cannot read and what it left out', () => {
        const unattached = { ...APPLIED, numbers: APPLIED.numbers.map(n => (n.e164 === '+4535555678' ? { ...n, assistants: [] } : n)) };
        const pulled = renderPulledConfiguration(unattached, { region: 'eu', workspace: 'ws' });
        expect(pulled.departments).toBe(1);
        expect(pulled.notes).toContain('+4535555678 terminates on acme.sip.dixa.com but is not attached to an assistant: left out.');
        expect(pulled.notes.some(n => n.includes('timeouts are written as the recommended 30s'))).toBe(true);
        // Not a guess dressed as a reading: the timeout line says it was not read.
        expect(pulled.text).toContain('    timeout 30s  // not readable: Dixa has no API for flow steps (the recommended value)\n');
    });

    it('makes names from free text', () => {
        expect(identifier('Phone – Tier 1', 'queue')).toBe('phone_tier_1');
        expect(identifier('Kø Ærø', 'queue')).toBe('koe_aeroe');
        expect(identifier('1st line', 'queue')).toBe('queue_1st_line');
        expect(identifier('––', 'queue')).toBe('queue');
    });

    it('against the file: keeps its names, reads its queues by name, writes its defaults and comments, marks what it cannot read', async () => {
        const { document } = await validate(EXAMPLE);
        const reference = pullReferenceOf(document, buildDesiredState(document));
        // Right after apply: Dixa shows no phone usage on the sales desk queue apply created (the DID is assigned by hand).
        const justApplied = { ...APPLIED, queues: APPLIED.queues.map(q => (q.id === 'q2' ? { ...q, usages: {} } : q)) };
        const pulled = renderPulledConfiguration(justApplied, { region: 'eu', workspace: '1738660423280x428309622607052800', reference });
        expect(pulled.queues).toBe(2);
        const { text } = pulled;
        expect(text).toContain('  queue tier1 {\n    name "Phone – Tier 1"\n    did "+4570101111"\n  }\n');
        expect(text).toContain('  queue sales_desk {\n    name "Phone – Sales"\n    did "+4570102222"  // not readable:');
        expect(text).toContain(
            '    fallback tier1\n    uui phone_number  // not readable: Dixa has no API for flow steps (kept from the file)\n    escalate tier1 {\n      mode warm\n',
        );
        expect(text).toContain('    fallback sales_desk  // not readable: Dixa has no API for flow steps (kept from the file)\n    escalate sales_desk\n');
        expect(text).toContain('    trunk-auth ip                    // Dixa authenticates Synthflow by source IP\n');
        expect(text.split('\n')[0]).toBe('// sipflow pull: live state of integration acme, read from Dixa and Synthflow.');
        // Every line of the file is there, as written or marked; nothing else is added but the pull header.
        const lines = text.split('\n');
        for (const line of EXAMPLE.split('\n'))
            expect(
                lines.some(l => l === line || l.startsWith(`${line}  // not readable:`)),
                line,
            ).toBe(true);
        expect(lines.filter(l => !EXAMPLE.split('\n').includes(l) && !l.includes('// not readable:'))).toEqual([
            '// sipflow pull: live state of integration acme, read from Dixa and Synthflow.',
            '// Checked by itself wherever it is. To adopt it as your configuration, delete the line above.',
        ]);
        const { diagnostics } = await validate(text);
        expect(diagnostics.filter(d => d.severity === 1)).toEqual([]);
    });

    it("against the file: what live says differently is live, under the file's names, and the changed line loses its comment", async () => {
        const { document } = await validate(EXAMPLE);
        const reference = pullReferenceOf(document, buildDesiredState(document));
        const cold: PullSnapshot = {
            ...APPLIED,
            actions: APPLIED.actions.map(a =>
                a.actionId === 'act-sales' && a.liveTransfer ? { ...a, liveTransfer: { ...a.liveTransfer, transferMode: 'cold_transfer' as const } } : a,
            ),
        };
        const { text } = renderPulledConfiguration(cold, { region: 'eu', workspace: 'ws', reference });
        expect(text).toContain('    escalate sales_desk {\n      mode cold\n    }\n');
        expect(text).toContain('    workspace "ws"\n');
        expect(text).not.toContain('1738660423280x428309622607052800');
    });

    it("puts the file's comments back only on lines that say the same", () => {
        const file = '// head\na {\n  x 1   // one\n  // about y\n  y 2\n}\n';
        const pulled = '// marker\na {\n  x 1\n  y 3\n  t 5  // not readable: why\n}\n';
        expect(keepFileComments(file, pulled)).toBe('// marker\n// head\na {\n  x 1   // one\n  y 3\n  t 5  // not readable: why\n}\n');
        // A `//` inside a string is not a comment.
        expect(keepFileComments('u "sip://x"  // c\n', 'u "sip://x"\n')).toBe('u "sip://x"  // c\n');
        expect(keepFileComments('u "sip://x"\n', 'u "sip://y"\n')).toBe('u "sip://y"\n');
    });
});
