// Terraform's exit contract, end to end on the bundled CLI (out/cli.cjs, built by `npm test`): 0 ok, 1 any
// error (usage errors included), 2 only for changes under `plan --detailed-exitcode`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

let dir: string;
/** A loopback port nobody listens on: connections to it are refused at once. */
let closedPort: number;

beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first.');
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-exit-codes-'));
    writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
    writeFileSync(path.join(dir, 'broken.sipflow'), EXAMPLE.replace('integration acme', 'integration broken').replace('did "+4570102222"', 'did "12"'));
    const server = createServer();
    closedPort = await new Promise<number>(resolve => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    await new Promise(resolve => server.close(resolve));
});

afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
});

function sipflow(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
            ...process.env,
            NO_COLOR: '1',
            SIPFLOW_DEBUG: undefined,
            DIXA_API_TOKEN: undefined,
            SYNTHFLOW_API_KEY: undefined,
            DIXA_BASE_URL: undefined,
            SYNTHFLOW_BASE_URL: undefined,
            ...env,
        },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('exit codes: 0 ok, 1 any error, 2 only for plan --detailed-exitcode with changes', () => {
    const unreachable = () => ({
        DIXA_API_TOKEN: 'dixa-token-for-the-test',
        SYNTHFLOW_API_KEY: 'synthflow-key-for-the-test',
        DIXA_BASE_URL: `http://127.0.0.1:${closedPort}`,
        SYNTHFLOW_BASE_URL: `http://127.0.0.1:${closedPort}`,
    });
    const table: Array<[string, () => { args: string[]; env?: NodeJS.ProcessEnv }, number, RegExp]> = [
        [
            'usage error: unknown option, with --detailed-exitcode',
            () => ({ args: ['plan', 'acme.sipflow', '--detailed-exitcode', '--sandbx'] }),
            1,
            /^sipflow: unknown option '--sandbx'/,
        ],
        [
            'usage error: a misspelt file, with --detailed-exitcode',
            () => ({ args: ['plan', 'acme.sipfow', '--detailed-exitcode', '--sandbox'] }),
            1,
            /^sipflow: acme\.sipfow: not a \.sipflow file$/,
        ],
        ['usage error: unknown command', () => ({ args: ['plam'] }), 1, /^sipflow: unknown command 'plam'/],
        ['usage error: validate, a missing path', () => ({ args: ['validate', 'nowhere'] }), 1, /^sipflow: nowhere: no such file or directory$/],
        [
            'file error: plan refuses a file with errors',
            () => ({ args: ['plan', 'broken.sipflow', '--detailed-exitcode', '--sandbox'] }),
            1,
            /^sipflow: broken\.sipflow: 1 error .*to fix first/m,
        ],
        ['file error: validate', () => ({ args: ['validate', 'broken.sipflow'] }), 1, /^$/],
        ['vendor error: no credentials', () => ({ args: ['plan', 'acme.sipflow', '--detailed-exitcode'] }), 1, /^sipflow: DIXA_API_TOKEN and SYNTHFLOW_API_KEY are not set/],
        [
            'vendor error: unreachable',
            () => ({ args: ['plan', 'acme.sipflow', '--detailed-exitcode', '--request-timeout', '2'], env: unreachable() }),
            1,
            /^sipflow: .*(Dixa|Synthflow).*reachable\?$/m,
        ],
        ['changes without --detailed-exitcode', () => ({ args: ['plan', 'acme.sipflow', '--sandbox'] }), 0, /^$/],
        ['changes with --detailed-exitcode', () => ({ args: ['plan', 'acme.sipflow', '--sandbox', '--detailed-exitcode'] }), 2, /^$/],
        ['help', () => ({ args: ['--help'] }), 0, /^$/],
        ['version', () => ({ args: ['--version'] }), 0, /^$/],
    ];
    it.each(table)('%s', (_name, invocation, code, stderr) => {
        const { args, env } = invocation();
        const result = sipflow(args, env);
        expect(result.status, result.stderr).toBe(code);
        expect(result.stderr.trimEnd()).toMatch(stderr);
        expect(result.stderr).not.toMatch(/^\s+at /m);
    });

    it('no changes, with and without --detailed-exitcode: 0', () => {
        const state = ['--sandbox', '--sandbox-state', 'state.json'];
        expect(sipflow(['apply', 'acme.sipflow', '--yes', ...state]).status).toBe(0);
        const detailed = sipflow(['plan', 'acme.sipflow', '--detailed-exitcode', ...state]);
        expect(detailed.stdout).toContain('No changes');
        expect(detailed.status).toBe(0);
        expect(sipflow(['plan', 'acme.sipflow', ...state]).status).toBe(0);
    });
});
