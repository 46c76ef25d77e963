import { DIXA_SIP_DOMAIN_SUFFIX, QUEUE_KINDS, TRANSFER_TIMEOUT, type QueueKindKeyword } from '../../vendors/dixa-facts.js';
import {
    DEFAULT_UUI_KEY,
    SYNTHFLOW_REGION_FACTS,
    SYNTHFLOW_REGIONS,
    SYNTHFLOW_SIP_PORT,
    TRANSFER_MODES,
    type SynthflowRegion,
    type TransferModeKeyword,
} from '../../vendors/synthflow-facts.js';
import { TRANSFER_SETTINGS, transferSettingDoc } from '../../vendors/transfer-fields.js';

/** Markdown for one region: what `region X` means for hosts and allowlisted IPs. */
export function regionDoc(region: SynthflowRegion): string {
    const facts = SYNTHFLOW_REGION_FACTS[region];
    return [
        `**region ${region}**: ${facts.description}.`,
        '',
        `- API: \`${facts.apiHost}\``,
        `- SIP: \`${facts.sipHost}:${SYNTHFLOW_SIP_PORT}\``,
        `- signalling IPs (\`allowlist synthflow\`): ${facts.signallingIps.map(ip => `\`${ip}\``).join(', ')}`,
    ].join('\n');
}

/** One line per transfer mode; the Synthflow side of each comes from the facts table. */
const TRANSFER_MODE_EFFECTS: Readonly<Record<TransferModeKeyword, string>> = {
    warm: 'Synthflow dials Dixa with a new SIP INVITE and stays in control until Dixa answers. The default, and what Dixa is known to accept.',
    'warm-with-context': 'Like `warm` (SIP INVITE), and Synthflow adds a summary of the conversation for the agent.',
    cold: 'Synthflow hands the call over with SIP REFER. Dixa is not confirmed to accept REFER, so the call may drop: prefer `warm`.',
};

export function transferModeDoc(mode: TransferModeKeyword): string {
    return `**mode ${mode}** (Synthflow \`transfer_mode: ${TRANSFER_MODES[mode]}\`): ${TRANSFER_MODE_EFFECTS[mode]}`;
}

const QUEUE_KIND_EFFECTS: Readonly<Record<QueueKindKeyword, string>> = {
    queue: 'a Dixa agent queue (the default).',
    'ring-group': 'a ring group: Dixa offers the call to all its agents at once (Dixa models it as a queue).',
};

export function queueKindDoc(kind: QueueKindKeyword): string {
    return `**kind ${kind}**: ${QUEUE_KIND_EFFECTS[kind]}`;
}

const { min, max, usualMin, usualMax, recommended } = TRANSFER_TIMEOUT;

/**
 * The documentation of every keyword, for hover and completion. A key `Rule:keyword` documents a keyword in one
 * grammar rule only (`queue` as a queue kind, `synthflow` after `allowlist`); a plain key documents it everywhere else.
 */
