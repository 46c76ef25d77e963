/** The measurements of one benchmark size, run in a fresh process so that "cold" and peak RSS mean what they say. */
import { performance } from 'node:perf_hooks';
import { DocumentState, EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import type { CompletionList, Position } from 'vscode-languageserver-types';
import { createSipflowServices } from '../src/language/sipflow-module.js';
import type { EditPathResult } from './edit-path.js';
import { generateIntegration, toSipflow, toSipflowFiles, toYaml, type BenchIntegration } from './generate.js';
import { checkPeerConfiguration, parsePeerYaml, type PeerParser } from './peer-checks.js';

export interface BuildTiming {
    /** Lexing and parsing into the AST (LangiumDocuments.createDocument). */
    readonly parseMs: number;
    /** Export index and local scopes (DocumentState.IndexedContent + ComputedScopes). */
    readonly indexAndScopesMs: number;
    /** Reference resolution and the reference index (Linked + IndexedReferences). */
    readonly linkMs: number;
    /** All validation checks (Validated). */
    readonly validateMs: number;
    readonly totalMs: number;
}

export interface PeerTiming {
    /** The first parse + checks in this process (ajv compiles the schema then). */
    readonly coldMs: number;
    /** Median of later runs: parse + checks, and each part. */
    readonly warmMs: number;
    readonly parseMs: number;
    readonly checkMs: number;
    readonly problems: number;
}

export interface SizeResult {
    readonly departments: number;
    readonly queues: number;
    readonly lines: number;
    readonly bytes: number;
    readonly diagnostics: number;
    /** The first build in a fresh process: nothing JIT-compiled yet. */
    readonly cold: BuildTiming;
    /** Median of later builds with fresh services (a document the workspace has not seen, warm JIT). */
    readonly warm: BuildTiming;
    /** Time from a one-character edit to updated diagnostics, via DocumentBuilder.update (the LSP's path). */
    readonly edit: { readonly medianMs: number; readonly p90Ms: number; readonly maxMs: number; readonly samples: number };
    /** Completion latency per position (median of repeated requests). */
    readonly completion: ReadonlyArray<{ readonly position: string; readonly medianMs: number; readonly p90Ms: number; readonly maxMs: number; readonly items: number }>;
    /**
     * The same integration split in two files (queues / blocks + departments): cold build, and edits in the
     * departments file. Edits are skipped (undefined) when the cold build alone takes over 5 s.
     */
    readonly split: { readonly cold: BuildTiming; readonly edit?: { readonly medianMs: number; readonly p90Ms: number; readonly maxMs: number; readonly samples: number } };
    /** The peer in process (bench/peer-checks.ts): js-yaml or `yaml`, then ajv and the same checks. */
    readonly peers: Readonly<Record<PeerParser, PeerTiming>>;
    /** The edit path over a real LSP connection (bench/edit-path.ts). */
    readonly lsp: EditPathResult;
    readonly memory: {
        /** Peak RSS of the process up to the end of the first (cold) build: generation + one workspace. */
        readonly coldBuildPeakRssMb: number;
        /** JS heap still in use, after a full GC, while the built workspace is alive. */
        readonly retainedHeapMb: number;
        /** Peak RSS of the whole run (several builds, edits and completions; includes uncollected garbage). */
        readonly runPeakRssMb: number;
    };
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A full GC when the worker runs with --expose-gc (bench/main.ts starts it so). */
function collectGarbage(): void {
    (globalThis as { gc?: () => void }).gc?.();
}

const percentile = (values: readonly number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const median = (values: readonly number[]) => percentile(values, 0.5);
const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Builds `text` as a new document in fresh services, timing each Langium phase; `otherFiles` (name → text)
 * are built with it, as other files of the workspace.
 */
async function timedBuild(text: string, otherFiles: Readonly<Record<string, string>> = {}) {
    const services = createSipflowServices(EmptyFileSystem);
    const builder = services.shared.workspace.DocumentBuilder;
    const phaseEnd = new Map<DocumentState, number>();
    for (const state of [DocumentState.IndexedContent, DocumentState.ComputedScopes, DocumentState.Linked, DocumentState.IndexedReferences, DocumentState.Validated]) {
        builder.onBuildPhase(state, () => void phaseEnd.set(state, performance.now()));
    }
    const start = performance.now();
    const documents = services.shared.workspace.LangiumDocuments;
    const document = documents.createDocument(URI.parse('file:///bench/bench.sipflow'), text);
    const others = Object.entries(otherFiles).map(([name, content]) => documents.createDocument(URI.parse(`file:///bench/${name}`), content));
    const parsed = performance.now();
    await builder.build([document, ...others], { validation: true });
    const end = performance.now();
    const at = (state: DocumentState) => phaseEnd.get(state) ?? end;
    const timing: BuildTiming = {
        parseMs: round(parsed - start),
        indexAndScopesMs: round(at(DocumentState.ComputedScopes) - parsed),
        linkMs: round(at(DocumentState.IndexedReferences) - at(DocumentState.ComputedScopes)),
        validateMs: round(at(DocumentState.Validated) - at(DocumentState.IndexedReferences)),
        totalMs: round(end - start),
    };
    return { services, document, timing };
}

/** Replace one character at `offset`, as an editor's didChange would, and wait for the new diagnostics. */
async function timedEdit(services: ReturnType<typeof createSipflowServices>, document: LangiumDocument, text: string, version: number) {
    const textDocuments = services.shared.workspace.TextDocuments;
    textDocuments.set(TextDocument.create(document.uri.toString(), 'sipflow', version, text));
    const start = performance.now();
    await services.shared.workspace.DocumentBuilder.update([document.uri], []);
    return { ms: performance.now() - start, diagnostics: document.diagnostics ?? [] };
}

function positionAt(text: string, offset: number): Position {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
}

/**
 * Everything but the edit path (`lsp`), which runs in a process of its own (bench/main.ts): measured from this
 * one, its client would share a heap with the in-process builds (~700 MB at 10,000 departments), and that
 * heap's pauses are not the server's latency.
 */
export async function measureSize(departments: number): Promise<Omit<SizeResult, 'lsp'>> {
    const integration = generateIntegration(departments);
    const text = toSipflow(integration);

    const cold = await timedBuild(text);
    const coldBuildPeakRssMb = peakRssMb();
    collectGarbage();
    const retainedHeapMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
    const diagnostics = cold.document.diagnostics ?? [];
    if (diagnostics.length > 0) {
        throw new Error(`the generated ${departments}-department file has ${diagnostics.length} diagnostics, e.g. ${JSON.stringify(diagnostics[0])}`);
    }
    const warmRuns = departments >= 10_000 ? 3 : 5;
    const warmTimings: BuildTiming[] = [];
    for (let i = 0; i < warmRuns; i++) warmTimings.push((await timedBuild(text)).timing);
    const warm = Object.fromEntries(
        (Object.keys(warmTimings[0]) as Array<keyof BuildTiming>).map(key => [key, round(median(warmTimings.map(t => t[key])))]),
    ) as unknown as BuildTiming;

    const { services, document } = await timedBuild(text);
    const editTimes = await timedEdits(services, document, text, departments >= 10_000 ? 6 : 20);
    const middle = text.indexOf(`department line_${String(Math.floor(departments / 2) | 1).padStart(5, '0')} {`);

    // Completion at representative positions of the (restored) document.
    const current = document.textDocument.getText();
    const completionProvider = services.Sipflow.lsp.CompletionProvider;
    const lastDepartment = current.lastIndexOf('  department ');
    const positions: Array<[string, number]> = [
        ['queue reference after "fallback "', current.indexOf('fallback ', middle) + 'fallback '.length],
        ['keyword at the start of a department line', current.indexOf('    did ', middle) + 4],
        ['region value after "region "', current.indexOf('region ') + 'region '.length],
        ['queue reference in the last department', current.indexOf('escalate ', lastDepartment) + 'escalate '.length],
        ['top of the integration (new member)', current.indexOf('  dixa {')],
    ];
    const completion = [];
    for (const [label, offset] of positions) {
        const times: number[] = [];
        let items = 0;
        for (let i = 0; i < 15; i++) {
            const start = performance.now();
            const result: CompletionList | undefined = await completionProvider?.getCompletion(document, {
                textDocument: { uri: document.uri.toString() },
                position: positionAt(current, offset),
            });
            times.push(performance.now() - start);
            items = result?.items.length ?? 0;
        }
        completion.push({ position: label, medianMs: round(median(times)), p90Ms: round(percentile(times, 0.9)), maxMs: round(Math.max(...times)), items });
    }

    const split = await measureSplit(integration);
    const yamlSource = toYaml(integration);
    // yaml's duplicate-key check is quadratic in a map's keys (~150 s for 10,000 departments): one run only there.
    const peers = { 'js-yaml': measurePeer(yamlSource, 'js-yaml', 3), yaml: measurePeer(yamlSource, 'yaml', departments >= 10_000 ? 0 : 3) };

    return {
        departments,
        queues: integration.queues.length,
        lines: text.split('\n').length,
        bytes: Buffer.byteLength(text),
        diagnostics: diagnostics.length,
        cold: cold.timing,
        warm,
        edit: editStats(editTimes),
        completion,
        split,
        peers,
        memory: { coldBuildPeakRssMb, retainedHeapMb, runPeakRssMb: peakRssMb() },
    };
}

/**
 * One-character edits in the middle department, as an editor's didChange: `timeout 30s` → `timeout 0s`
 * (a timeout-range error) and back, alternately; checks the diagnostics each time.
 */
async function timedEdits(services: ReturnType<typeof createSipflowServices>, document: LangiumDocument, text: string, samples: number): Promise<number[]> {
    const departments = (text.match(/^ {2}department /gm) ?? []).length;
    const middle = text.indexOf(`department line_${String(Math.floor(departments / 2) | 1).padStart(5, '0')} {`);
    const timeoutOffset = text.indexOf('timeout ', middle) + 'timeout '.length;
    const original = text.slice(timeoutOffset, text.indexOf('\n', timeoutOffset));
    const edited = `${text.slice(0, timeoutOffset)}${original.slice(1)}${text.slice(timeoutOffset + original.length)}`;
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
        const broken = i % 2 === 0;
        const result = await timedEdit(services, document, broken ? edited : text, i + 2);
        const expected = broken ? 1 : 0;
        if (result.diagnostics.length !== expected) {
            throw new Error(`after edit ${i} expected ${expected} diagnostic(s), got ${JSON.stringify(result.diagnostics.map(d => d.code))}`);
        }
        times.push(result.ms);
    }
    return times;
}

function editStats(times: readonly number[]) {
    return { medianMs: round(median(times)), p90Ms: round(percentile(times, 0.9)), maxMs: round(Math.max(...times)), samples: times.length };
}

async function measureSplit(integration: BenchIntegration): Promise<SizeResult['split']> {
    const files = toSipflowFiles(integration);
    const { services, document, timing } = await timedBuild(files.departments, { 'queues.sipflow': files.queues });
    const diagnostics = document.diagnostics ?? [];
    if (diagnostics.length > 0) throw new Error(`the split departments file has diagnostics, e.g. ${JSON.stringify(diagnostics[0])}`);
    if (timing.totalMs > 5_000) return { cold: timing };
    const times = await timedEdits(services, document, files.departments, integration.departments.length >= 10_000 ? 2 : 10);
    return { cold: timing, edit: editStats(times) };
}

/** The peer in process: parse, then schema + cross-reference + uniqueness + E.164 checks (bench/peer-checks.ts). */
function measurePeer(source: string, parser: PeerParser, warmRunCount: number): PeerTiming {
    const run = () => {
        const start = performance.now();
        const { data } = parsePeerYaml(source, parser);
        const parsed = performance.now();
        const problems = checkPeerConfiguration(data);
        const end = performance.now();
        return { totalMs: end - start, parseMs: parsed - start, checkMs: end - parsed, problems: problems.length };
    };
    const cold = run();
    if (cold.problems > 0) throw new Error(`the ${parser} peer finds ${cold.problems} problem(s) in the generated YAML, which sipflow accepts`);
    const warmRuns = warmRunCount > 0 ? Array.from({ length: warmRunCount }, run) : [cold];
    return {
        coldMs: round(cold.totalMs),
        warmMs: round(median(warmRuns.map(r => r.totalMs))),
        parseMs: round(median(warmRuns.map(r => r.parseMs))),
        checkMs: round(median(warmRuns.map(r => r.checkMs))),
        problems: cold.problems,
    };
}
