// Bundles every entry point into self-contained CommonJS files under out/.
// VS Code loads CommonJS extensions; langium is ESM-only, so bundling is what makes it loadable.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { asciiBundles } from './scripts/ascii-bundles.mjs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** entry name → source; entries whose source does not exist yet are skipped. */
const nodeEntries = {
    server: 'src/server/main.ts',
    extension: 'src/extension/main.ts',
    bench: 'bench/main.ts',
    peer: 'bench/peer.ts',
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

/**
 * For the CLI bundle only: Langium's core modules (not langium/lsp) import five names from
 * vscode-languageserver-protocol — CancellationToken(Source), Emitter, ResponseError, LSPErrorCodes — and
 * with them esbuild would load the whole protocol and its JSON-RPC runtime (~230 KB, ~40 ms of start-up)
 * into `sipflow validate`, which has no connection. They are served here from the protocol's own copy of
 * vscode-jsonrpc (the same modules the protocol re-exports, so fmt and pull, which do load langium/lsp,
 * see one CancellationToken). A Langium that imports another name fails the build ("No matching export").
 */
const langiumCoreProtocolSource = jsonRpcCommon => `
import RAL from ${JSON.stringify(path.join(jsonRpcCommon, 'ral.js'))};
export { CancellationToken, CancellationTokenSource } from ${JSON.stringify(path.join(jsonRpcCommon, 'cancellation.js'))};
export { Emitter } from ${JSON.stringify(path.join(jsonRpcCommon, 'events.js'))};
export { ResponseError } from ${JSON.stringify(path.join(jsonRpcCommon, 'messages.js'))};
// The protocol's values (lib/common/api.js), for the two Langium's document builder rejects with.
export const LSPErrorCodes = { RequestFailed: -32803, ServerCancelled: -32802, ContentModified: -32801, RequestCancelled: -32800 };
// Cancellation and Emitter reach JSON-RPC's runtime layer for a timer and console.error; the protocol's node
// entry installs the full one when it loads (and replaces this).
try {
    RAL();
} catch {
    RAL.install({ console, timer: { setTimeout, clearTimeout, setImmediate, clearImmediate, setInterval, clearInterval } });
}
`;
const langiumCoreProtocol = {
    name: 'langium-core-protocol',
    setup(build) {
        // The copy of vscode-jsonrpc the protocol itself loads; its package exports hide lib/common, so by path.
        const fromProtocol = createRequire(path.resolve('node_modules/vscode-languageserver-protocol/package.json'));
        const jsonRpcCommon = path.join(path.dirname(fromProtocol.resolve('vscode-jsonrpc')), '../common');
        build.onResolve({ filter: /^vscode-languageserver-protocol$/ }, args =>
            /[\\/]node_modules[\\/]langium[\\/]lib[\\/]/.test(args.importer) && !/[\\/]lib[\\/]lsp[\\/]/.test(args.importer)
                ? { path: 'langium-core-protocol', namespace: 'sipflow' }
                : undefined,
        );
        build.onLoad({ filter: /^langium-core-protocol$/, namespace: 'sipflow' }, () => ({
            contents: langiumCoreProtocolSource(jsonRpcCommon),
            loader: 'js',
            resolveDir: jsonRpcCommon,
        }));
    },
};

/**
 * The CLI: ESM with code splitting, so that each command loads only its own modules (main.ts imports a
 * command with import() when it runs): `--version` loads no language, `validate` no vendors, sandbox or
 * apply. esbuild splits only ESM output. out/cli.cjs stays the CLI's one entry (bin/sipflow.cjs and the
 * tests run it): a small CommonJS file that imports out/cli/main.mjs.
 */
const cliOptions = {
    ...options,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: 'out/cli',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    // Bundled CommonJS dependencies call require() and read __dirname; ESM has neither, so every chunk gets them.
    // importMetaUrl: sources find files next to the CLI bundle (lsp: ./server.cjs), as they did in out/cli.cjs.
    banner: {
        js: [
            "import { createRequire as __sipflowCreateRequire } from 'node:module';",
            "import { fileURLToPath as __sipflowFileURLToPath } from 'node:url';",
            'const require = __sipflowCreateRequire(import.meta.url);',
            'const __filename = __sipflowFileURLToPath(import.meta.url);',
            "const __dirname = __sipflowFileURLToPath(new URL('.', import.meta.url));",
            "const importMetaUrl = new URL('../cli.cjs', import.meta.url).href;",
        ].join('\n'),
    },
    plugins: [langiumCoreProtocol],
    metafile: true,
};

/** out/cli.cjs: the entry, CommonJS so that `require`-based callers and `node out/cli.cjs` keep working. */
const CLI_LAUNCHER = `// Built by esbuild.mjs: the sipflow CLI is ESM chunks in out/cli/ (code splitting); this file starts it.
import('./cli/main.mjs').catch(error => {
    process.stderr.write(\`sipflow: cannot load the CLI bundle: \${error instanceof Error ? error.message : String(error)}\\n\`);
    process.exitCode = 1;
});
`;

if (existsSync('src/cli/main.ts')) {
    rmSync('out/cli', { recursive: true, force: true });
    mkdirSync('out', { recursive: true });
    writeFileSync('out/cli.cjs', CLI_LAUNCHER);
}

if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    if (existsSync('src/cli/main.ts')) await (await esbuild.context(cliOptions)).watch();
    console.log('esbuild: watching…');
} else {
    await esbuild.build(options);
    if (existsSync('src/cli/main.ts')) {
        const result = await esbuild.build(cliOptions);
        // What each chunk holds, for test/cli/lazy-loading.test.ts (which modules validate can load).
        writeFileSync('out/cli-meta.json', JSON.stringify(result.metafile));
    }
}

// The web bundles (VS Code for the web: extension `browser` entry + language server in a worker).
if (existsSync('scripts/esbuild-browser.mjs')) await import('./scripts/esbuild-browser.mjs');

// Every bundle pure ASCII, so that V8 keeps its source one byte per character (scripts/ascii-bundles.mjs).
if (!watch) for (const directory of ['out', 'out/cli']) if (existsSync(directory)) asciiBundles(directory);
