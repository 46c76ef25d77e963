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
// The DOM probe channel: the suite runs in the extension host and cannot reach the workbench's DOM,
// so this launcher serves a loopback HTTP endpoint (its URL in SIPFLOW_E2E_DOM, which code-server's
// extension host inherits) that runs suite/dom.ts's requests in the page through playwright.
//
// Environment: SIPFLOW_CODE_SERVER (path of code-server's out/node/entry.js), SIPFLOW_CHROMIUM
// (default /usr/bin/chromium), SIPFLOW_E2E_TIMEOUT_MS (default 1200000), SIPFLOW_E2E_SUITE
// (extensionTestsPath, default out/test/vscode/suite/index.cjs), SIPFLOW_E2E_FIXTURE,
// SIPFLOW_E2E_SCREENSHOTS (the folder dom.screenshot() writes to, default out/e2e-screenshots).
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { DomRequest, DomResponse, DomTarget } from './suite/dom-protocol.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const grepIndex = args.indexOf('--grep');
const grep = grepIndex >= 0 ? args[grepIndex + 1] : process.env.SIPFLOW_E2E_GREP;
const shotIndex = args.indexOf('--screenshot');
const screenshot = shotIndex >= 0 ? resolve(args[shotIndex + 1] ?? 'e2e.png') : undefined;
const vsixIndex = args.indexOf('--vsix');
const vsix = vsixIndex >= 0 ? resolve(args[vsixIndex + 1] ?? '') : undefined;

const entry =
    process.env.SIPFLOW_CODE_SERVER ?? join(process.env.SIPFLOW_CODE_SERVER_HOME ?? join(homedir(), '.cache/sipflow/code-server'), 'node_modules/code-server/out/node/entry.js');
const chromiumPath = process.env.SIPFLOW_CHROMIUM ?? '/usr/bin/chromium';
// 20 min: the whole suite took over 10 min on 2 cores shared with eight other builds.
const timeoutMs = Number(process.env.SIPFLOW_E2E_TIMEOUT_MS ?? 1_200_000);
const suite = resolve(repo, process.env.SIPFLOW_E2E_SUITE ?? 'out/test/vscode/suite/index.cjs');
const fixtureSource = resolve(repo, process.env.SIPFLOW_E2E_FIXTURE ?? 'test/vscode/fixture');
const screenshotsDir = resolve(repo, process.env.SIPFLOW_E2E_SCREENSHOTS ?? 'out/e2e-screenshots');

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
// Quiet, deterministic workbench: no welcome page, no trust prompt, no telemetry, no update checks, no auto-save.
mkdirSync(join(userData, 'User'), { recursive: true });
writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify(
        {
            'workbench.startupEditor': 'none',
            // VS Code for the web (code-server) saves after a 1 s delay by default, desktop VS Code never: a
            // test's edit it then reverts must not reach the fixture's file when the run is slow.
            'files.autoSave': 'off',
            'security.workspace.trust.enabled': false,
            'telemetry.telemetryLevel': 'off',
            'update.mode': 'none',
            'extensions.autoUpdate': false,
            'extensions.autoCheckUpdates': false,
            'workbench.enableExperiments': false,
        },
        null,
        2,
    ),
);

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let domServer: Server | undefined;
let finished = false;

/** Streams the suite's report file (written by the extension host) to stdout; returns the summary once seen. */
let reportOffset = 0;
let summary: { passed: number; failed: number; pending: number } | undefined;
function pumpReport(): void {
    let text: string;
    try {
        text = readFileSync(reportFile, 'utf8');
    } catch {
        return;
    }
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
    domServer?.closeAllConnections();
    domServer?.close();
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null && server.pid) {
        try {
            process.kill(-server.pid, 'SIGTERM');
        } catch {
            /* already gone */
        }
        await new Promise(r => setTimeout(r, 300));
        try {
            process.kill(-server.pid, 'SIGKILL');
        } catch {
            /* already gone */
        }
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
            if (summary.passed + summary.failed === 0 && code === 0) {
                code = 1;
                why = 'no test ran';
            }
            if (summary.failed > 0 && code === 0) code = 1;
        } else if (code === 0) {
            code = 1;
            why ??= 'the suite reported no results';
        }
        if (why) console.error(`run-code-server: ${why}`);
        await cleanup();
    }
    process.exit(code);
}
process.on('SIGINT', () => void finish(130, 'interrupted'));
process.on('SIGTERM', () => void finish(143, 'terminated'));

