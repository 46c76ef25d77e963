/**
 * The human report of an apply: what was done, what failed (with the vendor's message), what was not
 * attempted and why, and what to do next.
 */
import { isNumberImportForbidden, NUMBER_IMPORT_FORBIDDEN } from '../vendors/synthflow-facts.js';
import { stylesOf, type StyleOptions } from '../text/styles.js';
import type { ApplyResult, StepError, StepOutcome } from './types.js';

/** A step's error as the user reads it: the vendor's message, and what it means where sipflow knows (the number import's 403). */
export function describeStepError(error: StepError): string {
    if (error.vendor === 'synthflow' && isNumberImportForbidden(error.operation, error.status)) return `${error.message} — ${NUMBER_IMPORT_FORBIDDEN}`;
    return error.message;
}

export type ApplyRenderOptions = StyleOptions;

export function renderApplyText(result: ApplyResult, options: ApplyRenderOptions = {}): string {
    const { green, red, yellow, dim, bold } = stylesOf(options);
    const { counts } = result;
    const attempted = result.outcomes.length - counts.excluded;
    const lines: string[] = [];

    const section = (title: string, outcomes: readonly StepOutcome[], render: (o: StepOutcome) => string[]) => {
        if (outcomes.length === 0) return;
        lines.push('', bold(title));
        for (const outcome of outcomes) lines.push(...render(outcome));
    };
    const of = (...statuses: StepOutcome['status'][]) => result.outcomes.filter(o => statuses.includes(o.status));

    section('Done', of('succeeded'), o => [green(`  ✓ ${o.summary}`) + dim(`  — ${o.message}`)]);
    section('Failed', of('failed'), o => [
        red(`  ✗ ${o.summary}`),
        `      ${o.error ? describeStepError(o.error) : 'failed'}`,
        ...(o.error?.outcome === 'unknown' ? [yellow('      The outcome is unknown: the change may have been made. The next plan shows whether it was.')] : []),
    ]);
    // A step cancelled while its request was in flight was attempted: the vendor may have made the change.
    const interrupted = result.outcomes.filter(o => o.status === 'cancelled' && o.error !== null);
    section('Interrupted by the cancel (may have been made: the next plan shows whether it was)', interrupted, o => [
        yellow(`  · ${o.summary}`),
        dim(`      ${o.message ?? ''} (${describeStepError(o.error!)})`),
    ]);
    section(
        'Not attempted',
        result.outcomes.filter(o => o.status === 'skipped' || (o.status === 'cancelled' && o.error === null)),
        o => [yellow(`  · ${o.summary}`), dim(`      ${o.message ?? ''}${o.error ? ` (${describeStepError(o.error)})` : ''}`)],
    );
    section('Not run without --prune', of('excluded'), o => [dim(`  - ${o.summary}`)]);
    const { verification } = result;
    if (verification.status === 'residue') {
        lines.push('', bold('Still to do after a fresh read'));
        for (const item of verification.residue) lines.push(red(`  ✗ ${item.summary}`), ...(item.detail ? [dim(`      ${item.detail}`)] : []));
    }

    const head = (() => {
        switch (result.status) {
            case 'nothing-to-do':
                return counts.excluded > 0
                    ? `Nothing applied: only detaching what the file no longer declares remains, which needs --prune.`
                    : 'Nothing to apply: the accounts already match the file.';
            case 'succeeded':
                return green(`Apply complete: ${counts.succeeded} of ${attempted} step${attempted === 1 ? '' : 's'} done; a fresh read confirms the accounts match the file.`);
            case 'unverified':
                return verification.status === 'residue'
                    ? red(
                          `Apply not confirmed: all ${attempted} steps reported success, but a fresh read still shows ${verification.residue.length} thing${verification.residue.length === 1 ? '' : 's'} to do (above).`,
                      )
                    : red(
                          `Apply not confirmed: all ${attempted} steps reported success, but the accounts could not be read again to confirm it (${verification.error ?? 'unknown error'}).`,
                      );
            case 'cancelled':
                return yellow(
                    `Apply cancelled: ${counts.succeeded} of ${attempted} steps done, ${counts.failed} failed, ` +
                        (interrupted.length > 0 ? `${interrupted.length} interrupted (may have been made), ` : '') +
                        `${counts.skipped + counts.cancelled - interrupted.length} not attempted.`,
                );
            default:
                return red(
                    `Apply ${result.status === 'failed' ? 'failed' : 'incomplete'}: ${counts.succeeded} of ${attempted} steps done, ${counts.failed} failed, ${counts.skipped + counts.cancelled} not attempted.`,
                );
        }
    })();
    lines.push('', bold(head));
    if (!result.ok) {
        lines.push('Nothing was rolled back: what is done stays done. Run `sipflow plan` to see what remains; `sipflow apply` again completes it.');
    }
    return `${lines.join('\n').replace(/^\n/, '')}\n`;
}
