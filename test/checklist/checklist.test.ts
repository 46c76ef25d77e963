import { describe, expect, it } from 'vitest';
import { buildChecklist, renderChecklistMarkdown, renderChecklistText, type DixaEvidence } from '../../src/checklist/index.js';
import type { LiveSynthflowNumber } from '../../src/providers/types.js';
import { buildDesiredState } from '../../src/model/index.js';
import { SYNTHFLOW_REGION_FACTS } from '../../src/vendors/synthflow-facts.js';
import { EXAMPLE, validate } from '../language/helpers.js';

async function desiredFrom(text: string) {
    const { document } = await validate(text);
    return buildDesiredState(document);
}

async function desiredExample() {
    return desiredFrom(EXAMPLE);
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
        expect(allowlist?.values.filter(v => v.label === 'IP').map(v => v.value)).toEqual([...SYNTHFLOW_REGION_FACTS.eu.signallingIps]);
        const transfer = checklist.items.find(i => i.id === 'department.support.transfer-step');
        expect(transfer?.values).toEqual([
            { label: 'SIP address', value: '+4535551234@sip.eu.synthflow.ai:32681' },
            { label: 'UUI header', value: 'phone_number={caller}' },
            { label: 'Timeout', value: '30s' },
            { label: 'Fallback queue', value: 'Phone – Tier 1' },
            { label: 'Caller number in Synthflow', value: '{user_phone_number} (the caller ID Dixa sends)' },
        ]);
        expect(transfer?.status).toBe('unverifiable');
        expect(transfer?.detail).toContain('{user_phone_number}');
        expect(transfer?.detail).toContain('inbound X-… header as a variable {X-…}');
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
            // Synthflow was not read in this test
            ['synthflow.support.attached', 'not-checked'],
            ['synthflow.sales.attached', 'not-checked'],
        ]);
        expect(checklist.counts).toEqual({ verified: 9, failed: 0, unverifiable: 10, 'not-checked': 2 });
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

    it('checks the organization the account guard expects: the organization setting when written', async () => {
        const written = await desiredFrom(EXAMPLE.replace('allowlist synthflow', 'allowlist synthflow\n    organization "acme-eu"'));
        const evidence = { organization: { id: 'org', name: 'Acme', subdomain: 'ACME-EU' }, telephonyEndpoints: [], phoneFlows: [], queues: [] };
        const item = buildChecklist(written, evidence).items.find(i => i.id === 'dixa.sip-domain');
        expect(item).toMatchObject({ status: 'verified' });
        expect(item?.detail).toContain("as the file's organization setting says");
        const otherOrganization = buildChecklist(await desiredExample(), evidence).items.find(i => i.id === 'dixa.sip-domain');
        expect(otherOrganization?.status).toBe('failed');
        expect(otherOrganization?.detail).toContain('write dixa { organization "ACME-EU" }');
    });

    it('renders text and markdown with every value', async () => {
        const checklist = buildChecklist(await desiredExample(), COMPLETE);
        const text = renderChecklistText(checklist);
        expect(text).toMatch(/^ {6}SIP address: +\+4535551234@sip\.eu\.synthflow\.ai:32681$/m);
        expect(text).toContain('[✔ verified] Assign the phone flow "Support DK" to +4535551234.');
        expect(text.trimEnd().split('\n').at(-1)).toBe('Manual checklist: 21 steps — 9 verified, 0 failed, 10 cannot be verified, 2 not checked');
        const markdown = renderChecklistMarkdown(checklist);
        expect(markdown).toContain('  - SIP address: `+4535551234@sip.eu.synthflow.ai:32681`');
        expect(markdown).toContain('- [x] ✅ **Assign the phone flow "Support DK" to +4535551234.**');
    });

    describe("the vendors' documented trunk facts", () => {
        const item = (checklist: ReturnType<typeof buildChecklist>, id: string) => {
            const found = checklist.items.find(i => i.id === id);
            if (!found) throw new Error(`no checklist item ${id}`);
            return found;
        };

        it("lists the region's media IPs and the RTP range next to the signalling IPs", async () => {
            const checklist = buildChecklist(await desiredExample());
            const ids = checklist.items.map(i => i.id);
            expect(ids.indexOf('dixa.media')).toBe(ids.indexOf('dixa.allowlist') + 1);
            const media = item(checklist, 'dixa.media');
            expect(media.values).toEqual([
                { label: 'Media IP', value: '34.89.251.213' },
                { label: 'Media IP', value: '35.198.108.150' },
                { label: 'Media IP', value: '34.141.20.211' },
                { label: 'RTP ports', value: 'UDP 10000–60000' },
            ]);
            expect(media.title).toContain('UDP 10000–60000');
        });

        it('media IPs follow the region, and US workspaces are told about the LATAM IPs', async () => {
            const { document } = await validate(EXAMPLE.replace('region eu', 'region us'));
            const media = item(buildChecklist(buildDesiredState(document)), 'dixa.media');
            expect(media.values.filter(v => v.label === 'Media IP').map(v => v.value)).toEqual([...SYNTHFLOW_REGION_FACTS.us.mediaIps]);
            expect(media.detail).toContain('LATAM');
        });

        it("says which requests Dixa's allowlist admits, and that a call that never escalates does not prove it", async () => {
            const allowlist = item(buildChecklist(await desiredExample()), 'dixa.allowlist');
            expect(allowlist.values.at(-1)).toEqual({
                label: 'Admits',
                value: "Synthflow's escalation INVITEs to the queue DIDs, and its in-dialog requests (BYE, re-INVITE) on calls Dixa forwarded to Synthflow",
            });
            expect(allowlist.detail).toContain('a test call that never escalates does not prove it');
            expect(allowlist.detail).not.toMatch(/a test call to a department DID proves it/);
        });

        it('offers TLS on 32682 next to UDP/TCP on 32681, and G.711 first', async () => {
            const checklist = buildChecklist(await desiredExample());
            expect(item(checklist, 'synthflow.transport').values).toEqual([
                { label: 'SIP (UDP/TCP)', value: 'sip.eu.synthflow.ai:32681' },
                { label: 'SIP over TLS (optional)', value: 'sip.eu.synthflow.ai:32682' },
            ]);
            const codecs = item(checklist, 'synthflow.codecs');
            expect(codecs.values.slice(0, 2)).toEqual([
                { label: 'Codec', value: 'G.711 µ-law (PCMU)' },
                { label: 'Codec', value: 'G.711 A-law (PCMA)' },
            ]);
            expect(codecs.title).toContain('start with G.711');
        });

        it('names the Enterprise-plan requirement and what a 403 on import means', async () => {
            const plan = item(buildChecklist(await desiredExample()), 'synthflow.enterprise-plan');
            expect(plan.title).toContain('Enterprise plan');
            expect(plan.detail).toContain('403 on number import (POST /custom-numbers)');
            expect(plan.values).toEqual([{ label: 'Workspace', value: '1738660423280x428309622607052800' }]);
        });

        it('explains uac_enabled for IP auth and for trunk credentials, never with a secret', async () => {
            const ip = item(buildChecklist(await desiredExample()), 'synthflow.uac');
            expect(ip.values).toEqual([{ label: 'uac_enabled', value: 'false' }]);
            expect(ip.detail).toContain('Without uac_enabled Synthflow does not REGISTER');
            const withCredentials = EXAMPLE.replace('trunk-auth ip', 'trunk-auth credentials { username env:SIP_USER password env:SIP_PASS }');
            const { document } = await validate(withCredentials);
            const credentials = item(buildChecklist(buildDesiredState(document)), 'synthflow.uac');
            expect(credentials.detail).toContain("only used to answer Dixa's digest challenges");
            expect(credentials.values).toContainEqual({ label: 'Trunk username', value: 'env:SIP_USER' });
            expect(JSON.stringify(credentials)).not.toContain('SIP_PASS');
        });

        it("asks for the 1–2 minute wait after attaching, and confirms the attachment from Synthflow's read", async () => {
            const desired = await desiredExample();
            const support = desired.departments[0];
            const number = (over: Partial<LiveSynthflowNumber>): LiveSynthflowNumber => ({
                e164: support.did,
                slug: support.slug,
                friendlyName: null,
                providerName: 'custom',
                sipTermUri: 'acme.sip.dixa.com',
                sipAuthUsername: null,
                assistants: [support.assistantId],
                isAvailable: false,
                ...over,
            });
            const attached = item(buildChecklist(desired, { synthflowNumbers: [number({})] }), 'synthflow.support.attached');
            expect(attached.title).toContain('wait 1–2 minutes');
            expect(attached.status).toBe('verified');
            expect(attached.detail).toContain('is_available: false');
            const stillAvailable = item(buildChecklist(desired, { synthflowNumbers: [number({ isAvailable: true })] }), 'synthflow.support.attached');
            expect(stillAvailable.status).toBe('failed');
            expect(stillAvailable.detail).toContain('is_available');
            const otherAssistant = item(buildChecklist(desired, { synthflowNumbers: [number({ assistants: ['someone-else'] })] }), 'synthflow.support.attached');
            expect(otherAssistant).toMatchObject({ status: 'failed', detail: `${support.did} is not attached to the assistant ${support.assistantId} yet (apply attaches it).` });
            expect(item(buildChecklist(desired, { synthflowNumbers: [] }), 'synthflow.sales.attached').status).toBe('failed');
        });

        it('renders the new items in text, Markdown and JSON', async () => {
            const checklist = buildChecklist(await desiredExample());
            const text = renderChecklistText(checklist);
            expect(text).toContain('Media IP:  34.89.251.213');
            expect(text).toContain('RTP ports: UDP 10000–60000');
            expect(text).toContain('SIP over TLS (optional): sip.eu.synthflow.ai:32682');
            expect(text).toContain('Codec:          G.711 µ-law (PCMU)');
            expect(text).toContain('uac_enabled: false');
            const markdown = renderChecklistMarkdown(checklist);
            expect(markdown).toContain('  - RTP ports: `UDP 10000–60000`');
            expect(markdown).toContain('  - SIP over TLS (optional): `sip.eu.synthflow.ai:32682`');
            expect(markdown).toContain('  - Codec: `G.711 A-law (PCMA)`');
            expect(markdown).toContain('Enterprise plan');
            const json = JSON.parse(JSON.stringify(checklist)) as typeof checklist;
            expect(json.items.find(i => i.id === 'dixa.media')?.values).toContainEqual({ label: 'RTP ports', value: 'UDP 10000–60000' });
            expect(json.items.find(i => i.id === 'synthflow.support.attached')?.status).toBe('not-checked');
        });
    });

    it("asks Dixa's transfer step to send each header X-…, and says how Synthflow reads it", async () => {
        const { document } = await validate(EXAMPLE.replace('    uui phone_number\n', '    uui phone_number\n    header X-Caller "{caller}"\n'));
        const checklist = buildChecklist(buildDesiredState(document));
        const transfer = checklist.items.find(i => i.id === 'department.support.transfer-step');
        expect(transfer?.values).toContainEqual({ label: 'SIP header', value: 'X-Caller: {caller}' });
        expect(transfer?.values).toContainEqual({ label: 'X-Caller in Synthflow', value: '{X-Caller}' });
        expect(transfer?.values.find(v => v.label === 'UUI header')?.value).toBe('phone_number={caller}');
        expect(checklist.items.find(i => i.id === 'department.sales.transfer-step')?.values.map(v => v.label)).not.toContain('SIP header');
        expect(renderChecklistText(checklist)).toMatch(/^ {6}SIP header: +X-Caller: \{caller\}$/m);
        expect(renderChecklistMarkdown(checklist)).toContain('  - SIP header: `X-Caller: {caller}`');
    });
});
