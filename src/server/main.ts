import { startLanguageServer } from 'langium/lsp';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RegularFileSystem } from '../language/references/regular-file-system.js';
import { createSipflowServices } from '../language/sipflow-module.js';

// The language server over stdio (or IPC, when the VS Code client starts it): `node out/server.cjs --stdio`.
const connection = createConnection(ProposedFeatures.all);
const { shared } = createSipflowServices({ connection, ...RegularFileSystem });
startLanguageServer(shared);
