import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        // Those suites run inside VS Code (mocha), launched by npm run test:e2e / test:web.
        exclude: ['test/vscode/**', 'test/web/**', 'node_modules/**'],
        // The LSP and CLI suites spawn the bundled server/CLI; robustness properties run many parses.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        pool: 'forks',
    },
});
