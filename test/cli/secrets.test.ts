// Secrets never appear in anything sipflow writes: run every command with known API keys and a trunk
// password (with debug logging on), capture all output, the saved plan, the pulled file and the
// sandbox's request log, and look for the secret values.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContractEnvironment, type ContractEnvironment } from '../support/contract.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8');

const DIXA_TOKEN = 'dixa-token-Q7w9Zr4Kx2';
const SYNTHFLOW_KEY = 'sf-key-M3n8Vb6Lp1';
const TRUNK_USER = 'acme-trunk-user-U5t2';
const TRUNK_PASSWORD = 'trunk-pw-H4s9Jd7Fq3';
const SECRETS = [DIXA_TOKEN, SYNTHFLOW_KEY, TRUNK_PASSWORD];

let contract: ContractEnvironment;
let dir: string;
const captured: string[] = [];

function sipflow(args: readonly string[], env: Record<string, string> = {}): Promise<number | null> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], {
            cwd: dir,
            env: {
                ...process.env,
                NO_COLOR: '1',
                SIPFLOW_DEBUG: '1',
                // through Prism: the requests carrying the secrets are also judged by the vendors' specs
                DIXA_BASE_URL: contract.dixaBaseUrl,
                SYNTHFLOW_BASE_URL: contract.synthflowBaseUrl,
                DIXA_API_TOKEN: DIXA_TOKEN,
                SYNTHFLOW_API_KEY: SYNTHFLOW_KEY,
                DIXA_SIP_USERNAME: TRUNK_USER,
                DIXA_SIP_PASSWORD: TRUNK_PASSWORD,
                ...env,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', chunk => captured.push(String(chunk)));
        child.stderr.on('data', chunk => captured.push(String(chunk)));
        child.on('error', reject);
        child.on('close', resolve);
    });
}

beforeAll(async () => {
    contract = await startContractEnvironment({ sandbox: { port: 0, seed: 'demo', dixaToken: DIXA_TOKEN, synthflowKey: SYNTHFLOW_KEY } });
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-secrets-'));
    writeFileSync(
        path.join(dir, 'acme.sipflow'),
        EXAMPLE.replace('trunk-auth ip', 'trunk-auth credentials {\n      username env:DIXA_SIP_USERNAME\n      password env:DIXA_SIP_PASSWORD\n    }'),
    );
});

afterAll(async () => {
    await contract?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('secrets', () => {
    it('never appear in output, logs, plans, pulled files or the request log', async () => {
        expect(await sipflow(['validate', 'acme.sipflow'])).toBe(0);
        expect(await sipflow(['plan', 'acme.sipflow', '--out', 'saved.plan.json'])).toBe(0);
        expect(await sipflow(['plan', 'acme.sipflow', '--json'])).toBe(0);
        expect(await sipflow(['apply', 'saved.plan.json', '--yes'])).toBe(0);
        expect(await sipflow(['checklist', 'acme.sipflow'])).not.toBeNull();
        expect(await sipflow(['pull', '--from', 'acme.sipflow', '--out', 'pulled.sipflow.txt'])).toBe(0);
        // failures too: a wrong key, and a missing trunk password variable at apply time
        expect(await sipflow(['plan', 'acme.sipflow'], { SYNTHFLOW_API_KEY: `${SYNTHFLOW_KEY}-wrong` })).toBe(1);
        writeFileSync(path.join(dir, 'acme.sipflow'), readFileSync(path.join(dir, 'acme.sipflow'), 'utf8').replace('"+4535555678"', '"+4535555679"'));
        expect(await sipflow(['apply', 'acme.sipflow', '--yes'], { DIXA_SIP_PASSWORD: '' })).toBe(1);

        // the trunk password really was used: the sandbox received it
        const imported = contract.sandbox.state.synthflow.numbers.find(n => n.phone_number === '+4535551234');
        expect(imported?.trunk_username).toBe(TRUNK_USER);
        expect(imported?.trunk_pwd_sha256).toBe(createHash('sha256').update(TRUNK_PASSWORD).digest('hex'));

        const written = readdirSync(dir).map(name => readFileSync(path.join(dir, name), 'utf8'));
        const requestLog = JSON.stringify(contract.sandbox.requests);
        const everything = [...captured, ...written, requestLog].join('\n');
        expect(everything).toContain('debug: ');
        for (const secret of SECRETS) expect(everything).not.toContain(secret);
    });
});
