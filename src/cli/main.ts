import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { addNoColorOption, ExitCode, muteClosedPipes, UsageError } from './cli-support.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerChecklistCommand } from './commands/checklist.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerFmtCommand } from './commands/fmt.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerLspCommand } from './commands/lsp.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerProbeCommand } from './commands/probe.js';
import { registerPullCommand } from './commands/pull.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerShowCommand } from './commands/show.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerVerifyCommand } from './commands/verify.js';
import { CommandError, describeVendorError } from './vendor-session.js';

/**
 * The `sipflow` command line. Each command lives in its own file, `commands/<name>.ts`, and exports a
 * `register<Name>Command(program)`; add it to this list. Commands set `process.exitCode`; they throw
 * UsageError for problems with their invocation or inputs (exit 1, like every error). Anything else is an internal error.
 */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
    registerValidateCommand,
    registerFmtCommand,
    registerPlanCommand,
    registerShowCommand,
    registerGraphCommand,
    registerDiffCommand,
    registerApplyCommand,
    registerPullCommand,
    registerChecklistCommand,
    registerDoctorCommand,
    registerSandboxCommand,
    registerProbeCommand,
    registerLspCommand,
    registerVerifyCommand,
];

function createProgram(): Command {
    const program = new Command('sipflow')
        .description('Dixa ⇄ Synthflow SIP integrations as code')
        .version(packageJson.version, '-V, --version', 'print the version')
        .helpOption('-h, --help', 'print help')
        // Throw instead of exiting (commander would exit 1, or 0 for help), so that exitCodeFor decides. Set before adding
        // commands: subcommands copy it when they are created.
        .exitOverride()
        .configureOutput({ outputError: (message, write) => write(`sipflow: ${message.replace(/^error: /, '')}`) });
    for (const register of COMMANDS) register(program);
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
    muteClosedPipes();
    try {
        await createProgram().parseAsync([...argv]);
    } catch (error) {
        process.exitCode = exitCodeFor(error);
    }
}

function exitCodeFor(error: unknown): ExitCode {
    if (error instanceof CommanderError) {
        // Commander has already printed help, the version or the usage error.
        return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.Ok : ExitCode.Failure;
    }
    if (error instanceof UsageError) {
        process.stderr.write(`sipflow: ${error.message}\n`);
        return ExitCode.Failure;
    }
    // Configuration, credentials and vendor failures: one clear line (or the diagnostics before it), exit 1.
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
