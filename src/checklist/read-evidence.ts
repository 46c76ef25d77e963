import type { DixaProvider } from '../providers/types.js';
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
