import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { addNoColorOption, ExitCode, UsageError } from './cli-support.js';
import { installOutput } from './output.js';

type Register = (program: Command) => void;

/**
 * The `sipflow` command line. Each command lives in its own file, `commands/<name>.ts`, and exports a
 * `register<Name>Command(program)`; add it to this table (in the order help lists them). Only the command
 * being run is imported (esbuild splits the CLI bundle per import()), so that `--version` loads no language
 * and `validate` no vendors, sandbox, plan or apply. Commands set `process.exitCode`; they throw UsageError
 * for problems with their invocation or inputs (exit 1, like every error). Anything else is an internal error.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
    validate: async () => (await import('./commands/validate.js')).registerValidateCommand,
    fmt: async () => (await import('./commands/fmt.js')).registerFmtCommand,
    plan: async () => (await import('./commands/plan.js')).registerPlanCommand,
    show: async () => (await import('./commands/show.js')).registerShowCommand,
    graph: async () => (await import('./commands/graph.js')).registerGraphCommand,
    diff: async () => (await import('./commands/diff.js')).registerDiffCommand,
    apply: async () => (await import('./commands/apply.js')).registerApplyCommand,
    pull: async () => (await import('./commands/pull.js')).registerPullCommand,
    checklist: async () => (await import('./commands/checklist.js')).registerChecklistCommand,
    doctor: async () => (await import('./commands/doctor.js')).registerDoctorCommand,
    sandbox: async () => (await import('./commands/sandbox.js')).registerSandboxCommand,
    probe: async () => (await import('./commands/probe.js')).registerProbeCommand,
    lsp: async () => (await import('./commands/lsp.js')).registerLspCommand,
    verify: async () => (await import('./commands/verify.js')).registerVerifyCommand,
};

/**
 * Which commands `argv` needs registered: the one it names (`sipflow validate …`, `sipflow help validate`);
 * none for `--version` alone; all when it names none or an unknown one, so that help lists them all and
 * commander can suggest the nearest name. The program's own options take no values, so the first word that
 * is not an option is the command.
 */
function commandsFor(argv: readonly string[]): string[] {
    const words = argv.slice(2);
    const first = words.findIndex(word => !word.startsWith('-'));
    const all = Object.keys(COMMANDS);
    if (first < 0) return words.some(word => word === '-V' || word === '--version') ? [] : all;
    const named = words[first] === 'help' ? words[first + 1] : words[first];
    return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : all;
}

async function createProgram(argv: readonly string[]): Promise<Command> {
    const program = new Command('sipflow')
        .description('Dixa ⇄ Synthflow SIP integrations as code')
        .version(packageJson.version, '-V, --version', 'print the version')
        .helpOption('-h, --help', 'print help')
        // Throw instead of exiting (commander would exit 1, or 0 for help), so that exitCodeFor decides. Set before adding
        // commands: subcommands copy it when they are created.
        .exitOverride()
        .configureOutput({ outputError: (message, write) => write(`sipflow: ${message.replace(/^error: /, '')}`) });
    const registers = await Promise.all(commandsFor(argv).map(name => COMMANDS[name]()));
    for (const register of registers) register(program);
    addNoColorOption(program);
    return program;
}

/** package.json `engines.node`; older versions fail deep inside langium with a confusing message. */
const MINIMUM_NODE_MAJOR = 22;

async function main(argv: readonly string[]): Promise<void> {
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    if (nodeMajor < MINIMUM_NODE_MAJOR) {
        process.stderr.write(`sipflow: Node.js ${MINIMUM_NODE_MAJOR} or newer is required; this is Node.js ${process.versions.node}.\n`);
        process.exitCode = ExitCode.Failure;
        return;
    }
    installOutput();
    try {
        await (await createProgram(argv)).parseAsync([...argv]);
    } catch (error) {
        process.exitCode = await exitCodeFor(error);
    }
}

async function exitCodeFor(error: unknown): Promise<ExitCode> {
    if (error instanceof CommanderError) {
        // Commander has already printed help, the version or the usage error.
        return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.Ok : ExitCode.Failure;
    }
    if (error instanceof UsageError) {
        process.stderr.write(`sipflow: ${error.message}\n`);
        return ExitCode.Failure;
    }
    // Configuration, credentials and vendor failures: one clear line (or the diagnostics before it), exit 1.
    // Imported only now: vendor-session loads the providers and the sandbox, which validate never needs.
    const { CommandError, describeVendorError } = await import('./vendor-session.js');
    if (error instanceof CommandError) {
        process.stderr.write(`sipflow: ${error.message}\n`);
        return ExitCode.Failure;
    }
    const vendorFailure = describeVendorError(error);
    if (vendorFailure !== undefined) {
        process.stderr.write(`sipflow: ${vendorFailure}\n`);
        return ExitCode.Failure;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.SIPFLOW_DEBUG === '1') {
        process.stderr.write(`sipflow: internal error: ${error instanceof Error ? error.stack : message}\n`);
    } else {
        process.stderr.write(`sipflow: internal error: ${message.split('\n')[0]} (set SIPFLOW_DEBUG=1 to see the stack trace)\n`);
    }
    return ExitCode.Failure;
}

void main(process.argv);
