import { EmptyFileSystem } from 'langium';
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { createSipflowServices } from '../language/sipflow-module.js';
import { startSipflowLanguageServerHandlers } from '../language/lsp/sipflow-language-server.js';

// The language server in a web worker (VS Code for the web): the same services as the Node server, over
// postMessage, with no file system — the client sends every open document, so diagnostics, completion
// and hover work as on the desktop for the files you open.
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
const { shared } = createSipflowServices({ connection, ...EmptyFileSystem });
startSipflowLanguageServerHandlers(shared);
