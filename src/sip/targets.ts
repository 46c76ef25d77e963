/** The SIP endpoints an integration depends on, as probe targets. */
import type { DesiredState } from '../model/index.js';
import { DIXA_SIP_PORT } from '../vendors/dixa-facts.js';
import { SYNTHFLOW_REGION_FACTS, SYNTHFLOW_SIP_PORT, SYNTHFLOW_SIP_TLS_PORT } from '../vendors/synthflow-facts.js';
import type { ProbeTarget } from './probe.js';

/**
 * Synthflow's SIP host of the file's region on 32681 (UDP, TCP) and 32682 (TLS): where Dixa's transfer
 * step sends calls; and the Dixa SIP domain on 5060 (UDP): where the assistants' escalations go.
 */
export function integrationProbeTargets(desired: DesiredState): ProbeTarget[] {
    const region = desired.synthflow.region;
    const synthflowHost = SYNTHFLOW_REGION_FACTS[region].sipHost;
    const synthflow = `Synthflow ${region}`;
    return [
        { label: synthflow, host: synthflowHost, port: SYNTHFLOW_SIP_PORT, transport: 'udp' },
        { label: synthflow, host: synthflowHost, port: SYNTHFLOW_SIP_PORT, transport: 'tcp' },
        { label: synthflow, host: synthflowHost, port: SYNTHFLOW_SIP_TLS_PORT, transport: 'tls' },
        { label: 'Dixa SIP domain', host: desired.dixa.sipDomain, port: DIXA_SIP_PORT, transport: 'udp' },
    ];
}