export const KEYWORD_DOCS: Readonly<Record<string, string>> = {
    integration: '**integration** `NAME { … }`: one Dixa ⇄ Synthflow SIP integration, one per file. Files that declare the same integration name share their queues.',
    dixa: '**dixa** `{ … }`: the Dixa side of the integration: its `sip-domain`, the `allowlist` of source IPs Dixa accepts calls from and, optionally, the `organization` it is for.',
    organization: `**organization** \`"subdomain"\` (optional): the Dixa organization this file is for, as its subdomain (\`GET /organization\` → \`subdomain\`, the \`{subdomain}.dixa.com\` of the Dixa web app). plan, apply and verify --call refuse, before any write, a Dixa token of another organization. Default: the \`{company}\` of \`sip-domain "{company}${DIXA_SIP_DOMAIN_SUFFIX}"\`; write it when your organization's subdomain differs from that.`,
    'sip-domain': `**sip-domain** \`"{company}${DIXA_SIP_DOMAIN_SUFFIX}"\`: the Dixa SIP domain (Dixa → Settings → Phone → SIP Settings). Escalations dial \`sip:{queue did}@{sip-domain}\`.`,
    allowlist: '**allowlist** `synthflow` or `"ip", "ip", …`: the source IPs Dixa accepts INVITEs from. Without it, Dixa rejects Synthflow\'s calls.',
    'Allowlist:synthflow': `**allowlist synthflow**: allowlist the signalling IPs of the region declared in the \`synthflow\` block:\n\n${SYNTHFLOW_REGIONS.map(r => `- ${r}: ${SYNTHFLOW_REGION_FACTS[r].signallingIps.join(', ')}`).join('\n')}`,
    synthflow: '**synthflow** `{ … }`: the Synthflow side of the integration: its `region` (required), `workspace` id and `trunk-auth`.',
    region: `**region** \`global | us | eu\`: the Synthflow region (Workspace Settings → Preferences → Customer Region). It decides the API host \`api[.region].synthflow.ai\`, the SIP host \`sip[.region].synthflow.ai:${SYNTHFLOW_SIP_PORT}\` and the IPs to allowlist.`,
    ...Object.fromEntries(SYNTHFLOW_REGIONS.map(region => [region, regionDoc(region)])),
    workspace: '**workspace** `"…"`: the Synthflow workspace id (from the Synthflow dashboard), needed to import numbers.',
    'trunk-auth': '**trunk-auth** `ip | credentials { … }`: how Dixa authenticates Synthflow. `ip` (the default) relies on the allowlist.',
    ip: '**trunk-auth ip**: Dixa authenticates Synthflow by its source IP (see `allowlist`); no credentials are sent.',
    credentials:
        '**trunk-auth credentials** `{ username env:X password env:Y }`: SIP credentials, only as `env:` references. Synthflow receives them as `trunk_username` / `trunk_pwd` (write-only).',
    username: '**username** `env:NAME`: the SIP trunk username, read from the environment variable (or VS Code SecretStorage entry) NAME. Never a literal.',
    password: '**password** `env:NAME`: the SIP trunk password, read from the environment variable (or VS Code SecretStorage entry) NAME. Never a literal.',
    queue: '**queue** `NAME { name "…" did "+E164" kind queue|ring-group }`: a Dixa agent queue reachable at a DID. Departments fall back and escalate to it; escalations dial `sip:{did}@{sip-domain}`.',
    ...Object.fromEntries(QUEUE_KINDS.map(kind => [kind === 'queue' ? 'QueueKind:queue' : kind, queueKindDoc(kind)])),
    name: '**name** `"…"`: the queue\'s name in Dixa, used to find the queue.',
    kind: '**kind** `queue | ring-group`: whether Dixa offers calls one agent at a time (`queue`, the default) or to all at once (`ring-group`).',
    environment:
        "**environment** `NAME { … }`: a configuration besides the default (the top level), e.g. `staging`: its `dixa`, `synthflow`, `queue NAME` and `department NAME` blocks hold only the settings that differ there; a list setting (allowlist, header, escalate) replaces the default's list. `sipflow plan --env NAME` plans it; `validate` checks every environment.",
    department:
        '**department** `NAME { … }`: one inbound DID routed to one Synthflow assistant: a Synthflow custom number attached to the assistant, and a transfer step in the Dixa phone flow of that DID.',
    flow: '**flow** `"…"` (optional): the Dixa phone flow of this DID, used to verify that it exists.',
    did: '**did** `"+E164"`: the phone number in E.164 (`+`, country code, digits only). The Synthflow number slug is the digits without `+`.',
    assistant:
        '**assistant** `"uuid"`: the Synthflow assistant\'s `model_id` (assistants v2.0+). An inbound assistant answers one DID (Synthflow gives it a single `phone_number`), so each department needs its own.',
    timeout: `**timeout** \`${recommended}s\`: how long Dixa's transfer step waits for Synthflow before the fallback queue: ${min}s–${max}s, usually ${usualMin}s–${usualMax}s, default ${recommended}s. Units: \`ms\`, \`s\`, \`m\`.`,
    fallback: '**fallback** `QUEUE`: the queue Dixa sends the call to if Synthflow does not answer within the timeout.',
    uui: `**uui** \`${DEFAULT_UUI_KEY}\`: the key of the UUI header Dixa sends to Synthflow (default \`${DEFAULT_UUI_KEY}\`); its value is the caller's E.164 number: \`${DEFAULT_UUI_KEY}={caller}\`.`,
    header: '**header** `X-Name "value"` (optional, repeatable): an X- header Dixa\'s transfer step should send to Synthflow, e.g. `header X-Caller "{caller}"`. Synthflow reads every inbound `X-…` header as the variable `{X-Name}` (prompts, actions, transfer headers). Names: `X-` then letters, digits, `-` or `_` (case-sensitive); values on one line. Dixa has no API for flow steps: `sipflow checklist` lists it to set by hand.',
    escalate:
        '**escalate** `QUEUE | "sip:…" [{ … }]`: the assistant\'s live transfer back to Dixa (Synthflow `LIVE_TRANSFER`), to `sip:{queue did}@{sip-domain}` or an explicit SIP URI on the Dixa domain.',
    // mode, when, say, failed: from the transfer field table.
    ...Object.fromEntries(TRANSFER_SETTINGS.map(({ setting }) => [setting.keyword, transferSettingDoc(setting)])),
    ...Object.fromEntries((Object.keys(TRANSFER_MODES) as TransferModeKeyword[]).map(mode => [mode, transferModeDoc(mode)])),
};

/** The documentation of a keyword written in the given grammar rule, if there is any. */
export function keywordDoc(keyword: string, ruleName?: string): string | undefined {
    return (ruleName !== undefined ? KEYWORD_DOCS[`${ruleName}:${keyword}`] : undefined) ?? KEYWORD_DOCS[keyword];
}
