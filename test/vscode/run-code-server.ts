// Offline launcher for the in-VS Code suite: a real VS Code (code-server, Node extension host) driven
// headless by Debian's Chromium through playwright-core. Nothing is downloaded: run
// scripts/provision-vscode.sh once first (it caches code-server outside the repository).
//
//   node test/vscode/run-code-server.ts [--grep PATTERN] [--vsix FILE] [--screenshot FILE.png] [--keep]
//
// --vsix installs the packaged extension into the throw-away extensions folder (offline, with
// `code-server --install-extension`) and runs the suite against it instead of the source tree.
//
// It starts code-server on a free loopback port with a throw-away HOME/user-data/extensions folder,
// opens the workspace fixture with the extension under development and the suite as
// extensionTestsPath, forwards the extension host's output (the mocha report) to stdout, waits for
// `window.codeAutomationExit(code)`, tears everything down and exits with the suite's code.
//
// Environment: SIPFLOW_CODE_SERVER (path of code-server's out/node/entry.js), SIPFLOW_CHROMIUM
// (default /usr/bin/chromium), SIPFLOW_E2E_TIMEOUT_MS (default 600000), SIPFLOW_E2E_SUITE
// (extensionTestsPath, default out/test/vscode/suite/index.cjs), SIPFLOW_E2E_FIXTURE.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args[grepIndex + 1] : process.env.SIPFLOW_E2E_GREP;
const shotIndex = args.indexOf('--screenshot');
const screenshot = shotIndex >= 0 ? resolve(args[shotIndex + 1] ?? 'e2e.png') : undefined;
const vsixIndex = args.indexOf('--vsix');
const vsix = vsixIndex >= 0 ? resolve(args[vsixIndex + 1] ?? '') : undefined;

const entry = process.env.SIPFLOW_CODE_SERVER
    ?? join(process.env.SIPFLOW_CODE_SERVER_HOME ?? join(homedir(), '.cache/sipflow/code-server'), 'node_modules/code-server/out/node/entry.js');
const chromiumPath = process.env.SIPFLOW_CHROMIUM ?? '/usr/bin/chromium';
const timeoutMs = Number(process.env.SIPFLOW_E2E_TIMEOUT_MS ?? 600_000);
const suite = resolve(repo, process.env.SIPFLOW_E2E_SUITE ?? 'out/test/vscode/suite/index.cjs');
const fixtureSource = resolve(repo, process.env.SIPFLOW_E2E_FIXTURE ?? 'test/vscode/fixture');

function fail(message: string): never {
    console.error(`run-code-server: ${message}`);
    process.exit(1);
}
if (!existsSync(entry)) fail(`code-server not found at ${entry}; run scripts/provision-vscode.sh first`);
if (!existsSync(chromiumPath)) fail(`chromium not found at ${chromiumPath}; run scripts/provision-vscode.sh first`);
if (!existsSync(suite)) fail(`suite ${suite} not built; run npm run test:e2e (it builds first)`);
if (!vsix && !existsSync(join(repo, 'out/extension.cjs'))) fail('out/extension.cjs not built; run npm run bundle');
if (vsix && !existsSync(vsix)) fail(`${vsix} not found; run npm run package`);

const scratch = mkdtempSync(join(tmpdir(), 'sipflow-e2e-'));
const home = join(scratch, 'home');
const userData = join(scratch, 'user-data');
const extensionsDir = join(scratch, 'extensions');
const reportFile = join(scratch, 'report.txt');
for (const d of [home, userData, extensionsDir]) mkdirSync(d, { recursive: true });
// A copy of the fixture workspace: a test that edits or saves a file (Apply saves) never changes the
// repository, and the next run (the .vsix suite after this one) starts from the same files.
const fixture = join(scratch, 'fixture');
cpSync(fixtureSource, fixture, { recursive: true });
writeFileSync(reportFile, '');
// Quiet, deterministic workbench: no welcome page, no trust prompt, no telemetry, no update checks.
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'workbench.enableExperiments': false,
}, null, 2));

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let finished = false;

/** Streams the suite's report file (written by the extension host) to stdout; returns the summary once seen. */
let reportOffset = 0;
let summary: { passed: number; failed: number; pending: number } | undefined;
function pumpReport(): void {
    let text: string;
    try { text = readFileSync(reportFile, 'utf8'); } catch { return; }
    const fresh = text.slice(reportOffset);
    const lastNewline = fresh.lastIndexOf('\n');
    if (lastNewline < 0) return;
    reportOffset += lastNewline + 1;
    for (const line of fresh.slice(0, lastNewline).split('\n')) {
        const m = /^__SIPFLOW_SUMMARY__ (.*)$/.exec(line);
        if (m) summary = JSON.parse(m[1]!);
        else process.stdout.write(`${line}\n`);
    }
}
const pump = setInterval(pumpReport, 200);
pump.unref();

