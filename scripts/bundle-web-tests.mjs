// Bundles the web suite (test/web/suite) for the web extension host: one CommonJS file for the browser,
// with mocha's browser build inside; `vscode` stays external.
import * as esbuild from 'esbuild';

await esbuild.build({
    entryPoints: { index: 'test/web/suite/index.ts' },
    outdir: 'out/test/web/suite',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
});
