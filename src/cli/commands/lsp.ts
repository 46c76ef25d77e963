import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { startSipflowLanguageServerOnStreams } from '../../server/main.js';
import { CommandError } from '../vendor-session.js';

/** What the language server bundle (`out/server.cjs`, built from src/server/main.ts) exports. */
interface ServerBundle {
    readonly startSipflowLanguageServerOnStreams: typeof startSipflowLanguageServerOnStreams;
}

/** The server bundle next to the CLI bundle; both are in out/. */
const SERVER_BUNDLE = new URL('./server.cjs', import.meta.url);

/**
 * `sipflow lsp [--stdio]`: the language server for editors other than VS Code (Neovim, Helix, Emacs…), speaking
 * LSP over stdin and stdout. The server bundle is loaded only here, so other commands do not pay for it.
 */
export function registerLspCommand(program: Command): void {
    program
        .command('lsp')
        .description('run the language server over stdin/stdout, for editors other than VS Code (see "Other editors" in the README)')
        .option('--stdio', 'talk LSP over stdin and stdout (the default; accepted because many editors pass it)')
        .action(() => lspCommand());
}

function lspCommand(): void {
    const bundlePath = fileURLToPath(SERVER_BUNDLE);
    if (!existsSync(bundlePath)) throw new CommandError(`the language server is not built (${bundlePath} is missing): run "npm run build"`);
    const server = createRequire(SERVER_BUNDLE)(bundlePath) as ServerBundle;
    // Standard output carries the protocol; a person who started this by hand is told on standard error.
    if (process.stdin.isTTY) process.stderr.write('sipflow lsp: speaking the Language Server Protocol on stdin/stdout; start it from your editor (Ctrl+C to stop)\n');
    server.startSipflowLanguageServerOnStreams(process.stdin, process.stdout);
}
