/**
 * Whole-process validate, as a user runs it: `node bin/sipflow.cjs validate FILE.sipflow` against the peer
 * `node out/peer.cjs validate FILE.yaml` (js-yaml, and `yaml` as a second column) on the same generated
 * configuration. Rounds alternate the commands (sipflow, js-yaml, yaml, sipflow, …) after one warm-up round
 * (which also fills Node's compile cache that bin/sipflow.cjs enables); ratios are taken round by round and
 * their median reported, so that a machine whose speed drifts during the run still compares like with like.
 * Each child reports its own peak RSS and CPU time through a preloaded probe.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateIntegration, toSipflow, toYaml } from './generate.js';

/** The installed CLI's entry (with the compile cache) and the peer bundle, both next to this bundle's out/. */
const SIPFLOW_BIN = fileURLToPath(new URL('../bin/sipflow.cjs', import.meta.url));
const PEER_BUNDLE = fileURLToPath(new URL('./peer.cjs', import.meta.url));

/** Whole-process validate ÷ js-yaml peer (issue 11). */
export const WHOLE_PROCESS_TARGETS: Readonly<Record<number, number>> = { 10: 1.2, 1_000: 1.5, 10_000: 2.5 };

export interface ProcessFigures {
    readonly wallMs: number;
    readonly cpuMs: number;
    readonly peakRssMb: number;
}

export interface WholeProcessResult {
    readonly departments: number;
    readonly rounds: number;
    /** Medians over the counted rounds. */
    readonly sipflow: ProcessFigures;
    readonly jsYaml: ProcessFigures;
    /** Not run at 10,000 departments: yaml's duplicate-key check is quadratic (~150 s a run there). */
    readonly yaml?: ProcessFigures;
    /** Median of the per-round ratios sipflow ÷ peer. */
    readonly ratios: { readonly wallVsJsYaml: number; readonly cpuVsJsYaml: number; readonly wallVsYaml?: number; readonly cpuVsYaml?: number };
    readonly target?: number;
}

export interface StartupResult {
    readonly rounds: number;
    /** `sipflow --version` and `node -e ""`: what loading the CLI costs over starting Node. */
    readonly version: ProcessFigures;
    readonly node: ProcessFigures;
}

/** The preload: writes this process's peak RSS (KB) and CPU time (µs) to $SIPFLOW_BENCH_PROBE at exit. */
const PROBE = `process.on('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').writeFileSync(process.env.SIPFLOW_BENCH_PROBE, JSON.stringify({ maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime }));
});
`;

const median = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round2 = (value: number) => Math.round(value * 100) / 100;

class Runner {
    readonly directory = mkdtempSync(path.join(os.tmpdir(), 'sipflow-bench-'));
    private readonly probe = path.join(this.directory, 'probe.cjs');
    private readonly probeOut = path.join(this.directory, 'probe.json');

    constructor() {
        writeFileSync(this.probe, PROBE);
    }

    /** One run of `node ARGS…`; its exit code must be `expectedExit` (the verdict is part of the comparison). */
    run(args: readonly string[], expectedExit: number): ProcessFigures {
        rmSync(this.probeOut, { force: true });
        const start = performance.now();
        const child = spawnSync(process.execPath, ['--require', this.probe, ...args], {
            encoding: 'utf8',
            maxBuffer: 256 * 1024 * 1024,
            env: { ...process.env, SIPFLOW_BENCH_PROBE: this.probeOut, NO_COLOR: '1' },
        });
        const wallMs = performance.now() - start;
        if (child.status !== expectedExit) {
            throw new Error(
                `node ${args.join(' ')} exited ${child.status ?? child.signal}, expected ${expectedExit}: ${(child.stderr || child.stdout).split('\n').slice(0, 3).join(' | ')}`,
            );
        }
        const probe = JSON.parse(readFileSync(this.probeOut, 'utf8')) as { maxRssKb: number; cpuUs: number };
        return { wallMs, cpuMs: probe.cpuUs / 1000, peakRssMb: probe.maxRssKb / 1024 };
    }

