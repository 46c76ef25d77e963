/**
 * The GitHub Action's shell logic (scripts/action/run.sh), run as the runner runs it: fake GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and event files, and stub `sipflow` and `gh` commands on PATH that record how they
 * were called. Also: action.yml wires the inputs into that script and uploads the SARIF it writes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/spec-errata.js';

const RUN_SH = join(REPO_ROOT, 'scripts', 'action', 'run.sh');

let dir: string;
let bin: string;
let calls: string;

/** A stub `sipflow`: prints per format, exits with $STUB_VALIDATE_EXIT / $STUB_PLAN_EXIT. */
const SIPFLOW_STUB = `#!/usr/bin/env bash
echo "sipflow $*" >> "$STUB_CALLS"
case "$1 $2 $3" in
  "validate --format github") echo "::error file=acme.sipflow,line=3,col=5::E_STUB broken"; exit "\${STUB_VALIDATE_EXIT:-0}" ;;
  "validate --format sarif") echo '{"version":"2.1.0","runs":[]}'; exit "\${STUB_VALIDATE_EXIT:-0}" ;;
  "plan --format markdown") echo "## Plan for acme: 2 to create"; exit "\${STUB_PLAN_EXIT:-0}" ;;
esac
echo "unexpected: $*" >&2; exit 9
`;

/** A stub `gh`: records its arguments; `--edit-last` fails while $STUB_NO_COMMENT_YET is set. */
const GH_STUB = `#!/usr/bin/env bash
echo "gh $*" >> "$STUB_CALLS"
if [ -n "\${STUB_NO_COMMENT_YET:-}" ] && [[ " $* " == *" --edit-last "* ]]; then echo "no comment to edit" >&2; exit 1; fi
exit 0
`;

beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sipflow-action-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'sipflow'), SIPFLOW_STUB);
    writeFileSync(join(bin, 'gh'), GH_STUB);
    chmodSync(join(bin, 'sipflow'), 0o755);
    chmodSync(join(bin, 'gh'), 0o755);
    calls = join(dir, 'calls.log');
    writeFileSync(calls, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface ActionRun {
    readonly status: number | null;
    readonly stdout: string;
    readonly summary: string;
    readonly outputs: Record<string, string>;
    readonly calls: string[];
}

function runAction(inputs: Record<string, string>, event?: object): ActionRun {
    const summaryFile = join(dir, 'summary.md');
    const outputFile = join(dir, 'output');
    writeFileSync(summaryFile, '');
    writeFileSync(outputFile, '');
    const eventFile = join(dir, 'event.json');
    if (event) writeFileSync(eventFile, JSON.stringify(event));
    const result = spawnSync('bash', [RUN_SH], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
            PATH: `${bin}:${process.env.PATH ?? ''}`,
            HOME: dir,
            RUNNER_TEMP: dir,
            GITHUB_STEP_SUMMARY: summaryFile,
            GITHUB_OUTPUT: outputFile,
            ...(event ? { GITHUB_EVENT_PATH: eventFile } : {}),
            STUB_CALLS: calls,
            ...inputs,
        },
    });
    const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map(line => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { status: result.status, stdout: result.stdout, summary: readFileSync(summaryFile, 'utf8'), outputs, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean) };
}

const PULL_REQUEST = { pull_request: { number: 42 } };