const verbose = !!process.env.SIPFLOW_E2E_VERBOSE;

// ─── The DOM probe channel ───────────────────────────────────────────────────────────────────────

/**
 * While extension tests run, VS Code refuses modal dialogs (DialogService.skipDialogs: `prompt` throws,
 * so a modal showWarningMessage rejects) and, under the smoke-test driver, never shows notification
 * toasts (NotificationsToasts.addToast). To test the apply modal and the progress notification's Cancel,
 * the launcher patches the workbench bundle as it is served so both consult `globalThis.__sipflowShowUi`,
 * which dom.showWorkbenchUi() sets. Minified text of code-server 4.139.1; a patch that no longer finds
 * its text makes showWorkbenchUi fail (not silently test the hidden UI).
 */
const WORKBENCH_PATCHES = [
    {
        what: 'modal dialogs (DialogService.skipDialogs)',
        find: 'this.environmentService.isExtensionDevelopment&&!!this.environmentService.extensionTestsLocationURI}async confirm',
        replace: '!globalThis.__sipflowShowUi&&this.environmentService.isExtensionDevelopment&&!!this.environmentService.extensionTestsLocationURI}async confirm',
    },
    {
        what: 'notification toasts (NotificationsToasts.addToast)',
        find: '!this.environmentService.enableSmokeTestDriver&&e.priority!==2',
        replace: '(!this.environmentService.enableSmokeTestDriver||globalThis.__sipflowShowUi)&&e.priority!==2',
    },
] as const;
/** The patches that found nothing to patch (undefined until the bundle was served). */
let unpatched: string[] | undefined;

async function patchWorkbench(page: Page): Promise<void> {
    await page.route('**/out/vs/code/browser/workbench/workbench.js', async route => {
        const response = await route.fetch();
        let body = await response.text();
        unpatched = [];
        for (const patch of WORKBENCH_PATCHES) {
            if (!body.includes(patch.find)) unpatched.push(patch.what);
            body = body.split(patch.find).join(patch.replace);
        }
        await route.fulfill({ response, body });
    });
}

let resolvePage: (page: Page) => void = () => undefined;
const pageReady = new Promise<Page>(r => {
    resolvePage = r;
});

function locate(page: Page, target: DomTarget) {
    if (typeof target === 'string') return page.locator(target).filter({ visible: true }).first();
    const scope = target.within ? page.locator(target.within).filter({ visible: true }).first() : page;
    return scope
        .getByRole(target.role, { name: target.name, exact: target.exact ?? true })
        .filter({ visible: true })
        .first();
}

/** `(fn)(arg)` as one expression: evaluated through the debugger protocol, so the workbench's CSP (no eval) does not apply. */
function callExpression(fnSource: string, arg: unknown): string {
    return `(${fnSource})(${arg === undefined ? '' : JSON.stringify(arg)})`;
}

/** The webview frames (VS Code nests the content in an inner frame) whose title or text contains `filter`. */
async function webviewFrames(page: Page, filter: string): Promise<Frame[]> {
    const found: Frame[] = [];
    for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const seen = (await frame.evaluate('({ title: document.title, text: document.body ? document.body.innerText : "" })').catch(() => undefined)) as
            { title: string; text: string } | undefined;
        if (seen && (seen.title.includes(filter) || seen.text.includes(filter))) found.push(frame);
    }
    return found;
}

