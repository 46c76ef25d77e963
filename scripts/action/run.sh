#!/usr/bin/env bash
# The shell logic of the sipflow GitHub Action (action.yml), kept here so it can be tested locally
# (test/package/action.test.ts runs it with stub commands and fake GITHUB_* files).
#
# Inputs (environment): INPUT_PATH (files/folders to validate, space-separated; default "."),
# INPUT_INTEGRATION (a .sipflow file to plan; empty: no plan), INPUT_SARIF (where the SARIF report goes),
# INPUT_COMMENT ("true": post the plan as a pull-request comment). GitHub's GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
# GITHUB_EVENT_PATH; SIPFLOW (the command, default `sipflow`). Vendor credentials (DIXA_API_TOKEN,
# SYNTHFLOW_API_KEY) come from the workflow's env and are only read by sipflow itself.
# Exit status: validate's (annotations and SARIF are written either way), else plan's.
set -uo pipefail

sipflow="${SIPFLOW:-sipflow}"
read -r -a paths <<< "${INPUT_PATH:-.}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
sarif="${INPUT_SARIF:-sipflow.sarif}"
integration="${INPUT_INTEGRATION:-}"
comment="${INPUT_COMMENT:-true}"

output() { [ -n "${GITHUB_OUTPUT:-}" ] && printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"; return 0; }
summary() { [ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat >> "$GITHUB_STEP_SUMMARY"; return 0; }

# 1. Annotations: `--format github` prints ::error/::warning workflow commands, which the runner shows on the diff.
"$sipflow" validate --format github "${paths[@]}"
validate_status=$?

# 2. SARIF for code scanning (uploaded by the next step of action.yml, even when validate failed).
mkdir -p "$(dirname "$sarif")"
"$sipflow" validate --format sarif "${paths[@]}" > "$sarif"
sarif_status=$?
if [ "$sarif_status" -gt 1 ] || [ ! -s "$sarif" ]; then
  echo "::warning::sipflow validate --format sarif exited $sarif_status; no SARIF report"
  rm -f "$sarif"
else
  output sarif "$sarif"
fi
output validate-exit-code "$validate_status"

# 3. The plan, into the job summary and (on pull requests) a comment.
plan_status=0
if [ -n "$integration" ]; then
  plan_file="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sipflow-plan.md"
  "$sipflow" plan --format markdown "$integration" > "$plan_file"
  plan_status=$?
  if [ "$plan_status" -ne 0 ]; then
    { echo "### sipflow plan: \`$integration\` failed (exit $plan_status)"; echo; cat "$plan_file"; } | summary
  else
    summary < "$plan_file"
    output plan "$plan_file"
  fi
  pr=""
  if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    pr="$(node -e 'const e = require(process.argv[1]); process.stdout.write(String(e.pull_request?.number ?? ""))' "$GITHUB_EVENT_PATH" 2>/dev/null || true)"
  fi
  if [ "$comment" = "true" ] && [ -n "$pr" ] && [ "$plan_status" -eq 0 ]; then
    # One comment per pull request, updated on each push (--edit-last), created the first time.
    gh pr comment "$pr" --body-file "$plan_file" --edit-last 2>/dev/null || gh pr comment "$pr" --body-file "$plan_file" \
      || echo "::warning::could not comment the plan on pull request #$pr (does the job have pull-requests: write?)"
  fi
fi

[ "$validate_status" -ne 0 ] && exit "$validate_status"
exit "$plan_status"
