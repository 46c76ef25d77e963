#!/usr/bin/env node
// The `sipflow` command: the bundled CLI (built by `npm run build`).
// Node's compile cache (Node ≥ 22.1) keeps V8's compiled code of the bundles on disk, so that later runs skip
// compiling them; older Node has no enableCompileCache, and out/cli.cjs then says which Node is required.
const nodeModule = require('node:module');
if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();
require('../out/cli.cjs');
