/**
 * Start-up structure (issue 11), checked without timing anything: the CLI bundle is split per command
 * (esbuild.mjs; main.ts imports the command being run), so what a command can load is the static-import
 * closure of its chunk in esbuild's metafile (out/cli-meta.json, written by the build). validate must not
 * reach the vendors' clients, the sandbox, plan, apply or axios; --version must not reach the language.
 * Then the real process: a preloaded module hook records every file Node loads, which must stay inside
 * that closure (so the metafile describes what actually runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BUNDLE = path.join(ROOT, 'out/cli.cjs');

interface Metafile {
    readonly outputs: Record<
        string,
        { readonly entryPoint?: string; readonly inputs: Record<string, unknown>; readonly imports: ReadonlyArray<{ readonly path: string; readonly kind: string }> }
    >;
}

let meta: Metafile;
let work: string;

beforeAll(() => {
    meta = JSON.parse(readFileSync(path.join(ROOT, 'out/cli-meta.json'), 'utf8')) as Metafile;
    work = mkdtempSync(path.join(tmpdir(), 'sipflow-lazy-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The output files loaded with `outputs` by static imports alone (what runs before any further import()). */
function staticClosure(outputs: readonly string[]): Set<string> {
    const seen = new Set<string>();
    const pending = [...outputs];
    while (pending.length > 0) {
        const output = pending.pop()!;
        if (seen.has(output)) continue;
        seen.add(output);
        for (const imported of meta.outputs[output]?.imports ?? []) {
            if (imported.kind === 'import-statement' && imported.path in meta.outputs) pending.push(imported.path);
        }
    }
    return seen;
}

const outputFor = (entryPoint: string) => {
    const found = Object.keys(meta.outputs).find(output => meta.outputs[output].entryPoint === entryPoint);
    if (!found) throw new Error(`no output for ${entryPoint} in out/cli-meta.json`);
    return found;
};
const MAIN = 'out/cli/main.mjs';
const sourcesOf = (outputs: Set<string>) => [...outputs].flatMap(output => Object.keys(meta.outputs[output].inputs));

/** Sources validate has no use for: the vendors' API clients, the sandbox, plan, apply, the checklist, pull, axios. */
const NOT_FOR_VALIDATE = /^(src\/(providers|sandbox|plan|apply|checklist|pull|verify|doctor)\/|node_modules\/axios\/)/;
/** The editor's half of the language: langium/lsp, the language server libraries and our LSP providers. */
const NOT_FOR_VALIDATE_LSP = /^(src\/language\/lsp\/|src\/language\/sipflow-module\.ts|node_modules\/(langium\/lib\/lsp|vscode-languageserver(-protocol)?\/lib)\/)/;

