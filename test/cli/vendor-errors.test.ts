import { describe, expect, it } from 'vitest';
import { describeVendorError } from '../../src/cli/vendor-session.js';
import { ProviderError } from '../../src/providers/types.js';

describe('describeVendorError', () => {
    it('says what a 403 on number import means and what to do', () => {
        const error = new ProviderError({
            vendor: 'synthflow',
            operation: 'POST /custom-numbers',
            message: 'Synthflow POST /custom-numbers failed: 403 Forbidden',
            status: 403,
            kind: 'forbidden',
        });
        expect(describeVendorError(error)).toBe(
            "Synthflow POST /custom-numbers failed: 403 Forbidden — custom SIP number import is not enabled for this workspace: SIP trunking needs Synthflow's Enterprise plan; ask Synthflow to enable provider import",
        );
    });

    it('does not blame number import for a 403 elsewhere', () => {
        const error = new ProviderError({
            vendor: 'synthflow',
            operation: 'PUT /assistants/{modelId}',
            message: 'Synthflow PUT /assistants/{modelId} failed: 403',
            status: 403,
            kind: 'forbidden',
        });
        const line = describeVendorError(error);
        expect(line).not.toContain('number import');
        expect(line).toContain('lacks permission');
    });

    it("keeps Dixa's 403 about the token", () => {
        const error = new ProviderError({ vendor: 'dixa', operation: 'GET /v1/queues', message: 'Dixa GET /v1/queues failed: 403', status: 403, kind: 'forbidden' });
        expect(describeVendorError(error)).toBe('Dixa GET /v1/queues failed: 403 — the DIXA_API_TOKEN token lacks permission');
    });
});
