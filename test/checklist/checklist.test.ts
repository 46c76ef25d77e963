import { describe, expect, it } from 'vitest';
import { buildChecklist, renderChecklistMarkdown, renderChecklistText, type DixaEvidence } from '../../src/checklist/index.js';
import { buildDesiredState } from '../../src/model/index.js';
import { SYNTHFLOW_REGION_FACTS } from '../../src/vendors/synthflow-facts.js';
import { EXAMPLE, validate } from '../language/helpers.js';

async function desiredExample() {
    const { document } = await validate(EXAMPLE);
    return buildDesiredState(document);
}

/** Dixa as the guide leaves it when every manual step is done. */
const COMPLETE: DixaEvidence = {
    organization: { id: 'org', name: 'Acme', subdomain: 'acme' },
    telephonyEndpoints: ['+4535551234', '+4535555678', '+4570101111', '+4570102222'].map(number => ({ number, name: null, functionality: ['VoiceInbound', 'VoiceOutbound'] })),
    phoneFlows: [
        { id: 'f1', name: 'Support DK', contactEndpointId: '+4535551234' },
        { id: 'f2', name: 'Sales DK', contactEndpointId: '+4535555678' },
    ],
    queues: [
        { id: 'q1', name: 'Phone – Tier 1', offeringAlgorithm: null, usages: { PstnPhone: ['+4570101111', '+4535551234'] } },
        { id: 'q2', name: 'Phone – Sales', offeringAlgorithm: 'AllAtOnce', usages: { PstnPhone: ['+4570102222', '+4535555678'] } },
    ],
};

describe('checklist', () => {
    it('lists the exact values to type into Dixa', async () => {
        const checklist = buildChecklist(await desiredExample());
        const allowlist = checklist.items.find(i => i.id === 'dixa.allowlist');
        expect(allowlist?.values.map(v => v.value)).toEqual([...SYNTHFLOW_REGION_FACTS.eu.signallingIps]);
        const transfer = checklist.items.find(i => i.id === 'department.support.transfer-step');
        expect(transfer?.values).toEqual([
            { label: 'SIP address', value: '+4535551234@sip.eu.synthflow.ai:32681' },
            { label: 'UUI header', value: 'phone_number={caller}' },
            { label: 'Timeout', value: '30s' },
            { label: 'Fallback queue', value: 'Phone – Tier 1' },
        ]);
        expect(transfer?.status).toBe('unverifiable');
        // without evidence, nothing that could be read is claimed verified
        expect(checklist.counts.verified).toBe(0);
        expect(checklist.items.find(i => i.id === 'department.support.flow')?.status).toBe('not-checked');
    });

    it('verifies every readable step when Dixa is configured', async () => {
        const checklist = buildChecklist(await desiredExample(), COMPLETE);
        const readable = checklist.items.filter(i => i.status !== 'unverifiable');
        expect(readable.map(i => [i.id, i.status])).toEqual([
            ['dixa.sip-domain', 'verified'],
            ['department.support.did', 'verified'],
            ['department.support.flow', 'verified'],
            ['department.support.fallback', 'verified'],
            ['department.sales.did', 'verified'],
            ['department.sales.flow', 'verified'],
            ['department.sales.fallback', 'verified'],
            ['queue.tier1.did', 'verified'],
            ['queue.sales_desk.did', 'verified'],
        ]);
        expect(checklist.counts).toEqual({ verified: 9, failed: 0, unverifiable: 5, 'not-checked': 0 });
    });

    it('says precisely what is wrong when Dixa differs', async () => {
        const checklist = buildChecklist(await desiredExample(), {
            organization: { id: 'org', name: 'Acme', subdomain: 'acme-eu' },
            telephonyEndpoints: [{ number: '+4535551234', name: 'Support', functionality: ['VoiceOutbound'] }],
            phoneFlows: [{ id: 'f1', name: 'Old flow', contactEndpointId: '+4535551234' }],
            queues: [{ id: 'q1', name: 'Phone – Tier 1', offeringAlgorithm: null, usages: { PstnPhone: ['+4570101111'] } }],
        });
        const detail = (id: string) => checklist.items.find(i => i.id === id);
        expect(detail('dixa.sip-domain')).toMatchObject({ status: 'failed' });
        expect(detail('dixa.sip-domain')?.detail).toContain('"acme-eu"');
        expect(detail('department.support.did')?.detail).toBe('+4535551234 exists but cannot receive calls (functionality: VoiceOutbound).');
        expect(detail('department.support.flow')?.detail).toBe('+4535551234 runs the flow "Old flow", not "Support DK".');
        expect(detail('department.sales.flow')?.detail).toBe('No phone flow is assigned to +4535555678.');
        expect(detail('department.support.fallback')?.detail).toContain('does not route +4535551234 into "Phone – Tier 1"');
        expect(detail('queue.sales_desk.did')?.detail).toBe('+4570102222 is not a phone number of this Dixa organization.');
    });

    it('renders text and markdown with every value', async () => {
        const checklist = buildChecklist(await desiredExample(), COMPLETE);
        const text = renderChecklistText(checklist);
        expect(text).toContain('SIP address:    +4535551234@sip.eu.synthflow.ai:32681');
        expect(text).toContain('[✔ verified] Assign the phone flow "Support DK" to +4535551234.');
        expect(text.trimEnd().split('\n').at(-1)).toBe('Manual checklist: 14 steps — 9 verified, 0 failed, 5 cannot be verified');
        const markdown = renderChecklistMarkdown(checklist);
        expect(markdown).toContain('  - SIP address: `+4535551234@sip.eu.synthflow.ai:32681`');
        expect(markdown).toContain('- [x] ✅ **Assign the phone flow "Support DK" to +4535551234.**');
    });
});
