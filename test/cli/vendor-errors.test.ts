import { describe, expect, it } from 'vitest';
import { describeVendorError } from '../../src/cli/vendor-session.js';
import { ProviderError } from '../../src/providers/types.js';

describe('describeVendorError', () => {
    it('says what a 403 on number import means and what to do', () => {
        const error = new ProviderError('synthflow', 'POST /custom-numbers', 'Synthflow POST /custom-numbers failed: 403 Forbidden', 403, 'failed', 'forbidden');
        expect(describeVendorError(error)).toBe(
            'Synthflow POST /custom-numbers failed: 403 Forbidden — custom SIP number import is not enabled for this workspace: SIP trunking needs Synthflow\'s Enterprise plan; ask Synthflow to enable provider import',
        );
    });

    it('does not blame number import for a 403 elsewhere', () => {
        const error = new ProviderError('synthflow', 'PUT /assistants/{modelId}', 'Synthflow PUT /assistants/{modelId} failed: 403', 403, 'failed', 'forbidden');
        const line = describeVendorError(error);
        expect(line).not.toContain('number import');
        expect(line).toContain('lacks permission');
    });

    it('keeps Dixa\'s 403 about the token', () => {
        const error = new ProviderError('dixa', 'GET /v1/queues', 'Dixa GET /v1/queues failed: 403', 403, 'failed', 'forbidden');
        expect(describeVendorError(error)).toBe('Dixa GET /v1/queues failed: 403 — the DIXA_API_TOKEN token lacks permission');
    });
});