describe('scripts/action/run.sh', () => {
    it('a clean pull request: annotations, SARIF, the plan in the summary and one comment', () => {
        const run = runAction(
            { INPUT_PATH: 'integrations other.sipflow', INPUT_INTEGRATION: 'integrations/acme.sipflow', INPUT_SARIF: 'reports/sipflow.sarif', INPUT_COMMENT: 'true' },
            PULL_REQUEST,
        );
        expect(run.status).toBe(0);
        expect(run.stdout).toContain('::error file=acme.sipflow,line=3,col=5::E_STUB broken');
        expect(JSON.parse(readFileSync(join(dir, 'reports', 'sipflow.sarif'), 'utf8'))).toEqual({ version: '2.1.0', runs: [] });
        expect(run.summary).toContain('## Plan for acme: 2 to create');
        expect(run.outputs.sarif).toBe('reports/sipflow.sarif');
        expect(run.outputs['validate-exit-code']).toBe('0');
        expect(readFileSync(run.outputs.plan!, 'utf8')).toContain('## Plan for acme');
        expect(run.calls).toEqual([
            'sipflow validate --format github integrations other.sipflow',
            'sipflow validate --format sarif integrations other.sipflow',
            'sipflow plan --format markdown integrations/acme.sipflow',
            `gh pr comment 42 --body-file ${run.outputs.plan} --edit-last`,
        ]);
    });

    it('the first comment on a pull request is created when there is none to edit', () => {
        const run = runAction({ INPUT_INTEGRATION: 'acme.sipflow', STUB_NO_COMMENT_YET: '1' }, PULL_REQUEST);
        expect(run.status).toBe(0);
        expect(run.calls.filter(c => c.startsWith('gh '))).toEqual([
            `gh pr comment 42 --body-file ${run.outputs.plan} --edit-last`,
            `gh pr comment 42 --body-file ${run.outputs.plan}`,
        ]);
    });

    it('validation errors fail the step, after the SARIF report is written (for the upload step)', () => {
        const run = runAction({ STUB_VALIDATE_EXIT: '1' });
        expect(run.status).toBe(1);
        expect(run.outputs['validate-exit-code']).toBe('1');
        expect(run.outputs.sarif).toBe('sipflow.sarif');
        expect(existsSync(join(dir, 'sipflow.sarif'))).toBe(true);
        // Defaults: the current folder; no integration, so no plan and no comment.
        expect(run.calls).toEqual(['sipflow validate --format github .', 'sipflow validate --format sarif .']);
    });

    it('no comment when comment is off, or outside a pull request', () => {
        const off = runAction({ INPUT_INTEGRATION: 'acme.sipflow', INPUT_COMMENT: 'false' }, PULL_REQUEST);
        expect(off.status).toBe(0);
        expect(off.summary).toContain('## Plan for acme');
        expect(off.calls.some(c => c.startsWith('gh '))).toBe(false);
        const push = runAction({ INPUT_INTEGRATION: 'acme.sipflow' }, { ref: 'refs/heads/main' });
        expect(push.status).toBe(0);
        expect(push.calls.some(c => c.startsWith('gh '))).toBe(false);
    });

    it('a failed plan is reported in the summary, fails the step and is not commented', () => {
        const run = runAction({ INPUT_INTEGRATION: 'acme.sipflow', STUB_PLAN_EXIT: '1' }, PULL_REQUEST);
        expect(run.status).toBe(1);
        expect(run.summary).toContain('sipflow plan: `acme.sipflow` failed (exit 1)');
        expect(run.outputs.plan).toBeUndefined();
        expect(run.calls.some(c => c.startsWith('gh '))).toBe(false);
    });
});

describe('action.yml', () => {
    const action = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
        inputs: Record<string, { default?: string }>;
        runs: { using: string; steps: Array<{ uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string>; if?: string }> };
    };

    it('is a composite action with the documented inputs, on Node 24 by default', () => {
        expect(action.runs.using).toBe('composite');
        expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['path', 'integration', 'sarif', 'comment', 'node-version']));
        expect(action.inputs['node-version']!.default).toBe('24');
        expect(action.runs.steps[0]!.uses).toMatch(/^actions\/setup-node@/);
    });

    it('runs the scripts that exist, passes every script input, and uploads the SARIF even after a failure', () => {
        const scripts = action.runs.steps.flatMap(s => [...(s.run ?? '').matchAll(/\$GITHUB_ACTION_PATH\/(scripts\/action\/[\w.-]+)/g)].map(m => m[1]!));
        expect(scripts).toEqual(['scripts/action/install.sh', 'scripts/action/run.sh']);
        for (const script of scripts) expect(existsSync(join(REPO_ROOT, script))).toBe(true);
        const runStep = action.runs.steps.find(s => s.run?.includes('run.sh'))!;
        const scriptInputs = [...readFileSync(RUN_SH, 'utf8').matchAll(/\bINPUT_([A-Z_]+)/g)].map(m => m[1]!);
        for (const name of new Set(scriptInputs)) expect(runStep.env?.[`INPUT_${name}`]).toBe(`\${{ inputs.${name.toLowerCase()} }}`);
        const upload = action.runs.steps.find(s => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
        expect(upload.if).toMatch(/always\(\)/);
        expect(upload.with?.sarif_file).toBe('${{ steps.run.outputs.sarif }}');
    });
});
