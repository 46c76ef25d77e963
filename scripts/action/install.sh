#!/usr/bin/env bash
# Installs the sipflow CLI for the GitHub Action: INPUT_PACKAGE (an npm spec such as sipflow@0.1.0 or a
# tarball URL) when given, else the action's own source, packed (prepack builds the bundles) and installed.
# Puts `sipflow` on PATH for the following steps (GITHUB_PATH).
set -euo pipefail
prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sipflow-cli"
mkdir -p "$prefix"
if [ -n "${INPUT_PACKAGE:-}" ]; then
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$INPUT_PACKAGE"
else
  source_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"
  (cd "$source_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && npm pack --pack-destination "$prefix" --loglevel=error >/dev/null)
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$prefix"/sipflow-*.tgz
fi
echo "$prefix/node_modules/.bin" >> "${GITHUB_PATH:-/dev/null}"
"$prefix/node_modules/.bin/sipflow" --version