async function runDomRequest(request: DomRequest): Promise<unknown> {
    const page = await pageReady;
    switch (request.op) {
        case 'count': {
            let located = page.locator(request.selector).filter({ visible: true });
            if (request.hasText !== undefined) located = located.filter({ hasText: request.hasText });
            return located.count();
        }
        case 'texts': {
            let located = page.locator(request.selector).filter({ visible: true });
            if (request.hasText !== undefined) located = located.filter({ hasText: request.hasText });
            return located.allInnerTexts();
        }
        case 'click':
            await locate(page, request.target).click({ timeout: request.timeoutMs ?? 10_000 });
            return true;
        case 'evaluate':
            return page.evaluate(callExpression(request.fnSource, request.arg));
        case 'inWebview': {
            const frames = await webviewFrames(page, request.filter);
            // VS Code's outer host frame holds no content text; the last match is the innermost (the content).
            const frame = frames.at(-1);
            if (!frame) throw new Error(`no webview frame whose title or text contains "${request.filter}" (${page.frames().length - 1} frames open)`);
            return frame.evaluate(callExpression(request.fnSource, request.arg));
        }
        case 'showUi':
            if (unpatched === undefined) throw new Error('the workbench bundle was not served through the launcher');
            if (unpatched.length > 0) throw new Error(`cannot show ${unpatched.join(' and ')}: this code-server's workbench.js no longer has the text the launcher patches`);
            await page.evaluate(`globalThis.__sipflowShowUi = ${request.enabled === true}`);
            return true;
        case 'screenshot': {
            const file = join(screenshotsDir, `${request.name.replace(/[^\w.-]+/g, '-')}.png`);
            mkdirSync(screenshotsDir, { recursive: true });
            await page.screenshot({ path: file });
            return file;
        }
        default:
            throw new Error(`unknown DOM request ${JSON.stringify(request)}`);
    }
}

/** Serves DomRequests on a loopback port and resolves with the URL the suite posts to. */
function startDomServer(): Promise<string> {
    domServer = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
            const reply = (body: DomResponse) => {
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify(body ?? null));
            };
            let request: DomRequest;
            try {
                request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DomRequest;
            } catch {
                reply({ ok: false, error: 'the DOM request is not JSON' });
                return;
            }
            runDomRequest(request).then(
                value => reply({ ok: true, value: value ?? null }),
                (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message.split('\n').slice(0, 4).join(' | ') : String(e) }),
            );
        });
    });
    return new Promise((resolveUrl, reject) => {
        domServer!.once('error', reject);
        domServer!.listen(0, '127.0.0.1', () => resolveUrl(`http://127.0.0.1:${(domServer!.address() as AddressInfo).port}/`));
    });
}

let domUrl = '';

function serverEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_DATA_HOME: join(home, '.local/share'),
        EXTENSIONS_GALLERY: '{}',
        SIPFLOW_E2E: '1',
        SIPFLOW_E2E_REPORT: reportFile,
        ...(domUrl ? { SIPFLOW_E2E_DOM: domUrl } : {}),
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
        const child = spawn(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', file], {
            env: serverEnv(),
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout!.on('data', (c: Buffer) => {
            output += c.toString();
        });
        child.stderr!.on('data', (c: Buffer) => {
            output += c.toString();
        });
        child.on('exit', code => {
            if (code === 0 && /successfully installed/i.test(output)) {
                console.log(
                    `run-code-server: ${output
                        .trim()
                        .split('\n')
                        .filter(l => /install/i.test(l))
                        .pop()}`,
                );
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
    server = spawn(
        process.execPath,
        [
            entry,
            '--auth',
            'none',
            '--bind-addr',
            '127.0.0.1:0',
            '--disable-telemetry',
            '--disable-update-check',
            '--disable-workspace-trust',
            '--disable-getting-started-override',
            '--user-data-dir',
            userData,
            '--extensions-dir',
            extensionsDir,
            '--vscode-option',
            'enable-smoke-test-driver',
            fixture,
        ],
        { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
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
    domUrl = await startDomServer();
    console.log(`run-code-server: DOM probe channel ${domUrl}, screenshots in ${screenshotsDir}`);
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
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-dev-shm-usage',
        ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await patchWorkbench(page);
    resolvePage(page);
    const exitCode = new Promise<number>(resolveExit => {
        void page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
            // The workbench's and the extension host's logs; the mocha report arrives through the report file.
            if (verbose) process.stderr.write(`[workbench:${type}] ${format(...(Array.isArray(args) ? args : [args]))}\n`);
        });
        void page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    page.on('pageerror', e => process.stderr.write(`[page error] ${e.message}\n`));
    // Under load the workbench can take longer than playwright's 30 s to fire "load"; the suite's exit (or the overall timeout) is what we wait for.
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    const code = await exitCode;
    if (screenshot) {
        await page.screenshot({ path: screenshot }).catch((e: unknown) => console.error(`run-code-server: no screenshot: ${String(e)}`));
        console.log(`run-code-server: screenshot of the workbench after the suite: ${screenshot}`);
    }
    console.log(`run-code-server: suite finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await finish(code);
} catch (e) {
    await finish(1, e instanceof Error ? (verbose ? (e.stack ?? e.message) : e.message) : String(e));
}
