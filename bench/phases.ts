/**
 * In-process phase table of one cold-services build: parse, index + scopes, link (+ reference index),
 * validate; time, bytes allocated and GC time per phase, median of several runs with fresh services.
 *
 *   npx esbuild bench/phases.ts --bundle --platform=node --format=cjs --outfile=out/phases.cjs \
 *     --define:import.meta.url=importMetaUrl --banner:js="const importMetaUrl=require('url').pathToFileURL(__filename).href;"
 *   node --expose-gc out/phases.cjs [departments=10000] [runs=7] [--cli]
 *
 * Allocation is measured with v8.GCProfiler: bytes allocated in a phase = heap used at its end − heap used
 * at its start + what every GC inside it freed. `--cli` builds with the services the CLI uses.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { DocumentState, EmptyFileSystem, URI } from 'langium';
import { createSipflowServices } from '../src/language/sipflow-module.js';
import { generateIntegration, toSipflow } from './generate.js';

const PHASES = ['parse', 'index+scopes', 'link', 'validate'] as const;
type Phase = (typeof PHASES)[number];
interface PhaseSample {
    ms: number;
    cpuMs: number;
    allocatedMb: number;
    gcMs: number;
}

const usedHeap = () => v8.getHeapStatistics().used_heap_size;

/** Times, allocation and GC time of a stretch of work, read at `mark()`. */
class PhaseMeter {
    private profiler = new v8.GCProfiler();
    private startMs = performance.now();
    private startHeap = usedHeap();
    private startCpu = process.cpuUsage();

    constructor() {
        this.profiler.start();
    }

    mark(): PhaseSample {
        const now = performance.now();
        const heap = usedHeap();
        const stats = this.profiler.stop()?.statistics ?? [];
        let freed = 0;
        let gcUs = 0;
        for (const gc of stats) {
            freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
            gcUs += gc.cost;
        }
        const cpu = process.cpuUsage(this.startCpu);
        const sample = { ms: now - this.startMs, cpuMs: (cpu.user + cpu.system) / 1000, allocatedMb: (heap - this.startHeap + freed) / 1024 / 1024, gcMs: gcUs / 1000 };
        this.profiler = new v8.GCProfiler();
        this.profiler.start();
        this.startMs = performance.now();
        this.startHeap = usedHeap();
        this.startCpu = process.cpuUsage();
        return sample;
    }

    stop(): void {
        this.profiler.stop();
    }
}

async function measureOnce(text: string, forCli: boolean): Promise<Record<Phase, PhaseSample>> {
    (globalThis as { gc?: () => void }).gc?.();
    const create = createSipflowServices as (context: typeof EmptyFileSystem & { forCli?: boolean }) => ReturnType<typeof createSipflowServices>;
    const services = create({ ...EmptyFileSystem, ...(forCli ? { forCli: true } : {}) });
    const builder = services.shared.workspace.DocumentBuilder;
    const samples: Partial<Record<Phase, PhaseSample>> = {};
    const meter = new PhaseMeter();
    builder.onBuildPhase(DocumentState.ComputedScopes, () => void (samples['index+scopes'] = meter.mark()));
    builder.onBuildPhase(DocumentState.IndexedReferences, () => void (samples.link = meter.mark()));
    builder.onBuildPhase(DocumentState.Validated, () => void (samples.validate = meter.mark()));
    const document = services.shared.workspace.LangiumDocuments.createDocument(URI.parse('file:///bench/phases.sipflow'), text);
    samples.parse = meter.mark();
    await builder.build([document], { validation: true });
    meter.stop();
    const errors = (document.diagnostics ?? []).filter(d => d.severity === 1);
    if (errors.length > 0) throw new Error(`unexpected errors: ${errors[0].message}`);
    return samples as Record<Phase, PhaseSample>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const forCli = args.includes('--cli');
    const [departments = 10_000, runs = 7] = args.filter(a => !a.startsWith('--')).map(Number);
    const text = toSipflow(generateIntegration(departments));
    await measureOnce(text, forCli); // warm-up: JIT, metadata loading
    const all: Array<Record<Phase, PhaseSample>> = [];
    for (let i = 0; i < runs; i++) all.push(await measureOnce(text, forCli));
    const cell = (phase: Phase, key: keyof PhaseSample) => median(all.map(run => run[phase][key])).toFixed(key === 'allocatedMb' || key === 'gcMs' ? 1 : 0);
    console.log(`${departments} departments, ${text.length} bytes, median of ${runs}${forCli ? ', CLI services' : ''}`);
    console.log('phase        wall ms  CPU ms  alloc MB   GC ms');
    for (const phase of PHASES) {
        console.log(
            `${phase.padEnd(12)} ${cell(phase, 'ms').padStart(7)} ${cell(phase, 'cpuMs').padStart(7)} ${cell(phase, 'allocatedMb').padStart(9)} ${cell(phase, 'gcMs').padStart(7)}`,
        );
    }
    const total = (key: 'ms' | 'cpuMs') => median(all.map(run => PHASES.reduce((sum, phase) => sum + run[phase][key], 0))).toFixed(0);
    console.log(`total        ${total('ms').padStart(7)} ${total('cpuMs').padStart(7)}`);
}

main().catch(error => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
