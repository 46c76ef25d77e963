// The web (VS Code for the web) bundles, imported by esbuild.mjs with the same --watch/--minify flags:
//   out/extension-browser.cjs  the extension's `browser` entry (CommonJS, loaded by the web extension host)
//   out/server-browser.js      the language server, run by that entry in a web worker (classic worker script)
// src/model hashes with node:crypto's createHash; the browser bundle gets a small pure-JS sha256 instead.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const common = {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    minify,
    logLevel: 'warning',
    mainFields: ['browser', 'module', 'main'],
    alias: { 'node:crypto': './src/extension/browser-shims/node-crypto.ts' },
    define: { 'process.env.NODE_ENV': '"production"' },
};
const builds = [];
if (existsSync('src/extension/browser.ts')) {
    builds.push({
        ...common,
        entryPoints: { 'extension-browser': 'src/extension/browser.ts' },
        outdir: 'out',
        outExtension: { '.js': '.cjs' },
        format: 'cjs',
        external: ['vscode'],
    });
}
if (existsSync('src/server/browser.ts')) {
    builds.push({ ...common, entryPoints: { 'server-browser': 'src/server/browser.ts' }, outdir: 'out', format: 'iife' });
}
for (const options of builds) {
    if (watch) await (await esbuild.context(options)).watch();
    else await esbuild.build(options);
}
