import { Option, type Command } from 'commander';
import { buildChecklist, checklistSummary, type DixaEvidence } from '../../checklist/index.js';
import type { DesiredState } from '../../model/index.js';

/** `--sandbox` and `--sandbox-state`: every command that talks to the vendors has them. */
export function addTargetOptions(command: Command): Command {
    return command
        .addOption(new Option('--sandbox', 'run against an in-process sandbox instead of the live accounts'))
        .addOption(new Option('--sandbox-state <file>', 'with --sandbox: keep the sandbox state in this JSON file across runs'));
}

export interface TargetOptions {
    readonly sandbox?: boolean;
    readonly sandboxState?: string;
}

/** The one-line status of the manual checklist that plan and apply end with. */
export function checklistStatusLine(desired: DesiredState, evidence: DixaEvidence): string {
    const checklist = buildChecklist(desired, evidence);
    const failed = checklist.counts.failed;
    return `${checklistSummary(checklist)}${failed > 0 || checklist.counts.unverifiable > 0 ? ' (run sipflow checklist for the steps)' : ''}`;
}

/** Parses a positive integer option. */
export function positiveInteger(name: string): (value: string) => number {
    return value => {
        const number = Number(value);
        if (!Number.isInteger(number) || number < 1 || number > 64) throw new Error(`${name} must be a whole number from 1 to 64`);
        return number;
    };
}
