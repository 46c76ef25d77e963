// One language-server process over stdio, answered as a minimal client answers: the start-up the LSP
// suites share (test/lsp/stdio, editors, integration-scope). Each suite adds its own notifications.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import {
    ConfigurationRequest,
    RegistrationRequest,
    WorkDoneProgressCreateRequest,
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter,
    type ProtocolConnection,
    type Registration,
} from 'vscode-languageserver-protocol/node';

export interface LspProcess {
    readonly process: ChildProcessWithoutNullStreams;
    readonly connection: ProtocolConnection;
    /** Resolves with the exit code when the process ends. */
    readonly exited: Promise<number | null>;
    /** Everything the server wrote to stderr so far. */
    stderr(): string;
    /** The methods of the requests the server sent to the client, in order. */
    readonly serverRequests: string[];
    /** The capabilities the server registered dynamically. */
    readonly registrations: Registration[];
}

/**
 * Spawns `node <script> ...args` in `cwd` and connects to it. The server may ask for configuration (answered
 * with nulls), register capabilities or create progress; the connection is listening when this returns, so
 * register notification handlers with `beforeListen`, which runs before the first message can arrive.
 */
export function startLspProcess(script: string, args: readonly string[], cwd: string, beforeListen?: (connection: ProtocolConnection) => void): LspProcess {
    const child = spawn(process.execPath, [script, ...args], { cwd, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', chunk => {
        stderr += String(chunk);
    });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const serverRequests: string[] = [];
    const registrations: Registration[] = [];
    connection.onRequest(ConfigurationRequest.type, params => {
        serverRequests.push(ConfigurationRequest.method);
        return params.items.map(() => null);
    });
    connection.onRequest(RegistrationRequest.type, params => {
        serverRequests.push(RegistrationRequest.method);
        registrations.push(...params.registrations);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => {
        serverRequests.push(WorkDoneProgressCreateRequest.method);
    });
    beforeListen?.(connection);
    connection.listen();
    return { process: child, connection, exited, stderr: () => stderr, serverRequests, registrations };
}
