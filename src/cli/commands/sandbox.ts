import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { ExitCode, UsageError } from '../cli-support.js';
import { FaultSpecError, parseFaultSpec, startSandbox, type RequestLogEntry, type Sandbox, type SeedName } from '../../sandbox/index.js';

export const DEFAULT_SANDBOX_PORT = 4780;

export interface SandboxCommandOptions {
    readonly port: number;
    readonly state?: string;
    readonly latency: number;
    readonly faults?: string;
    readonly seed: SeedName;
    readonly verbose?: boolean;
    /** The Dixa steps with no API, as the call simulation sees them (src/sandbox/calls.ts). */
    readonly dixaManual?: 'done' | 'none';
    /** The Dixa organization's subdomain (GET /organization), for trying the account guard. */
    readonly dixaOrganization?: string;
}

/** What the command talks to; tests pass their own streams and a stop signal instead of SIGINT/SIGTERM. */
export interface SandboxCommandIo {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: { write(text: string): unknown };
    /** Resolves when the sandbox should stop. Default: the first SIGINT or SIGTERM. */
    readonly untilStopped?: (sandbox: Sandbox) => Promise<void>;
    /** Called once the sandbox is listening (tests use it to find the port). */
    readonly onListening?: (sandbox: Sandbox) => void;
}

/**
 * `sipflow sandbox [--port N] [--state FILE] [--latency MS] [--faults SPEC] [--seed demo|empty] [--dixa-manual done|none]`:
 * runs the local Dixa + Synthflow stand-in until SIGINT/SIGTERM. The first stdout line is an `export …`
 * line of base URLs and keys, ready for `eval`.
 */
export function registerSandboxCommand(program: Command, io?: SandboxCommandIo): void {
    program
        .command('sandbox')
        .description('run a local, stateful stand-in for the Dixa and Synthflow APIs until Ctrl+C')
        .addOption(new Option('-p, --port <port>', 'port on 127.0.0.1 (0 picks a free one)').default(DEFAULT_SANDBOX_PORT).argParser(portArg))
        .addOption(new Option('--state <file>', 'load the state from this JSON file and save every change to it'))
        .addOption(new Option('--latency <ms>', 'added latency per API request, in milliseconds').default(0).argParser(latencyArg))
        .addOption(new Option('--faults <spec>', 'inject faults, e.g. "synthflow:POST:/custom-numbers=lost*1,dixa:*:*=429*2" (see src/sandbox/README.md)').argParser(faultsArg))
        .addOption(new Option('--seed <seed>', 'initial data when there is no state file').choices(['demo', 'empty']).default('demo'))
        .addOption(
            new Option('--dixa-manual <state>', 'the Dixa steps that have no API (allowlist, transfer steps, queue routing): done as examples/acme.sipflow needs, or none').choices(
                ['done', 'none'],
            ),
        )
        .addOption(new Option('--dixa-organization <subdomain>', "the Dixa organization's subdomain GET /organization answers (default: acme, as examples/acme.sipflow expects)"))
        .addOption(new Option('-v, --verbose', 'print every request (method, path, status)'))
        .action(async (options: SandboxCommandOptions) => {
            process.exitCode = await sandboxCommand(options, io ?? { stdout: process.stdout, stderr: process.stderr });
        });
}

export async function sandboxCommand(options: SandboxCommandOptions, io: SandboxCommandIo): Promise<ExitCode> {
    let sandbox: Sandbox;
    try {
        sandbox = await startSandbox({
            port: options.port,
            latencyMs: options.latency,
            seed: options.seed,
            ...(options.state !== undefined ? { statePath: resolve(options.state) } : {}),
            ...(options.faults !== undefined ? { faults: options.faults } : {}),
            ...(options.dixaManual !== undefined ? { dixaManual: options.dixaManual } : {}),
            ...(options.dixaOrganization !== undefined ? { dixaOrganization: options.dixaOrganization } : {}),
            ...(options.verbose ? { onRequest: (entry: RequestLogEntry) => io.stderr.write(`${formatRequest(entry)}\n`) } : {}),
        });
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is already in use (try --port 0)`);
        throw new UsageError(message);
    }
    io.stdout.write(
        `export DIXA_BASE_URL=${sandbox.dixaBaseUrl} DIXA_API_TOKEN=${sandbox.dixaToken} SYNTHFLOW_BASE_URL=${sandbox.synthflowBaseUrl} SYNTHFLOW_API_KEY=${sandbox.synthflowKey}\n`,
    );
    io.stderr.write(
        [
            `sipflow sandbox listening on ${sandbox.url}`,
            `  Dixa       ${sandbox.dixaBaseUrl}   (Authorization: ${sandbox.dixaToken})`,
            `  Synthflow  ${sandbox.synthflowBaseUrl}   (Authorization: Bearer ${sandbox.synthflowKey})`,
            `  admin      ${sandbox.adminUrl}/state | /requests | /faults | /reset`,
            `  state      ${options.state !== undefined ? resolve(options.state) : `in memory, seed ${options.seed}`}`,
            ...(options.faults ? [`  faults     ${options.faults}`] : []),
            ...(options.dixaManual ? [`  Dixa (no API) ${options.dixaManual === 'done' ? 'allowlist, transfer steps and queue routing done' : 'no manual step done'}`] : []),
            ...(options.dixaOrganization ? [`  Dixa organization subdomain ${options.dixaOrganization}`] : []),
            ...(options.latency > 0 ? [`  latency    ${options.latency} ms per request`] : []),
            'Press Ctrl+C to stop.',
            '',
        ].join('\n'),
    );
    io.onListening?.(sandbox);
    await (io.untilStopped ?? untilSignal)(sandbox);
    await sandbox.close();
    io.stderr.write('sipflow sandbox stopped\n');
    return ExitCode.Ok;
}

function untilSignal(): Promise<void> {
    return new Promise(resolvePromise => {
        const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolvePromise();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
    });
}

function formatRequest(e: RequestLogEntry): string {
    const status = e.status === null ? 'no response' : String(e.status);
    return `${e.method} ${e.path}${e.query ? `?${e.query}` : ''} → ${status}${e.fault ? ` [fault ${e.fault}]` : ''} (${e.durationMs} ms)`;
}

function portArg(value: string): number {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be an integer between 0 and 65535, got "${value}"`);
    return port;
}

function latencyArg(value: string): number {
    const ms = Number(value);
    if (!/^\d+$/.test(value) || ms > 600_000) throw new UsageError(`--latency must be a whole number of milliseconds, got "${value}"`);
    return ms;
}

function faultsArg(value: string): string {
    try {
        parseFaultSpec(value);
    } catch (error) {
        if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`);
        throw error;
    }
    return value;
}
