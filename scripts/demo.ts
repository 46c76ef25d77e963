/**
 * `npm start`: the whole story on one in-process sandbox, with the sipflow CLI run as a user runs it.
 *
 *   1. `sipflow apply examples/acme.sipflow --yes --checklist`: the plan, the result, the manual checklist;
 *   2. the Dixa steps that have no API, done as that checklist says (the sandbox's `--dixa-manual done`:
 *      allowlist, both flows' transfer steps, queue routing), as a user would do them by hand;
 *   3. `sipflow verify examples/acme.sipflow --call --yes`: a test call per department from the demo
 *      seed's only outbound agent, ending with the summary table.
 *
 * Exit code: apply's when it fails, else verify's (1 when a call fails). Extra arguments go to apply.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { demoDixaManual } from '../src/sandbox/seed.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = 'examples/acme.sipflow';

function sipflow(sandbox: Sandbox, args: readonly string[]): Promise<number> {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        DIXA_BASE_URL: sandbox.dixaBaseUrl,
        DIXA_API_TOKEN: sandbox.dixaToken,
        SYNTHFLOW_BASE_URL: sandbox.synthflowBaseUrl,
        SYNTHFLOW_API_KEY: sandbox.synthflowKey,
    };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/sipflow.cjs', ...args], { cwd: ROOT, env, stdio: 'inherit' });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
}

async function main(extraApplyArgs: readonly string[]): Promise<number> {
    // The sandbox starts with no manual Dixa step done, as a real account would be.
    const sandbox = await startSandbox({ port: 0, seed: 'demo', dixaManual: 'none' });
    try {
        process.stdout.write(`sipflow demo: ${EXAMPLE} against a sandbox at ${sandbox.url} (a local stand-in for Dixa and Synthflow; nothing leaves this machine).\n\n`);
        const applied = await sipflow(sandbox, ['apply', EXAMPLE, '--yes', '--checklist', ...extraApplyArgs]);
        if (applied !== 0) return applied;

        // What a user does next by hand in Dixa's admin: the sandbox's `--dixa-manual done`.
        sandbox.replaceState({ ...sandbox.state, dixaManual: demoDixaManual() });
        process.stdout.write(
            '\nThe Dixa steps with no API are now done in the sandbox, as the checklist above says (sipflow sandbox --dixa-manual done):\n' +
                "the allowlist, each flow's transfer step, and the queue routing. A test call per department proves the path:\n\n",
        );
        return await sipflow(sandbox, ['verify', EXAMPLE, '--call', '--yes']);
    } finally {
        await sandbox.close();
    }
}

main(process.argv.slice(2)).then(
    code => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`sipflow demo: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    },
);
