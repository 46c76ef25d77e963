import { describe, expect, it } from 'vitest';
import { EXAMPLE, validate } from './helpers.js';

describe('canonical example', () => {
    it('parses, links and validates without any diagnostic', async () => {
        const { document, diagnostics } = await validate(EXAMPLE);
        expect(document.parseResult.lexerErrors).toEqual([]);
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(diagnostics).toEqual([]);
        expect(document.parseResult.value.integration?.name).toBe('acme');
    });
});
