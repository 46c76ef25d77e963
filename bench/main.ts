/**
 * `npm run bench`: how fast the language is on generated integrations of 10, 1,000 and 10,000
 * departments, against the targets in issue 2, and against the honest peer (issue 11): the same
 * configuration as YAML, parsed by js-yaml (and `yaml`), checked by ajv and the same cross-reference,
 * uniqueness and E.164 checks (bench/peer-checks.ts), in process and as whole processes
 * (bench/whole-process.ts). Each size runs in its own process (cold timings and peak RSS per size). Prints
 * tables and writes out/bench.json. `npm run bench -- 10 1000` runs those sizes only; `--rounds N` sets
 * the whole-process rounds; `--no-whole-process` skips them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureSize, type SizeResult } from './measure.js';
import { editPathRows, editPathTargets, measureEditPath, type EditPathResult } from './edit-path.js';
import { generateIntegration, toSipflow } from './generate.js';
import { measureVendors, type VendorBenchResult } from './vendors.js';
import { measureWholeProcess, type StartupResult, type WholeProcessResult } from './whole-process.js';

const SIZES = [10, 1_000, 10_000];
/** Plan and apply against the sandbox (issue 3): departments, latency per request, steps/requests in flight. */
const VENDOR_SIZES = [10, 100, 500];
const VENDOR_LATENCY_MS = 50;
const VENDOR_CONCURRENCY = 8;
const TARGETS = {
    /** 10,000 departments fully validated. */
    fullValidation10kMs: 1000,
    /** Diagnostics after an edit in a 1,000-department file. */
    edit1kMs: 150,
    /** Completion at any size. */
    completionMs: 50,
    /** A no-op plan of 100 departments against the sandbox at 50 ms per request. */
    noOpPlan100Ms: 2000,
    /** A first apply, against requests × latency ÷ concurrency. */
    firstApplyBoundRatio: 1.5,
};

async function worker(departments: number, part: string): Promise<void> {
    const result = part === 'edit-path' ? await measureEditPath(toSipflow(generateIntegration(departments)), departments) : await measureSize(departments);
    process.stdout.write(JSON.stringify(result));
}

/** The same script in worker mode: `part` of one size in a process of its own (--expose-gc to measure the heap a workspace retains). */
function runWorker<T>(departments: number, part: 'in-process' | 'edit-path'): T {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', process.argv[1], '--worker', String(departments), part], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`benchmark worker (${part}) for ${departments} departments failed (exit ${child.status})`);
    return JSON.parse(child.stdout) as T;
}

