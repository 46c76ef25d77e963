import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        // The LSP and CLI suites spawn the bundled server/CLI; robustness properties run many parses.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        pool: 'forks',
    },
});
