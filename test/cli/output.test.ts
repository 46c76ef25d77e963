// src/cli/output.ts on the bundled CLI (out/cli.cjs, built by `npm test`): validate writes its report to the
// file descriptor without building Node's stdout stream, and the report is the same byte for byte on a
// pipe, a non-blocking pipe that fills up (the stream takes over) and a terminal (colours still on).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_BIN = path.join(ROOT, 'bin/sipflow.cjs');

/** Preloaded into the CLI: records whether anything made Node create process.stdout / process.stderr. */
const STREAM_PROBE = `
const created = [];
for (const name of ['stdout', 'stderr']) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    Object.defineProperty(process, name, {
        configurable: true,
        enumerable: descriptor.enumerable,
        get() {
            if (!created.includes(name)) created.push(name);
            return descriptor.get.call(process);
        },
    });
}
process.on('exit', () => require('node:fs').writeFileSync(process.env.STREAM_PROBE_OUT, JSON.stringify(created)));
`;

let dir: string;
let probe: string;
let probeOut: string;

beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'out/cli.cjs'))) throw new Error('out/cli.cjs is missing: run "npm run build" first.');
    dir = mkdtempSync(path.join(tmpdir(), 'sipflow-output-'));
    probe = path.join(dir, 'probe.cjs');
    probeOut = path.join(dir, 'probe.json');
    writeFileSync(probe, STREAM_PROBE);
    writeFileSync(path.join(dir, 'acme.sipflow'), readFileSync(path.join(ROOT, 'examples/acme.sipflow'), 'utf8'));
    // ~180 KB of diagnostics: nearly three times what a pipe buffer holds.
    const queues = Array.from({ length: 3000 }, (_, i) => `  queue q${i} { name "Q${i}" did "bad${i}" }`).join('\n');
    writeFileSync(path.join(dir, 'many.sipflow'), `integration many {\n${queues}\n}\n`);
});

afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
});

function validate(file: string, env: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(process.execPath, ['--require', probe, CLI_BIN, 'validate', file], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', STREAM_PROBE_OUT: probeOut, ...env },
    });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, streams: JSON.parse(readFileSync(probeOut, 'utf8')) as string[] };
}

describe('validate output', () => {
    it('writes a clean report without creating process.stdout or process.stderr', () => {
        const result = validate('acme.sipflow');
        expect(result.stdout).toBe('0 errors, 0 warnings in 1 file\n');
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(result.streams).toEqual([]);
    });

    it('writes a report larger than a pipe buffer in full and in order', () => {
        const result = validate('many.sipflow');
        // More than two pipe buffers: the first 1,000 problems, the capped line and the summary.
        expect(Buffer.byteLength(result.stdout)).toBeGreaterThan(2 * 65_536);
        const lines = result.stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(1002);
        expect(lines[0]).toMatch(/^many\.sipflow:1:\d+: error required-missing: /);
        expect(lines[999]).toMatch(/^many\.sipflow:\d+:\d+: error e164-invalid: /);
        expect(lines[1000]).toMatch(/^many\.sipflow:\d+:\d+: error problems-capped: /);
        expect(lines[1001]).toBe('3002 errors, 0 warnings, 3000 hints in 1 file');
        expect(result.status).toBe(1);
        expect(result.streams).toEqual([]);
    });

    it('hands over to the stream when an inherited non-blocking pipe is full (EAGAIN), losing nothing', () => {
        const expected = validate('many.sipflow').stdout;
        // Python leaves stdout non-blocking for its child (libuv-based parents such as Node make it blocking);
        // the reader starts only after a second, so the first write fills the pipe and the next one meets EAGAIN.
        const script = [
            'import fcntl, os, subprocess, sys',
            'fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK)',
            'sys.exit(subprocess.run(sys.argv[1:]).returncode)',
        ].join('\n');
        const command = ['python3', '-c', script, process.execPath, '--require', probe, CLI_BIN, 'validate', 'many.sipflow']
            .map(arg => `'${arg.replace(/'/g, `'\\''`)}'`)
            .join(' ');
        const result = spawnSync('bash', ['-c', `${command} | (sleep 1; cat); echo "status=\${PIPESTATUS[0]}" >&2`], {
            cwd: dir,
            encoding: 'utf8',
            timeout: 60_000,
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, NO_COLOR: '1', STREAM_PROBE_OUT: probeOut },
        });
        expect(result.stderr.trim()).toBe('status=1');
        expect(result.stdout).toBe(expected);
        // The stream was created only to take over the rest of the report.
        expect(JSON.parse(readFileSync(probeOut, 'utf8'))).toEqual(['stdout']);
    });

    it('still colours the report on a terminal (asked with isatty, not the stream)', () => {
        const command = [process.execPath, CLI_BIN, 'validate', 'many.sipflow'].map(arg => `'${arg}'`).join(' ');
        // util-linux `script` gives the command a pseudo-terminal.
        const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '' } });
        expect(result.status).toBe(1);
        expect(result.stdout).toContain('\u001b[1m3002 errors, 0 warnings, 3000 hints in 1 file\u001b[22m');
    });
});