/** One size: the in-process measurements, then the edit path over LSP from a fresh client process. */
function runSize(departments: number): SizeResult {
    const inProcess = runWorker<Omit<SizeResult, 'lsp'>>(departments, 'in-process');
    return { ...inProcess, lsp: runWorker<EditPathResult>(departments, 'edit-path') };
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
const verdict = (value: number, target: number) => (value <= target ? `✓ < ${target} ms` : `✗ > ${target} ms`);

function table(rows: string[][]): string {
    const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
    return rows
        .map((row, r) => {
            const line = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
            return r === 0 ? `${line}\n${widths.map(w => '─'.repeat(w)).join('  ')}` : line;
        })
        .join('\n');
}

function report(results: readonly SizeResult[]): string {
    const header = ['', ...results.map(r => `${r.departments.toLocaleString('en')} depts`)];
    const rows: string[][] = [
        header,
        ['lines / size', ...results.map(r => `${r.lines.toLocaleString('en')} / ${Math.round(r.bytes / 1024)} KB`)],
        ['cold parse+link+validate', ...results.map(r => ms(r.cold.totalMs))],
        ['  parse', ...results.map(r => ms(r.cold.parseMs))],
        ['  index + scopes', ...results.map(r => ms(r.cold.indexAndScopesMs))],
        ['  link', ...results.map(r => ms(r.cold.linkMs))],
        ['  validate', ...results.map(r => ms(r.cold.validateMs))],
        ['warm parse+link+validate', ...results.map(r => ms(r.warm.totalMs))],
        ['  parse / link / validate', ...results.map(r => `${ms(r.warm.parseMs)} / ${ms(r.warm.indexAndScopesMs + r.warm.linkMs)} / ${ms(r.warm.validateMs)}`)],
        ['edit → diagnostics (median / p90 / max)', ...results.map(r => `${ms(r.edit.medianMs)} / ${ms(r.edit.p90Ms)} / ${ms(r.edit.maxMs)}`)],
        ...results[0].completion.map((c, i) => [`completion: ${c.position}`, ...results.map(r => `${ms(r.completion[i].medianMs)} (${r.completion[i].items})`)]),
        ['completion, worst p90 / max', ...results.map(r => `${ms(Math.max(...r.completion.map(c => c.p90Ms)))} / ${ms(Math.max(...r.completion.map(c => c.maxMs)))}`)],
        ...editPathRows(results),
        ['split in 2 files: cold build (link)', ...results.map(r => `${ms(r.split.cold.totalMs)} (${ms(r.split.cold.linkMs)})`)],
        ['split in 2 files: edit median / p90', ...results.map(r => (r.split.edit ? `${ms(r.split.edit.medianMs)} / ${ms(r.split.edit.p90Ms)}` : 'skipped (build > 5 s)'))],
        ['peak RSS, cold build', ...results.map(r => `${r.memory.coldBuildPeakRssMb} MB`)],
        ['heap retained by the workspace', ...results.map(r => `${r.memory.retainedHeapMb} MB`)],
        ['peak RSS, whole run', ...results.map(r => `${r.memory.runPeakRssMb} MB`)],
        ['peer js-yaml+ajv+checks cold', ...results.map(r => ms(r.peers['js-yaml'].coldMs))],
        ['peer js-yaml warm (parse / checks)', ...results.map(r => `${ms(r.peers['js-yaml'].warmMs)} (${ms(r.peers['js-yaml'].parseMs)} / ${ms(r.peers['js-yaml'].checkMs)})`)],
        ['peer yaml+ajv+checks cold', ...results.map(r => ms(r.peers.yaml.coldMs))],
        ['peer yaml warm (parse / checks)', ...results.map(r => `${ms(r.peers.yaml.warmMs)} (${ms(r.peers.yaml.parseMs)} / ${ms(r.peers.yaml.checkMs)})`)],
        [
            'in process: sipflow ÷ js-yaml peer (cold / warm)',
            ...results.map(r => `${(r.cold.totalMs / r.peers['js-yaml'].coldMs).toFixed(1)}× / ${(r.warm.totalMs / r.peers['js-yaml'].warmMs).toFixed(1)}×`),
        ],
        [
            'in process: sipflow ÷ yaml peer (cold / warm)',
            ...results.map(r => `${(r.cold.totalMs / r.peers.yaml.coldMs).toFixed(1)}× / ${(r.warm.totalMs / r.peers.yaml.warmMs).toFixed(1)}×`),
        ],
    ];
    const at = (departments: number) => results.find(r => r.departments === departments);
    const tenK = at(10_000);
    const oneK = at(1_000);
    const worstCompletion = Math.max(...results.flatMap(r => r.completion.map(c => c.p90Ms)));
    const slowestCompletion = Math.max(...results.flatMap(r => r.completion.map(c => c.maxMs)));
    const targets = [
        tenK &&
            `10,000 departments fully validated: cold ${ms(tenK.cold.totalMs)} ${verdict(tenK.cold.totalMs, TARGETS.fullValidation10kMs)}, warm ${ms(tenK.warm.totalMs)} ${verdict(tenK.warm.totalMs, TARGETS.fullValidation10kMs)}`,
        // p90: one GC pause in 20 edits should not decide the verdict, but most edits must make it.
        oneK &&
            `diagnostics after an edit, 1,000 departments: median ${ms(oneK.edit.medianMs)}, p90 ${ms(oneK.edit.p90Ms)} ${verdict(oneK.edit.p90Ms, TARGETS.edit1kMs)} (max ${ms(oneK.edit.maxMs)})`,
        oneK?.split.edit && `  … split in two files: median ${ms(oneK.split.edit.medianMs)}, p90 ${ms(oneK.split.edit.p90Ms)} ${verdict(oneK.split.edit.p90Ms, TARGETS.edit1kMs)}`,
        tenK && `  10,000 departments split in two files: cold ${ms(tenK.split.cold.totalMs)} ${verdict(tenK.split.cold.totalMs, TARGETS.fullValidation10kMs)}`,
        `completion, any size and position: worst p90 ${ms(worstCompletion)} ${verdict(worstCompletion, TARGETS.completionMs)} (slowest single request ${ms(slowestCompletion)})`,
        ...editPathTargets(results),
    ].filter(Boolean);
    return `${table(rows)}\n\nTargets:\n${targets.map(t => `  ${t}`).join('\n')}`;
}

function wholeProcessReport(startup: StartupResult, results: readonly WholeProcessResult[]): string {
    const figures = (f: WholeProcessResult['sipflow']) => `${ms(f.wallMs)} (cpu ${ms(f.cpuMs)})`;
    const rows: string[][] = [
        ['', ...results.map(r => `${r.departments.toLocaleString('en')} depts`)],
        ['rounds (after 1 warm-up)', ...results.map(r => String(r.rounds))],
        ['sipflow validate: wall (cpu)', ...results.map(r => figures(r.sipflow))],
        ['js-yaml peer: wall (cpu)', ...results.map(r => figures(r.jsYaml))],
        ['yaml peer: wall (cpu)', ...results.map(r => (r.yaml ? figures(r.yaml) : 'skipped (quadratic)'))],
        ['sipflow ÷ js-yaml: wall (cpu)', ...results.map(r => `${r.ratios.wallVsJsYaml.toFixed(2)}× (${r.ratios.cpuVsJsYaml.toFixed(2)}×)`)],
        [
            'sipflow ÷ yaml: wall (cpu)',
            ...results.map(r =>
                r.ratios.wallVsYaml !== undefined && r.ratios.cpuVsYaml !== undefined ? `${r.ratios.wallVsYaml.toFixed(2)}× (${r.ratios.cpuVsYaml.toFixed(2)}×)` : '–',
            ),
        ],
        ['peak RSS: sipflow / js-yaml / yaml', ...results.map(r => `${r.sipflow.peakRssMb} / ${r.jsYaml.peakRssMb} / ${r.yaml?.peakRssMb ?? '–'} MB`)],
    ];
    const targets = results
        .filter(r => r.target !== undefined)
        .map(r => {
            const met = r.ratios.wallVsJsYaml <= (r.target ?? 0);
            return `whole-process validate ÷ js-yaml peer, ${r.departments.toLocaleString('en')} departments: ${r.ratios.wallVsJsYaml.toFixed(2)}× ${met ? '✓ ≤' : '✗ >'} ${r.target}×`;
        });
    const tenK = results.find(r => r.departments === 10_000);
    if (tenK) targets.push(`peak RSS validating 10,000 departments: ${tenK.sipflow.peakRssMb} MB ${tenK.sipflow.peakRssMb <= 250 ? '✓ ≤' : '✗ >'} 250 MB`);
    return [
        'Whole processes (node bin/sipflow.cjs validate FILE.sipflow vs node out/peer.cjs validate FILE.yaml; medians, ratios per round)',
        '',
        table(rows),
        '',
        `start-up: sipflow --version ${figures(startup.version)}, node -e "" ${figures(startup.node)}, ${startup.rounds} rounds; peak RSS ${startup.version.peakRssMb} / ${startup.node.peakRssMb} MB`,
        '',
        `Targets:\n${targets.map(t => `  ${t}`).join('\n')}`,
    ].join('\n');
}

function vendorReport(results: readonly VendorBenchResult[]): string {
    const header = ['', ...results.map(r => `${r.departments} depts`)];
    const ratio = (phase: VendorBenchResult['firstApply']) => `${(phase.wallMs / phase.boundMs).toFixed(2)}×`;
    const rows: string[][] = [
        header,
        ['first apply: requests (minimum)', ...results.map(r => `${r.firstApply.requests} (${r.firstApply.minimumRequests})`)],
        ['first apply: wall / bound (ratio)', ...results.map(r => `${ms(r.firstApply.wallMs)} / ${ms(r.firstApply.boundMs)} (${ratio(r.firstApply)})`)],
        ['no-op plan: requests (minimum)', ...results.map(r => `${r.noOpPlan.requests} (${r.noOpPlan.minimumRequests})`)],
        ['no-op plan: wall / bound (ratio)', ...results.map(r => `${ms(r.noOpPlan.wallMs)} / ${ms(r.noOpPlan.boundMs)} (${ratio(r.noOpPlan)})`)],
    ];
    const hundred = results.find(r => r.departments === 100);
    const worstRatio = Math.max(...results.map(r => r.firstApply.wallMs / r.firstApply.boundMs));
    const targets = [
        hundred && `no-op plan, 100 departments: ${ms(hundred.noOpPlan.wallMs)} ${verdict(hundred.noOpPlan.wallMs, TARGETS.noOpPlan100Ms)}`,
        `first apply within ${TARGETS.firstApplyBoundRatio}× the bound: worst ${worstRatio.toFixed(2)}× ${worstRatio <= TARGETS.firstApplyBoundRatio ? '✓' : '✗'}`,
    ].filter(Boolean);
    return `Plan and apply against the sandbox (${VENDOR_LATENCY_MS} ms per request, concurrency ${VENDOR_CONCURRENCY}; bound = requests × latency ÷ concurrency, at least Dixa's rate limit)\n\n${table(rows)}\n\nTargets:\n${targets.map(t => `  ${t}`).join('\n')}`;
}

async function main(): Promise<void> {
    const workerIndex = process.argv.indexOf('--worker');
    if (workerIndex >= 0) return worker(Number(process.argv[workerIndex + 1]), process.argv[workerIndex + 2]);

    const sizes = process.argv
        .slice(2)
        .filter((arg, i, args) => args[i - 1] !== '--rounds')
        .map(Number)
        .filter(n => n > 0);
    const results: SizeResult[] = [];
    for (const departments of sizes.length > 0 ? sizes : SIZES) {
        process.stderr.write(`bench: ${departments} departments…\n`);
        results.push(runSize(departments));
    }
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`;
    console.log(`sipflow benchmark (${machine})\n`);
    console.log(report(results));
    const roundsIndex = process.argv.indexOf('--rounds');
    const rounds = roundsIndex >= 0 ? Number(process.argv[roundsIndex + 1]) : undefined;
    let wholeProcess: ReturnType<typeof measureWholeProcess> | undefined;
    if (!process.argv.includes('--no-whole-process')) {
        const measured = results.map(r => r.departments);
        wholeProcess = measureWholeProcess(
            measured,
            departments => rounds ?? (departments >= 10_000 ? 3 : departments >= 1_000 ? 5 : 9),
            line => process.stderr.write(`${line}\n`),
        );
        console.log(`\n${wholeProcessReport(wholeProcess.startup, wholeProcess.sizes)}`);
    }
    const vendors: VendorBenchResult[] = [];
    if (sizes.length === 0 || process.argv.includes('--vendors')) {
        for (const departments of VENDOR_SIZES) {
            process.stderr.write(`bench: plan/apply with ${departments} departments against the sandbox…\n`);
            vendors.push(await measureVendors(departments, VENDOR_LATENCY_MS, VENDOR_CONCURRENCY));
        }
        console.log(`\n${vendorReport(vendors)}`);
    }
    const outFile = path.resolve('out/bench.json');
    mkdirSync(path.dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify({ machine, date: new Date().toISOString(), targets: TARGETS, results, wholeProcess, vendors }, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
}

main().catch(error => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
});
