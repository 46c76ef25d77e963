import { access, writeFile } from 'node:fs/promises';
import { EmptyFileSystem, URI } from 'langium';
import { Option, type Command } from 'commander';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createSipflowServices } from '../../language/sipflow-module.js';
import { pullReferenceOf, readPullSnapshot, renderPulledConfiguration, type PullOptions } from '../../pull/index.js';
import { DEMO } from '../../sandbox/index.js';
import { isSynthflowRegion, SYNTHFLOW_REGION_FACTS, SYNTHFLOW_REGIONS, type SynthflowRegion } from '../../vendors/synthflow-facts.js';
import { ExitCode, stylesFor, UsageError } from '../cli-support.js';
import { CommandError, connect, loadIntegration } from '../vendor-session.js';
import { addTargetOptions, type TargetOptions } from './shared-options.js';

interface PullCommandOptions extends TargetOptions {
    readonly out?: string;
    readonly force?: boolean;
    readonly from?: string;
    readonly region?: string;
    readonly workspace?: string;
    readonly sipDomain?: string;
    readonly integration?: string;
}

/**
 * `sipflow pull [--out FILE] [--from FILE | --region R --workspace W] [--sip-domain D] [--integration NAME]`:
 * writes a formatted `.sipflow` file from the live accounts. `plan` on the result shows no changes.
 */
export function registerPullCommand(program: Command): void {
    addTargetOptions(program.command('pull').description('write a .sipflow file from the live Dixa and Synthflow accounts'))
        .addOption(new Option('-o, --out <file>', 'write to this file instead of standard output'))
        .addOption(new Option('--force', 'with --out: overwrite an existing file'))
        .addOption(new Option('--from <file>', 'pull against this .sipflow file: its region, workspace, SIP domain, names, written defaults and comments'))
        .addOption(new Option('--region <region>', 'the Synthflow region (default: from SYNTHFLOW_BASE_URL)').choices([...SYNTHFLOW_REGIONS]))
        .addOption(new Option('--workspace <id>', 'the Synthflow workspace id (default: SYNTHFLOW_WORKSPACE)'))
        .addOption(new Option('--sip-domain <domain>', 'the Dixa SIP domain (default: {organization subdomain}.sip.dixa.com)'))
        .addOption(new Option('--integration <name>', 'the integration name to write (default: from ownership markers or the organization)'))
        .action(async (options: PullCommandOptions) => {
            process.exitCode = await pullCommand(options);
        });
}

export async function pullCommand(options: PullCommandOptions): Promise<ExitCode> {
    if (options.out !== undefined && !options.force && (await exists(options.out))) {
        throw new UsageError(`${options.out} already exists: pass --force to overwrite it, or choose another file`);
    }
    const pullOptions = await resolvePullOptions(options);
    const session = await connect(pullOptions.workspace, SYNTHFLOW_REGION_FACTS[pullOptions.region].apiBaseUrl, options);
    try {
        const pulled = renderPulledConfiguration(await readPullSnapshot(session), pullOptions);
        const text = await formatSipflow(pulled.text);
        if (options.out === undefined) {
            process.stdout.write(text);
        } else {
            await writeFile(options.out, text, 'utf8').catch((error: NodeJS.ErrnoException) => {
                throw new UsageError(`${options.out}: cannot write (${error.code ?? error.message})`);
            });
            process.stderr.write(
                `Wrote ${options.out}: integration ${pulled.integration}, ${pulled.departments} department${pulled.departments === 1 ? '' : 's'}, ${pulled.queues} queue${pulled.queues === 1 ? '' : 's'} from ${session.target}.\n`,
            );
        }
        for (const note of pulled.notes) process.stderr.write(`note: ${note}\n`);
        return ExitCode.Ok;
    } finally {
        await session.close();
    }
}

async function resolvePullOptions(options: PullCommandOptions): Promise<PullOptions> {
    if (options.from !== undefined) {
        const { desired, document } = await loadIntegration(options.from, process.stdout, stylesFor(process.stdout), { env: options.env });
        return {
            // Names, written defaults and comments follow the file where the live state agrees with it.
            reference: pullReferenceOf(document, desired),
            region: desired.synthflow.region,
            workspace: options.workspace ?? desired.synthflow.workspace,
            sipDomain: options.sipDomain ?? desired.dixa.sipDomain,
            integration: options.integration ?? desired.integration,
        };
    }
    const region = options.region ?? regionOfBaseUrl(process.env.SYNTHFLOW_BASE_URL) ?? (options.sandbox ? 'eu' : undefined);
    if (!isSynthflowRegion(region)) throw new UsageError('pass --region eu|us|global (or --from FILE) so that sipflow knows which Synthflow cluster to read');
    const workspace = options.workspace ?? process.env.SYNTHFLOW_WORKSPACE ?? (options.sandbox ? DEMO.synthflow.workspace : undefined);
    if (!workspace) throw new UsageError('pass --workspace ID (or set SYNTHFLOW_WORKSPACE, or use --from FILE): Synthflow lists numbers per workspace');
    return {
        region,
        workspace,
        ...(options.sipDomain !== undefined ? { sipDomain: options.sipDomain } : {}),
        ...(options.integration !== undefined ? { integration: options.integration } : {}),
    };
}

function regionOfBaseUrl(baseUrl: string | undefined): SynthflowRegion | undefined {
    if (!baseUrl) return undefined;
    const host = URL.canParse(baseUrl) ? new URL(baseUrl).hostname : '';
    return Object.entries(SYNTHFLOW_REGION_FACTS).find(([, facts]) => facts.apiHost === host)?.[0] as SynthflowRegion | undefined;
}

/** The language's own formatter, so pulled files look exactly like hand-formatted ones. */
async function formatSipflow(text: string): Promise<string> {
    const { shared, Sipflow } = createSipflowServices(EmptyFileSystem);
    const document = shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse('memory:///pulled.sipflow'));
    shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build([document], { validation: false });
    const formatter = Sipflow.lsp.Formatter;
    if (!formatter) throw new CommandError('internal: the formatter is not available');
    const edits = await formatter.formatDocument(document, { textDocument: { uri: document.uri.toString() }, options: { tabSize: 2, insertSpaces: true } });
    return TextDocument.applyEdits(document.textDocument, edits);
}

async function exists(path: string): Promise<boolean> {
    return access(path).then(
        () => true,
        () => false,
    );
}
