import { InvalidArgumentError, Option, type Command } from 'commander';
import packageJson from '../../../package.json' with { type: 'json' };
import { SIPFLOW_EXTENSION } from '../workspace.js';
import {
    defaultSipPort,
    integrationProbeTargets,
    parseHostOverrides,
    parseSipTarget,
    probeTargets,
    SIP_TRANSPORTS,
    type ProbeResult,
    type ProbeTarget,
    type SipTransport,
} from '../../sip/index.js';
import { ExitCode, stylesFor, UsageError, type Styles } from '../cli-support.js';
import { loadIntegration } from '../vendor-session.js';
import { addEnvironmentOption, type EnvironmentOptions } from './shared-options.js';

interface ProbeOptions extends EnvironmentOptions {
    readonly transport?: SipTransport;
    /** Seconds. */
    readonly timeout: number;
    readonly json?: boolean;
}

const DEFAULT_TIMEOUT_SECONDS = 5;

/**
 * `sipflow probe sip:HOST[:PORT] | FILE [--transport udp|tcp|tls] [--timeout S] [--json]`: sends SIP
 * OPTIONS and reports, per target, the status, the Server/User-Agent and the round-trip time. Exit 0 when
 * every target answered, 1 when any did not.
 */
export function registerProbeCommand(program: Command): void {
    addEnvironmentOption(program.command('probe'))
        .description('check that SIP endpoints answer: SIP OPTIONS to a sip: URI, or to the endpoints of a .sipflow file')
        .argument('<target>', 'sip:HOST[:PORT] (or sips:), or a .sipflow file (Synthflow on 32681 UDP/TCP and 32682 TLS, the Dixa SIP domain on 5060)')
        .addOption(
            new Option('-t, --transport <transport>', 'with a URI: the transport (default udp; sips: means tls); with a file: probe only this transport').choices(SIP_TRANSPORTS),
        )
        .addOption(new Option('--timeout <seconds>', 'give up on a target after this long').default(DEFAULT_TIMEOUT_SECONDS).argParser(timeoutSeconds))
        .addOption(new Option('--json', 'print the results as JSON'))
        .action(async (target: string, options: ProbeOptions) => {
            process.exitCode = await probeCommand(target, options);
        });
}

function timeoutSeconds(value: string): number {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 60) throw new InvalidArgumentError('--timeout must be a number of seconds from 0.1 to 60');
    return seconds;
}

export async function probeCommand(target: string, options: ProbeOptions): Promise<ExitCode> {
    const styles = stylesFor(process.stdout);
    const targets = await targetsOf(target, options, styles);
    let overrideAddress: ReturnType<typeof parseHostOverrides>;
    try {
        overrideAddress = parseHostOverrides(process.env.SIPFLOW_PROBE_HOSTS);
    } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const results = await probeTargets(targets, { timeoutMs: options.timeout * 1000, userAgent: `sipflow/${packageJson.version}`, overrideAddress });
    if (options.json) {
        const reachable = results.filter(result => result.ok).length;
        const summary = { total: results.length, reachable, failed: results.length - reachable };
        process.stdout.write(`${JSON.stringify({ targets: results, summary }, null, 2)}\n`);
    } else {
        process.stdout.write(`${renderProbeResults(results, styles)}\n`);
    }
    return results.every(result => result.ok) ? ExitCode.Ok : ExitCode.Failure;
}

async function targetsOf(target: string, options: ProbeOptions, styles: Styles): Promise<ProbeTarget[]> {
    if (/^sips?:/i.test(target)) {
        let parsed: ReturnType<typeof parseSipTarget>;
        try {
            parsed = parseSipTarget(target);
        } catch (error) {
            throw new UsageError(error instanceof Error ? error.message : String(error));
        }
        if (options.transport !== undefined && parsed.transport !== undefined && options.transport !== parsed.transport) {
            throw new UsageError(`${target} says ${parsed.transport}, --transport says ${options.transport}; give one`);
        }
        const transport = options.transport ?? parsed.transport ?? 'udp';
        const port = parsed.port ?? defaultSipPort(transport);
        return [{ label: target, host: parsed.host, port, transport, ...(parsed.user !== undefined ? { user: parsed.user } : {}) }];
    }
    if (!target.endsWith(SIPFLOW_EXTENSION)) throw new UsageError(`${target}: give a sip:HOST[:PORT] URI or a ${SIPFLOW_EXTENSION} file`);
    // Diagnostics of a broken file go to stderr with --json, so stdout stays one JSON document.
    const { desired } = await loadIntegration(target, options.json ? process.stderr : process.stdout, styles, { env: options.env });
    const targets = integrationProbeTargets(desired);
    return options.transport === undefined ? targets : targets.filter(candidate => candidate.transport === options.transport);
}

/** One line per target as it answered (or why not), then a summary table. */
export function renderProbeResults(results: readonly ProbeResult[], styles: Styles): string {
    const lines = results.map(result => {
        const where = `${result.transport.toUpperCase()} ${result.uri}`;
        if (!result.ok) return `${styles.red('✗')} ${result.label === result.uri ? '' : `${result.label}: `}${where}: ${result.error}`;
        const server = result.server === undefined ? '' : ` (${result.server})`;
        return `${styles.green('✓')} ${result.label === result.uri ? '' : `${result.label}: `}${where}: ${result.statusLine}${server} in ${formatRtt(result.rttMs)}`;
    });
    const rows = [
        ['target', 'transport', 'result', 'server', 'rtt'],
        ...results.map(result => [
            `${result.host}:${result.port}`,
            result.transport,
            result.ok ? `${result.statusCode} ${result.reasonPhrase ?? ''}`.trim() : 'FAILED',
            result.server ?? '',
            result.ok ? formatRtt(result.rttMs) : '',
        ]),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
    const table = rows.map((row, index) => {
        const text = row
            .map((cell, column) => cell.padEnd(widths[column]))
            .join('  ')
            .trimEnd();
        return index === 0 ? styles.bold(text) : text;
    });
    const failed = results.filter(result => !result.ok).length;
    const summary = `${results.length} target${results.length === 1 ? '' : 's'}: ${results.length - failed} answered, ${failed} failed`;
    return [...lines, '', ...table, '', failed > 0 ? styles.red(summary) : styles.green(summary)].join('\n');
}

function formatRtt(rttMs: number | undefined): string {
    return rttMs === undefined ? '' : `${rttMs < 10 ? rttMs.toFixed(1) : Math.round(rttMs)} ms`;
}
