import { buildChecklist, checklistSummary, type DixaEvidence } from '../../checklist/index.js';
import type { DesiredState } from '../../model/index.js';

// Not in shared-options.ts: that file is imported by validate, which must not load the checklist (and the
// account guard it uses); main.ts loads each command's modules only.
/** The one-line status of the manual checklist that plan and apply end with. */
export function checklistStatusLine(desired: DesiredState, evidence: DixaEvidence): string {
    const checklist = buildChecklist(desired, evidence);
    const failed = checklist.counts.failed;
    return `${checklistSummary(checklist)}${failed > 0 || checklist.counts.unverifiable > 0 ? ' (run sipflow checklist for the steps)' : ''}`;
}
