import type { DesiredState } from '../model/types.js';
import type { DixaProvider, LiveSynthflowNumber, SynthflowProvider } from '../providers/types.js';
import type { DixaEvidence } from './types.js';

/** Reads everything the checklist can verify from Dixa (four GETs, in parallel). Errors propagate. */
export async function readDixaEvidence(dixa: DixaProvider): Promise<DixaEvidence> {
    const [organization, telephonyEndpoints, phoneFlows, queues] = await Promise.all([
        dixa.getOrganization(),
        dixa.listTelephonyEndpoints(),
        dixa.listPhoneFlows(),
        dixa.listQueues(),
    ]);
    return { organization, telephonyEndpoints, phoneFlows, queues };
}

/**
 * Reads the departments' numbers from Synthflow (one GET each), so the checklist can confirm that a number
 * is attached to its assistant. Errors propagate.
 */
export async function readSynthflowEvidence(desired: DesiredState, synthflow: SynthflowProvider): Promise<Pick<DixaEvidence, 'synthflowNumbers'>> {
    const numbers = await Promise.all(desired.departments.map(department => synthflow.getNumber(department.did)));
    return { synthflowNumbers: numbers.filter((n): n is LiveSynthflowNumber => n !== undefined) };
}
