// Bundles the in-VS Code mocha suite (test/vscode/suite) to CommonJS under out/test/vscode/suite/
// for the extension host. `vscode` and `mocha` stay external (the host provides `vscode`; mocha
// is loaded from node_modules at run time, it loads the test files itself).
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';

const dir = 'test/vscode/suite';
const entryPoints = readdirSync(dir)
    .filter(f => f.endsWith('.ts'))
    .map(f => `${dir}/${f}`);
await esbuild.build({
    entryPoints,
    outdir: 'out/test/vscode/suite',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
