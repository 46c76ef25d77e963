// The bundled CLI, spawned as a user runs it: `node bin/sipflow.cjs …` with the given folder and
// environment variables (colour off), collecting stdout, stderr and the exit code.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_BIN = path.join(REPOSITORY_ROOT, 'bin/sipflow.cjs');

export interface CliRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

export interface CliOptions {
    readonly cwd?: string;
    /** Added to (and overriding) process.env; NO_COLOR is always set. */
    readonly env?: NodeJS.ProcessEnv;
    readonly timeoutMs?: number;
}

export function runSipflow(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd ?? REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
        child.stdout.on('data', chunk => (stdout += chunk));
        child.stderr.on('data', chunk => (stderr += chunk));
        child.on('error', error => {
            clearTimeout(timer);
            reject(error);
        });
        child.on('close', code => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

/** The variables that point the CLI at a sandbox (its URLs and keys), as a user's CI would set them. */
export function sandboxVariables(sandbox: { dixaBaseUrl: string; dixaToken: string; synthflowBaseUrl: string; synthflowKey: string }): NodeJS.ProcessEnv {
    return {
        DIXA_BASE_URL: sandbox.dixaBaseUrl,
        DIXA_API_TOKEN: sandbox.dixaToken,
        SYNTHFLOW_BASE_URL: sandbox.synthflowBaseUrl,
        SYNTHFLOW_API_KEY: sandbox.synthflowKey,
    };
}
