// Launcher for the same in-VS Code suite on machines that can download VS Code desktop (Electron):
//
//   node test/vscode/run-electron.ts          (VSCODE_VERSION=stable|insiders|1.95.0 to pick one)
//
// Machines without that download (this project's CI) use test/vscode/run-code-server.ts instead.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const userData = mkdtempSync(join(tmpdir(), 'sipflow-electron-'));
// A copy of the fixture workspace, so that a test that edits or saves a file never changes the repository.
const workspace = mkdtempSync(join(tmpdir(), 'sipflow-electron-fixture-'));
cpSync(join(repo, 'test/vscode/fixture'), workspace, { recursive: true });

try {
    await runTests({
        version: process.env.VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: repo,
        extensionTestsPath: join(repo, 'out/test/vscode/suite/index.cjs'),
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${userData}`],
        extensionTestsEnv: { SIPFLOW_E2E: '1' },
    });
} catch (e) {
    console.error(`run-electron: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
}
