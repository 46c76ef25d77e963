// Bundles every entry point into self-contained CommonJS files under out/.
// VS Code loads CommonJS extensions; langium is ESM-only, so bundling is what makes it loadable.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** entry name → source; entries whose source does not exist yet are skipped. */
const nodeEntries = {
    cli: 'src/cli/main.ts',
    server: 'src/server/main.ts',
    extension: 'src/extension/main.ts',
    bench: 'bench/main.ts',
    soak: 'scripts/soak.ts',
    demo: 'scripts/demo.ts',
};

const entryPoints = Object.fromEntries(Object.entries(nodeEntries).filter(([, src]) => existsSync(src)));

const options = {
    entryPoints,
    outdir: 'out',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: true,
    minify,
    logLevel: 'warning',
    // import.meta.url is used by ESM sources to find files next to them; give the CJS bundle an equivalent.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log('esbuild: watching…');
} else {
    await esbuild.build(options);
}

// The web bundles (VS Code for the web: extension `browser` entry + language server in a worker).
if (existsSync('scripts/esbuild-browser.mjs')) await import('./scripts/esbuild-browser.mjs');
