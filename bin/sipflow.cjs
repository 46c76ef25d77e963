#!/usr/bin/env node
// The `sipflow` command: the bundled CLI (built by `npm run build`).
require('../out/cli.cjs');
