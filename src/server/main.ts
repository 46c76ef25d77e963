import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { RegularFileSystem } from '../language/references/regular-file-system.js';
import { createSipflowServices } from '../language/sipflow-module.js';
import { startSipflowLanguageServerHandlers } from '../language/lsp/sipflow-language-server.js';

/**
 * Serves the language over `connection` (by default the transport named on the command line: `--stdio`,
 * `--node-ipc`, `--socket=N`) until the client sends `exit` or closes the connection. Only regular files
 * are read (a FIFO named *.sipflow must not hang the server).
 */
export function startSipflowLanguageServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
    const { shared } = createSipflowServices({ connection, ...RegularFileSystem });
    startSipflowLanguageServerHandlers(shared);
}

/** Serves the language over a pair of streams (`sipflow lsp`: stdin and stdout). */
export function startSipflowLanguageServerOnStreams(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
    startSipflowLanguageServer(createConnection(ProposedFeatures.all, input, output));
}

// Run directly — `node out/server.cjs --stdio`, or forked over IPC by the VS Code client — it starts at once.
// `sipflow lsp` loads this bundle and starts it itself.
if (require.main === module) startSipflowLanguageServer();
