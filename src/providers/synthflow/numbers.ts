/** Synthflow phone numbers: listed per workspace, read by slug, imported as custom SIP numbers, patched. */
import { numberSlug } from '../../vendors/synthflow-facts.js';
import { createWithReread } from '../http/create-with-reread.js';
import { expectObject, expectString } from '../http/shape.js';
import type { LiveSynthflowNumber, SynthflowNumberImport, SynthflowNumberPatch, SynthflowProvider } from '../types.js';
import type { SynthflowCustomNumberImport, SynthflowNumberPatchBody } from './api-types.js';
import { toNumber, withPlus } from './decoders.js';
import type { SynthflowTransport } from './transport.js';

export type SynthflowNumbers = Pick<SynthflowProvider, 'listNumbers' | 'getNumber' | 'importNumber' | 'updateNumber'>;

export function synthflowNumbers(transport: SynthflowTransport): SynthflowNumbers {
    const { http, workspace, invalidFor, unwrap, collectPages } = transport;

    async function getNumber(e164: string): Promise<LiveSynthflowNumber | undefined> {
        const template = '/numbers/{phone_number_slug}';
        const { status, data } = await http.request({
            method: 'GET',
            template,
            pathParams: { phone_number_slug: numberSlug(e164) },
            query: { workspace },
            accept: [404],
        });
        if (status === 404) return undefined;
        // Flat object: the one Synthflow success body without the envelope.
        return toNumber(data, invalidFor(`GET ${template}`));
    }

    async function postNumber(input: SynthflowNumberImport): Promise<void> {
        const body: SynthflowCustomNumberImport = {
            workspace_id: workspace,
            phone_number: input.e164,
            friendly_name: input.friendlyName,
            provider_name: 'custom',
            termination_uri: input.terminationUri,
            ...(input.trunkUsername ? { trunk_username: input.trunkUsername } : {}),
            ...(input.trunkPassword ? { trunk_pwd: input.trunkPassword } : {}),
        };
        const { data } = await http.request({ method: 'POST', template: '/custom-numbers', body, secrets: [input.trunkPassword] });
        unwrap(data, 'POST /custom-numbers', true);
    }

    return {
        async listNumbers(): Promise<LiveSynthflowNumber[]> {
            const invalid = invalidFor('GET /numbers');
            const items = await collectPages('/numbers', 'phone_numbers', { workspace });
            const numbers = items.map(i => expectString(expectObject(i, 'a number', invalid)['number'], '`number`', invalid));
            // The list has no SIP fields: GET each (bounded by the client's concurrency limit).
            const details = await Promise.all([...new Set(numbers.map(withPlus))].map(n => getNumber(n)));
            return details.filter((d): d is LiveSynthflowNumber => d !== undefined);
        },

        getNumber,

        async importNumber(input: SynthflowNumberImport): Promise<void> {
            http.addSecret(input.trunkPassword);
            await createWithReread(http, {
                create: async () => {
                    await postNumber(input);
                    return true as const;
                },
                reread: async () => ((await getNumber(input.e164)) ? { found: true as const } : 'absent'),
                what: `number ${input.e164}`,
                // Synthflow refuses a second import of the same number: re-sending cannot duplicate it.
                serverRejectsDuplicates: true,
            });
        },

        async updateNumber(e164: string, patch: SynthflowNumberPatch): Promise<void> {
            http.addSecret(patch.trunkPassword);
            const body: SynthflowNumberPatchBody = {
                ...(patch.friendlyName !== undefined ? { friendly_name: patch.friendlyName } : {}),
                ...(patch.terminationUri !== undefined ? { sip_term_uri: patch.terminationUri } : {}),
                ...(patch.trunkUsername !== undefined ? { trunk_username: patch.trunkUsername } : {}),
                ...(patch.trunkPassword !== undefined ? { trunk_pwd: patch.trunkPassword } : {}),
            };
            if (Object.keys(body).length === 0) return;
            // Setting fields to given values: repeating it changes nothing, so it may be retried.
            await http.request({
                method: 'PATCH',
                template: '/numbers/{phone_number_slug}',
                pathParams: { phone_number_slug: numberSlug(e164) },
                body,
                idempotent: true,
                secrets: [patch.trunkPassword],
            });
        },
    };
}
