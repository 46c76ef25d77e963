/**
 * Synthflow facts: the one table of regions, hosts, ports, signalling and media IPs, codecs and enums.
 * Sources: shared/reference/synthflow-api.md §2, §4, §9, §10 (docs.synthflow.ai connect-over-sip,
 * sip-trunking-acl, ip-allow-lists, legacy-cluster-migration). The two signalling-IP pages disagree for
 * the Global region; the union is used.
 */

export const SYNTHFLOW_REGIONS = ['global', 'us', 'eu'] as const;
export type SynthflowRegion = (typeof SYNTHFLOW_REGIONS)[number];

export interface SynthflowRegionFacts {
    /** REST API base URL, including the version prefix. */
    readonly apiBaseUrl: string;
    readonly apiHost: string;
    readonly sipHost: string;
    /** Source IPs of Synthflow's SIP signalling: what Dixa must allowlist. */
    readonly signallingIps: readonly string[];
    /** Source and destination IPs of Synthflow's RTP media (connect-over-sip). */
    readonly mediaIps: readonly string[];
    readonly description: string;
}

export const SYNTHFLOW_SIP_PORT = 32681;
export const SYNTHFLOW_SIP_TLS_PORT = 32682;
/** Synthflow's RTP media port range (UDP), both directions. */
export const SYNTHFLOW_RTP_PORTS = { protocol: 'UDP', first: 10000, last: 60000 } as const;
/** Codecs Synthflow accepts on a trunk; the docs advise starting with G.711. */
export const SYNTHFLOW_CODECS = { recommended: ['G.711 µ-law (PCMU)', 'G.711 A-law (PCMA)'], alsoSupported: ['Opus'] } as const;
/** How long Synthflow takes to set the trunk up after a number is attached to an assistant (sip-with-dixa). */
export const SYNTHFLOW_REGISTRATION_WAIT = '1–2 minutes';

/** The only documented Synthflow 403 is on number import: provider import not enabled (synthflow-api.md §3, §4). */
export const NUMBER_IMPORT_FORBIDDEN =
    "custom SIP number import is not enabled for this workspace: SIP trunking needs Synthflow's Enterprise plan; ask Synthflow to enable provider import";

/** Whether a failed Synthflow request is the number import's 403 (operation as the providers name it, e.g. `POST /custom-numbers`). */
export function isNumberImportForbidden(operation: string | null, status: number | null): boolean {
    return status === 403 && operation !== null && /^POST \/custom-numbers\b/.test(operation);
}

export const SYNTHFLOW_REGION_FACTS: Readonly<Record<SynthflowRegion, SynthflowRegionFacts>> = {
    global: {
        apiBaseUrl: 'https://api.synthflow.ai/v2',
        apiHost: 'api.synthflow.ai',
        sipHost: 'sip.synthflow.ai',
        signallingIps: ['34.138.86.8', '34.75.151.191', '34.23.45.239', '35.231.28.238'],
        mediaIps: ['34.73.190.14', '35.237.117.4', '34.148.74.207'],
        description: 'Global (legacy) cluster, being retired by the end of 2026',
    },
    us: {
        apiBaseUrl: 'https://api.us.synthflow.ai/v2',
        apiHost: 'api.us.synthflow.ai',
        sipHost: 'sip.us.synthflow.ai',
        signallingIps: ['35.237.42.43', '34.139.4.161', '4.138.180.50'],
        // connect-over-sip lists further LATAM media IPs for US workspaces; they are not copied here.
        mediaIps: ['34.74.219.233', '34.73.16.58', '34.74.102.178'],
        description: 'United States',
    },
    eu: {
        apiBaseUrl: 'https://api.eu.synthflow.ai/v2',
        apiHost: 'api.eu.synthflow.ai',
        sipHost: 'sip.eu.synthflow.ai',
        signallingIps: ['34.185.212.150', '34.89.186.33', '35.242.217.198'],
        mediaIps: ['34.89.251.213', '35.198.108.150', '34.141.20.211'],
        description: 'European Union',
    },
};

/** The regions Synthflow is not retiring: where a `region global` workspace moves (legacy-cluster-migration). */
export const SYNTHFLOW_SUCCESSOR_REGIONS = ['eu', 'us'] as const satisfies readonly SynthflowRegion[];
export const SYNTHFLOW_GLOBAL_RETIREMENT =
    'Synthflow is retiring the global (legacy) cluster: by the end of 2026 enterprise workspaces move to US or EU (US if the customer does not choose)';

export function isSynthflowRegion(value: string | undefined): value is SynthflowRegion {
    return value !== undefined && (SYNTHFLOW_REGIONS as readonly string[]).includes(value);
}

/** `.sipflow` escalation modes → Synthflow `LIVE_TRANSFER.transfer_mode`. */
export const TRANSFER_MODES = {
    warm: 'warm_transfer',
    'warm-with-context': 'warm_transfer_with_context',
    cold: 'cold_transfer',
} as const;
export type TransferModeKeyword = keyof typeof TRANSFER_MODES;
export type SynthflowTransferMode = (typeof TRANSFER_MODES)[TransferModeKeyword];
/** The mode of an escalation that does not write one: warm (SIP INVITE), what Dixa is known to accept. */
export const DEFAULT_TRANSFER_MODE: TransferModeKeyword = 'warm';

/** Names of the inbound X-… headers Synthflow turns into variables (sip-x-headers-in-prompts); case-sensitive. */
export const SYNTHFLOW_X_HEADER_NAME = /^X-[A-Za-z0-9\-_]+$/;
/** Characters a header value must not hold (CR, LF, NUL). */
export const FORBIDDEN_HEADER_VALUE_CHARS = /[\r\n\0]/;
/** The variable an inbound X-… header becomes in Synthflow: its name, prefix kept, in braces. */
export function synthflowHeaderVariable(name: string): string {
    return `{${name}}`;
}

/** The UUI key the Dixa guide prescribes; its value is the caller's E.164 number. */
export const DEFAULT_UUI_KEY = 'phone_number';

/** Defaults the language applies when an escalation omits `when` / `say`. */
export const DEFAULT_ESCALATION_WHEN = 'The caller asks to speak to a human, or the assistant cannot resolve the request';
export const DEFAULT_ESCALATION_SAY = 'One moment, I am transferring you to a colleague.';

/** Synthflow number slug: the E.164 number without its `+`. */
export function numberSlug(e164: string): string {
    return e164.replace(/^\+/, '');
}

/** The SIP address Dixa's transfer step dials to reach the assistant on this DID. */
export function synthflowSipAddress(did: string, region: SynthflowRegion): string {
    return `${did}@${SYNTHFLOW_REGION_FACTS[region].sipHost}:${SYNTHFLOW_SIP_PORT}`;
}
