import { Option, type Command } from 'commander';
import * as path from 'node:path';
import { callFlowGraph, renderCallFlowDot, renderCallFlowMermaid } from '../../graph/index.js';
import { ExitCode, stylesFor, UsageError } from '../cli-support.js';
import { loadIntegration } from '../vendor-session.js';
import { addEnvironmentOption, type EnvironmentOptions } from './shared-options.js';
import { regularSipflowFilesIn, SIPFLOW_EXTENSION } from '../workspace.js';

interface GraphOptions extends EnvironmentOptions {
    readonly format: 'mermaid' | 'dot';
}

/**
 * `sipflow graph [FILE] [--env NAME] [--format mermaid|dot]`: the call flow the file declares (DID → Dixa flow →
 * Synthflow assistant → escalation queue, and the timeout fallback), from the file alone: no request.
 */
export function registerGraphCommand(program: Command): void {
    addEnvironmentOption(program.command('graph'))
        .description('draw the call flow the file declares, as Mermaid or Graphviz DOT (reads no account)')
        .argument('[file]', `the .sipflow file (default: the only ${SIPFLOW_EXTENSION} file in the current folder)`)
        .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
        .action(async (file: string | undefined, options: GraphOptions) => {
            process.exitCode = await graphCommand(file, options);
        });
}

export async function graphCommand(file: string | undefined, options: GraphOptions): Promise<ExitCode> {
    const target = file ?? (await onlySipflowFileHere());
    // Diagnostics go to stderr: stdout is the diagram, often piped into a file.
    const { desired } = await loadIntegration(target, process.stderr, stylesFor(process.stderr), { env: options.env });
    const graph = callFlowGraph(desired);
    process.stdout.write(options.format === 'dot' ? renderCallFlowDot(graph) : renderCallFlowMermaid(graph));
    return ExitCode.Ok;
}

async function onlySipflowFileHere(): Promise<string> {
    const files = await regularSipflowFilesIn(process.cwd());
    if (files.length === 1) return path.relative(process.cwd(), files[0]!);
    throw new UsageError(
        files.length === 0
            ? `no ${SIPFLOW_EXTENSION} file in the current folder; name one: sipflow graph FILE`
            : `${files.length} ${SIPFLOW_EXTENSION} files in the current folder; name one: sipflow graph FILE`,
    );
}
