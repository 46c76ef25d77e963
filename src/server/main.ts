import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createSipflowServices } from '../language/sipflow-module.js';

// The language server over stdio (or IPC, when the VS Code client starts it): `node out/server.cjs --stdio`.
const connection = createConnection(ProposedFeatures.all);
const { shared } = createSipflowServices({ connection, ...NodeFileSystem });
startLanguageServer(shared);