    dispose(): void {
        rmSync(this.directory, { recursive: true, force: true });
    }
}

const medianFigures = (runs: readonly ProcessFigures[]): ProcessFigures => ({
    wallMs: round2(median(runs.map(r => r.wallMs))),
    cpuMs: round2(median(runs.map(r => r.cpuMs))),
    peakRssMb: Math.round(median(runs.map(r => r.peakRssMb))),
});

/** `rounds` alternated rounds of the commands after one warm-up round; each command's runs, in order. */
function alternate(runner: Runner, commands: ReadonlyArray<{ readonly args: readonly string[]; readonly exit: number }>, rounds: number): ProcessFigures[][] {
    const runs: ProcessFigures[][] = commands.map(() => []);
    for (let r = 0; r <= rounds; r++) {
        commands.forEach((command, i) => {
            const figures = runner.run(command.args, command.exit);
            if (r > 0) runs[i].push(figures);
        });
    }
    return runs;
}

export function measureWholeProcess(
    sizes: readonly number[],
    roundsFor: (departments: number) => number,
    log: (line: string) => void,
): { startup: StartupResult; sizes: WholeProcessResult[] } {
    const runner = new Runner();
    try {
        const startupRounds = 7;
        log(`bench: start-up, ${startupRounds} rounds…`);
        const [version, node] = alternate(
            runner,
            [
                { args: [SIPFLOW_BIN, '--version'], exit: 0 },
                { args: ['-e', ''], exit: 0 },
            ],
            startupRounds,
        );
        const startup: StartupResult = { rounds: startupRounds, version: medianFigures(version), node: medianFigures(node) };

        const results: WholeProcessResult[] = [];
        for (const departments of sizes) {
            // Each size in its own folder: validate FILE also reads the other .sipflow files next to it.
            const folder = path.join(runner.directory, `d${departments}`);
            mkdirSync(folder);
            const integration = generateIntegration(departments);
            const sipflowFile = path.join(folder, 'bench.sipflow');
            const yamlFile = path.join(folder, 'bench.yaml');
            writeFileSync(sipflowFile, toSipflow(integration));
            writeFileSync(yamlFile, toYaml(integration));
            const rounds = roundsFor(departments);
            log(`bench: whole-process validate, ${departments} departments, ${rounds} rounds…`);
            const withYaml = departments < 10_000;
            const [sipflow, jsYaml, yaml] = alternate(
                runner,
                [
                    { args: [SIPFLOW_BIN, 'validate', sipflowFile], exit: 0 },
                    { args: [PEER_BUNDLE, 'validate', yamlFile, '--parser', 'js-yaml'], exit: 0 },
                    ...(withYaml ? [{ args: [PEER_BUNDLE, 'validate', yamlFile, '--parser', 'yaml'], exit: 0 }] : []),
                ],
                rounds,
            );
            const ratio = (peer: readonly ProcessFigures[], key: keyof ProcessFigures) => round2(median(sipflow.map((run, i) => run[key] / peer[i][key])));
            results.push({
                departments,
                rounds,
                sipflow: medianFigures(sipflow),
                jsYaml: medianFigures(jsYaml),
                yaml: yaml ? medianFigures(yaml) : undefined,
                ratios: {
                    wallVsJsYaml: ratio(jsYaml, 'wallMs'),
                    cpuVsJsYaml: ratio(jsYaml, 'cpuMs'),
                    wallVsYaml: yaml && ratio(yaml, 'wallMs'),
                    cpuVsYaml: yaml && ratio(yaml, 'cpuMs'),
                },
                target: WHOLE_PROCESS_TARGETS[departments],
            });
        }
        return { startup, sizes: results };
    } finally {
        runner.dispose();
    }
}