async function cleanup(): Promise<void> {
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null && server.pid) {
        try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
        await new Promise(r => setTimeout(r, 300));
        try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    if (!keep) rmSync(scratch, { recursive: true, force: true });
}

async function finish(code: number, why?: string): Promise<never> {
    if (!finished) {
        finished = true;
        clearInterval(pump);
        pumpReport();
        if (summary) {
            // The plain closing line CI reads; a suite that ran nothing is a failure, not a pass.
            console.log(`e2e: ${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} skipped` : ''}`);
            if (summary.passed + summary.failed === 0 && code === 0) { code = 1; why = 'no test ran'; }
            if (summary.failed > 0 && code === 0) code = 1;
        } else if (code === 0) {
            code = 1; why ??= 'the suite reported no results';
        }
        if (why) console.error(`run-code-server: ${why}`);
        await cleanup();
    }
    process.exit(code);
}
process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));

const verbose = !!process.env.SIPFLOW_E2E_VERBOSE;

function serverEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_DATA_HOME: join(home, '.local/share'),
        EXTENSIONS_GALLERY: '{}',
        SIPFLOW_E2E: '1',
        SIPFLOW_E2E_REPORT: reportFile,
        ...(grep ? { SIPFLOW_E2E_GREP: grep } : {}),
    };
    delete env.VSCODE_IPC_HOOK_CLI;
    return env;
}

/** The folder `--install-extension` unpacked the .vsix into. */
function installedExtensionPath(): string {
    const found = readdirSync(extensionsDir).find(d => d.startsWith('sipflow.sipflow-'));
    if (!found) fail(`the .vsix was not installed into ${extensionsDir}`);
    return join(extensionsDir, found);
}

/** `code-server --install-extension FILE` into the throw-away extensions folder: no network involved. */
function installVsix(file: string): Promise<void> {
    return new Promise((resolveInstall, reject) => {
        const child = spawn(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', file],
            { env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
        child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
        child.on('exit', code => {
            if (code === 0 && /successfully installed/i.test(output)) {
                console.log(`run-code-server: ${output.trim().split('\n').filter(l => /install/i.test(l)).pop()}`);
                resolveInstall();
            } else {
                reject(new Error(`installing ${file} failed (${code}):\n${output}`));
            }
        });
    });
}

/** Starts code-server on 127.0.0.1 with an OS-chosen port and resolves with its URL. */
function startServer(): Promise<string> {
    const env = serverEnv();
    server = spawn(process.execPath, [entry,
        '--auth', 'none',
        '--bind-addr', '127.0.0.1:0',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir', userData,
        '--extensions-dir', extensionsDir,
        '--vscode-option', 'enable-smoke-test-driver',
        fixture,
    ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolvePromise, reject) => {
        let buffered = '';
        const onData = (chunk: Buffer) => {
            const text = chunk.toString();
            if (verbose) process.stderr.write(`[code-server] ${text}`);
            buffered += text;
            const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
            if (m) resolvePromise(m[1]!);
        };
        server!.stdout!.on('data', onData);
        server!.stderr!.on('data', onData);
        server!.on('exit', code => reject(new Error(`code-server exited early (${code}):\n${buffered.slice(-4000)}`)));
        setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${buffered.slice(-4000)}`)), 60_000).unref();
    });
}

const started = Date.now();
const timer = setTimeout(() => void finish(1, `timed out after ${timeoutMs} ms`), timeoutMs);
timer.unref();

try {
    if (vsix) await installVsix(vsix);
    const base = await startServer();
    const authority = new URL(base).host;
    // VS Code runs extension tests only with a development path: for a .vsix it is the installed copy.
    const developmentPath = vsix ? installedExtensionPath() : repo;
    const payload = [
        ['extensionDevelopmentPath', `vscode-remote://${authority}${developmentPath}`],
        ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
    ];
    const url = `${base}/?folder=${encodeURIComponent(fixture)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log(`run-code-server: code-server ${base} (started in ${Date.now() - started} ms), workspace ${fixture}`);

    browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const exitCode = new Promise<number>(resolveExit => {
        void page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
            // The workbench's and the extension host's logs; the mocha report arrives through the report file.
            if (verbose) process.stderr.write(`[workbench:${type}] ${format(...(Array.isArray(args) ? args : [args]))}\n`);
        });
        void page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    page.on('pageerror', e => process.stderr.write(`[page error] ${e.message}\n`));
    await page.goto(url);
    const code = await exitCode;
    if (screenshot) {
        await page.screenshot({ path: screenshot }).catch((e: unknown) => console.error(`run-code-server: no screenshot: ${String(e)}`));
        console.log(`run-code-server: screenshot of the workbench after the suite: ${screenshot}`);
    }
    console.log(`run-code-server: suite finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await finish(code);
} catch (e) {
    await finish(1, e instanceof Error ? (verbose ? e.stack ?? e.message : e.message) : String(e));
}
