/**
 * The npm package as a user gets it: `npm pack` in a copy of the repository (its files as a clone has
 * them, no out/, so `prepack` must build the bundles), `npm install` of the tarball into an empty project,
 * then `npx sipflow --version` and `npx sipflow validate` there. The package has no runtime dependencies
 * (the bundles are self-contained), so the install needs no registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/spec-errata.js';

const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; name: string };

/** Bounded: pack builds the bundles (≈20 s alone, more on a loaded machine); install is offline. */
const STEP_TIMEOUT_MS = 240_000;

let work: string;
let tarball: string;
let project: string;

function run(command: string, args: readonly string[], cwd: string) {
    return spawnSync(command, args, {
        cwd,
        encoding: 'utf8',
        timeout: STEP_TIMEOUT_MS,
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
    });
}

/** The files a clone has: tracked plus untracked-but-not-ignored (so uncommitted work is packed too). */
function copyClone(to: string): void {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) {
        if (!existsSync(join(REPO_ROOT, file))) continue; // deleted but not yet staged
        mkdirSync(dirname(join(to, file)), { recursive: true });
        copyFileSync(join(REPO_ROOT, file), join(to, file));
    }
    // The build tools, without copying them.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(to, 'node_modules'), 'dir');
}

beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'sipflow-pack-'));
    const clone = join(work, 'clone');
    mkdirSync(clone);
    copyClone(clone);
    expect(existsSync(join(clone, 'out'))).toBe(false);
    const pack = run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], clone);
    if (pack.status !== 0) throw new Error(`npm pack failed (${pack.status ?? pack.signal}): ${pack.stderr}`);
    // prepack's build output shares stdout with pack's --json, so find the tarball by name instead.
    const tarballs = readdirSync(work).filter(f => f.endsWith('.tgz'));
    expect(tarballs).toEqual([`${packageJson.name}-${packageJson.version}.tgz`]);
    tarball = join(work, tarballs[0]!);

    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-sipflow', version: '1.0.0', private: true }));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--loglevel=error', tarball], project);
    if (install.status !== 0) throw new Error(`npm install of the tarball failed (${install.status ?? install.signal}): ${install.stderr}`);
}, 2 * STEP_TIMEOUT_MS);

afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
    it('holds the CLI, the language server it starts for `sipflow lsp`, and no sources or tests', () => {
        const list = run('tar', ['-tzf', tarball], work);
        const files = list.stdout
            .split('\n')
            .filter(Boolean)
            .map(f => f.replace(/^package\//, ''))
            .sort();
        expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/sipflow.cjs', 'out/cli.cjs', 'out/server.cjs']));
        expect(files.filter(f => /^(src|test|specs|node_modules)\//.test(f) || f.endsWith('.map'))).toEqual([]);
    });

    it('installs with no runtime dependencies (the bundles are self-contained)', () => {
        const installed = readdirSync(join(project, 'node_modules')).filter(name => !name.startsWith('.'));
        expect(installed).toEqual([packageJson.name]);
    });

    it('`npx sipflow --version` prints the version', () => {
        const version = run('npx', ['--no-install', 'sipflow', '--version'], project);
        expect(version.stderr).toBe('');
        expect(version.stdout.trim()).toBe(packageJson.version);
        expect(version.status).toBe(0);
    });

    it('`npx sipflow validate` accepts the example and rejects a broken file in one line', () => {
        copyFileSync(join(REPO_ROOT, 'examples', 'acme.sipflow'), join(project, 'acme.sipflow'));
        const ok = run('npx', ['--no-install', 'sipflow', 'validate', 'acme.sipflow'], project);
        expect(ok.stderr).not.toMatch(/Cannot find module|Error:/);
        expect(ok.status).toBe(0);

        writeFileSync(join(project, 'broken.sipflow'), 'integration {\n');
        const bad = run('npx', ['--no-install', 'sipflow', 'validate', 'broken.sipflow'], project);
        expect(bad.status).not.toBe(0);
        expect(`${bad.stdout}${bad.stderr}`).toMatch(/broken\.sipflow/);
        expect(`${bad.stdout}${bad.stderr}`).not.toMatch(/Cannot find module|\n\s+at /);
    });
});
