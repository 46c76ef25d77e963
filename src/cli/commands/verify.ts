import { Option, type Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { ExitCode, stylesFor, UsageError } from '../cli-support.js';
import { AccountMismatchError, guardAccount } from '../../apply/index.js';
import { CommandError, connect, loadIntegration } from '../vendor-session.js';
import { addTargetOptions, type TargetOptions } from './shared-options.js';
import { chooseCaller, describeDiagnosis, verifyDepartmentCall, VerifyError, type DepartmentCallResult } from '../../verify/call.js';

interface VerifyOptions extends TargetOptions {
    readonly call?: boolean;
    readonly department?: string[];
    readonly escalate?: boolean;
    readonly caller?: string;
    readonly from?: string;
    readonly yes?: boolean;
    readonly timeout: number;
}

/**
 * `sipflow verify FILE --call [--department NAME…] [--escalate] [--caller MODEL_ID --from +E164] [--yes]`:
 * places a test call per department and proves from the inbound assistant's call list that it arrived,
 * with the caller's number, and (with --escalate) that the escalation reached the queue. Every failure
 * names its row of the troubleshooting table (src/verify/troubleshooting.ts). Exit 1 when any fails.
 */
export function registerVerifyCommand(program: Command): void {
    addTargetOptions(
        program
            .command('verify')
            .description('prove with a test call per department that the integration carries calls (costs call minutes)')
            .argument('<file>', 'the .sipflow file'),
    )
        .addOption(new Option('--call', 'place a test call to each department DID'))
        .addOption(new Option('--department <name...>', 'only these departments (file keys)'))
        .addOption(new Option('--escalate', 'ask the assistant to escalate, and check that the transfer reaches the queue'))
        .addOption(new Option('--caller <model_id>', 'the outbound agent that places the test calls'))
        .addOption(new Option('--from <e164>', "the caller's number (one of its attached numbers)"))
        .addOption(new Option('-y, --yes', 'do not ask for confirmation'))
        .addOption(new Option('--timeout <seconds>', 'how long to wait for each call to show up').default(60).argParser(timeoutArg))
        .action(async (file: string, options: VerifyOptions) => {
            process.exitCode = await verifyCommand(file, options);
        });
}

function timeoutArg(value: string): number {
    const seconds = Number(value);
    if (!/^\d+$/.test(value) || seconds < 1 || seconds > 600) throw new UsageError(`--timeout must be a whole number of seconds from 1 to 600, got "${value}"`);
    return seconds;
}

export async function verifyCommand(file: string, options: VerifyOptions): Promise<ExitCode> {
    if (!options.call) throw new UsageError('verify needs --call: it proves the integration by placing test calls (the only check so far)');
    if (options.from !== undefined && !/^\+[1-9]\d{6,14}$/.test(options.from)) throw new UsageError(`--from must be an E.164 number, got "${options.from}"`);
    const styles = stylesFor(process.stdout);
    const { desired } = await loadIntegration(file, process.stdout, styles, { env: options.env });
    const departments = options.department
        ? options.department.map(name => {
              const found = desired.departments.find(d => d.key === name);
              if (!found) throw new UsageError(`--department ${name}: no such department in ${file} (${desired.departments.map(d => d.key).join(', ') || 'none'})`);
              return found;
          })
        : desired.departments;
    if (departments.length === 0) throw new CommandError(`${file}: declares no department to call`);

    const session = await connect(desired.synthflow.workspace, desired.synthflow.apiBaseUrl, options);
    try {
        // Test calls are writes too (they place calls): only on the organization the file is for.
        await guardAccount(desired, session.dixa, file).catch((error: unknown) => {
            throw error instanceof AccountMismatchError ? new CommandError(error.message) : error;
        });
        const assistants = await session.synthflow.listAssistants();
        let caller;
        try {
            caller = chooseCaller(assistants, {
                ...(options.caller !== undefined ? { modelId: options.caller } : {}),
                ...(options.from !== undefined ? { from: options.from } : {}),
            });
        } catch (error) {
            if (error instanceof VerifyError) throw new CommandError(error.message);
            throw error;
        }
        process.stdout.write(`Test caller: ${caller.modelId} from ${caller.from} (${caller.how}).\n`);
        const what = `${departments.length} test call${departments.length === 1 ? '' : 's'} (${departments.map(d => `${d.key} ${d.did}`).join(', ')})${options.escalate ? ' with escalation' : ''} on ${session.target}`;
        if (!(await confirmed(what, options))) {
            process.stderr.write('sipflow: no call placed.\n');
            return ExitCode.Failure;
        }
        const results: DepartmentCallResult[] = [];
        for (const department of departments) {
            process.stderr.write(`  … calling ${department.key} (${department.did})\n`);
            results.push(
                await verifyDepartmentCall(session.synthflow, desired, department, assistants, caller, {
                    escalate: options.escalate === true,
                    timeoutMs: options.timeout * 1000,
                    pollIntervalMs: 2000,
                }),
            );
        }
        process.stdout.write(`${renderSummary(results)}\n`);
        const failures = results.map(describeDiagnosis).filter((line): line is string => line !== undefined);
        for (const line of failures) process.stdout.write(`${line}\n`);
        return failures.length > 0 ? ExitCode.Failure : ExitCode.Ok;
    } finally {
        await session.close();
    }
}

async function confirmed(what: string, options: VerifyOptions): Promise<boolean> {
    if (options.yes) return true;
    if (!process.stdin.isTTY) throw new CommandError(`verify --call places ${what} and there is no terminal to ask: pass --yes.`);
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
        const answer = await prompt.question(`This places ${what}; test calls cost real minutes. Continue? Only 'yes' is accepted: `);
        return answer.trim() === 'yes';
    } finally {
        prompt.close();
    }
}

function renderSummary(results: readonly DepartmentCallResult[]): string {
    const yesNo = (v: boolean | null) => (v === null ? '–' : v ? 'yes' : 'NO');
    const rows = [
        ['Department', 'DID', 'Arrived', 'Caller number', 'Escalation', 'Result'],
        ...results.map(r => [
            r.department,
            r.did,
            yesNo(r.diagnosis === 'number-not-on-assistant' || r.diagnosis === 'caller-refused' ? null : r.arrived),
            yesNo(r.callerNumberReached),
            r.escalation === null ? '–' : r.escalation.target === '(none declared)' ? 'none declared' : r.escalation.outcome,
            r.diagnosis === null ? 'ok' : `FAILED (${r.diagnosis})`,
        ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map(row => row[i]!.length)));
    return rows
        .map(row =>
            row
                .map((cell, i) => cell.padEnd(widths[i]!))
                .join('  ')
                .trimEnd(),
        )
        .join('\n');
}