describe('what each command loads (esbuild metafile)', () => {
    it('validate reaches the language and libphonenumber, but no vendor client, sandbox, plan, apply or axios', () => {
        const sources = sourcesOf(staticClosure([MAIN, outputFor('src/cli/commands/validate.ts')]));
        expect(sources).toContain('src/language/sipflow-core-module.ts');
        expect(sources.some(source => source.includes('node_modules/libphonenumber-js/'))).toBe(true);
        expect(sources.filter(source => NOT_FOR_VALIDATE.test(source))).toEqual([]);
    });

    it('validate builds the core services: no language server, langium/lsp or LSP protocol (only JSON-RPC cancellation and events)', () => {
        const sources = sourcesOf(staticClosure([MAIN, outputFor('src/cli/commands/validate.ts')]));
        expect(sources.filter(source => NOT_FOR_VALIDATE_LSP.test(source))).toEqual([]);
        // What esbuild.mjs's langium-core-protocol serves instead of the protocol: four files of its vscode-jsonrpc.
        const jsonRpc = sources.filter(source => source.includes('/vscode-jsonrpc/')).map(source => source.replace(/^.*\/vscode-jsonrpc\//, ''));
        expect(jsonRpc.sort()).toEqual(['lib/common/cancellation.js', 'lib/common/events.js', 'lib/common/is.js', 'lib/common/messages.js', 'lib/common/ral.js']);
    });

    it('fmt does reach the language server services (so the pattern above names what is really in the bundle)', () => {
        const sources = sourcesOf(staticClosure([MAIN, outputFor('src/cli/commands/fmt.ts')]));
        expect(sources.filter(source => NOT_FOR_VALIDATE_LSP.test(source)).length).toBeGreaterThan(0);
        expect(sources).toContain('src/language/lsp/sipflow-formatter.ts');
    });

    it('apply does reach them (so the pattern above names what is really in the bundle)', () => {
        const sources = sourcesOf(staticClosure([MAIN, outputFor('src/cli/commands/apply.ts')]));
        expect(sources.filter(source => NOT_FOR_VALIDATE.test(source)).length).toBeGreaterThan(0);
        expect(sources.some(source => source.includes('node_modules/axios/'))).toBe(true);
    });

    it('main (all that --version runs) holds commander and no language, vendor or command code', () => {
        const sources = sourcesOf(staticClosure([MAIN]));
        expect(sources.some(source => source.includes('node_modules/commander/'))).toBe(true);
        expect(sources.filter(source => /^src\/(language|providers|sandbox|cli\/commands)\/|node_modules\/(langium|chevrotain|axios|libphonenumber-js)\//.test(source))).toEqual(
            [],
        );
    });
});

/** Runs the CLI with a module hook that writes every file URL Node loads; returns those in out/cli/. */
function loadedChunks(args: readonly string[]): { status: number | null; chunks: Set<string> } {
    const record = path.join(work, `loaded-${args.join('-').replace(/[^a-z0-9-]/gi, '')}.json`);
    const hook = path.join(work, 'record-loads.cjs');
    writeFileSync(
        hook,
        `const loaded = [];
require('node:module').registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(loaded)));
`,
    );
    const run = spawnSync(process.execPath, ['--require', hook, CLI_BUNDLE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const outDir = pathToFileURL(path.join(ROOT, 'out')).href;
    const urls = JSON.parse(readFileSync(record, 'utf8')) as string[];
    const chunks = new Set(urls.filter(url => url.startsWith(`${outDir}/cli/`)).map(url => path.relative(ROOT, fileURLToPath(url)).split(path.sep).join('/')));
    return { status: run.status, chunks };
}

describe('what the process loads', () => {
    it('validate loads only the chunks of its static closure', () => {
        const { status, chunks } = loadedChunks(['validate', 'examples/acme.sipflow']);
        expect(status).toBe(0);
        const allowed = staticClosure([MAIN, outputFor('src/cli/commands/validate.ts')]);
        expect(chunks.has(outputFor('src/cli/commands/validate.ts'))).toBe(true);
        expect([...chunks].filter(chunk => !allowed.has(chunk))).toEqual([]);
    });

    it("validate loads no child_process or crypto (commander's child_process is lazy: patches/commander+14.0.3.patch), no fs/promises or readline (src/node-fs.ts), and no stream for its report (output.ts)", () => {
        const record = path.join(work, 'builtins.json');
        const hook = path.join(work, 'record-builtins.cjs');
        writeFileSync(
            hook,
            `const before = new Set(process.moduleLoadList);
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.moduleLoadList.filter(m => !before.has(m)))));
`,
        );
        // NO_COLOR, as CI sets it: asking whether stdout is a terminal loads node:tty, and with it net and stream.
        const run = spawnSync(process.execPath, ['--require', hook, CLI_BUNDLE, 'validate', 'examples/acme.sipflow'], {
            cwd: ROOT,
            encoding: 'utf8',
            timeout: 60_000,
            env: { ...process.env, NO_COLOR: '1' },
        });
        expect(run.status, run.stderr).toBe(0);
        const builtins = (JSON.parse(readFileSync(record, 'utf8')) as string[]).filter(m => m.startsWith('NativeModule ')).map(m => m.slice('NativeModule '.length));
        expect(builtins).toContain('module'); // the record is real: bin/sipflow.cjs enables the compile cache with it
        expect(builtins.filter(m => /^(child_process|internal\/child_process|crypto|dgram)$/.test(m))).toEqual([]);
        expect(builtins.filter(m => /^(fs\/promises|internal\/fs\/promises|internal\/readline\/.*|net|stream|tty)$/.test(m))).toEqual([]);
    });

    it('--version loads main and its static imports only: no command', () => {
        const { status, chunks } = loadedChunks(['--version']);
        expect(status).toBe(0);
        const allowed = staticClosure([MAIN]);
        expect(chunks.has(MAIN)).toBe(true);
        expect([...chunks].filter(chunk => !allowed.has(chunk))).toEqual([]);
    });
});
