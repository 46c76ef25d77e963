#!/usr/bin/env bash
# Runs a command (an npm script's body) under a supported Node: the machine's `node` when it is ≥ 22,
# else Node 24 provisioned by scripts/provision-node.sh. Every `node`, `npm` and `npx` below it finds that
# Node on PATH (npm's launchers use `#!/usr/bin/env node`).
set -euo pipefail
. "$(dirname "$0")/provision-node.sh"
if [ "$(sipflow_node_major)" -lt "$SIPFLOW_MIN_NODE_MAJOR" ]; then
  sipflow_use_node24 || exit 1
fi
exec "$@"
