import { parseOwnership } from '../model/ownership.js';
import { DIXA_SIP_DOMAIN_SUFFIX, dixaCompanyOf, RING_GROUP_OFFER_ALGORITHMS } from '../vendors/dixa-facts.js';
import { SYNTHFLOW_REGION_FACTS, type SynthflowRegion } from '../vendors/synthflow-facts.js';
import { parseSipUri } from '../language/values/network.js';
import { PULL_MARKER } from '../language/references/integration-scope.js';
import type { LiveDixaQueue, LiveSynthflowAssistant, LiveSynthflowNumber, LiveTransferConfig } from '../providers/types.js';
import type { DesiredDepartment, DesiredQueue } from '../model/index.js';
import { keepFileComments, NOT_READABLE_MARKER } from './keep-comments.js';
import type { PullReference, WrittenDepartment, WrittenSettings } from './reference.js';
import { settingsFromTransfer, TEXT_SYNTAX, TRANSFER_SETTINGS } from '../vendors/transfer-fields.js';
import type { PullSnapshot } from './snapshot.js';

export interface PullOptions {
    readonly region: SynthflowRegion;
    readonly workspace: string;
    /** Only numbers terminating on this Dixa SIP domain are pulled; default: `{organization subdomain}.sip.dixa.com`. */
    readonly sipDomain?: string;
    /** The integration name; default: the one sipflow's ownership markers name, else the organization's subdomain. */
    readonly integration?: string;
    /**
     * The file pulled against (`pull --from FILE`, Compare with Live): its names, its way of writing
     * defaults and its comments are kept where the live state agrees, and what no API returns is taken
     * from it, marked "not readable".
     */
    readonly reference?: PullReference;
}

export interface PulledConfiguration {
    readonly text: string;
    readonly integration: string;
    readonly departments: number;
    readonly queues: number;
    /** What the file could not say from the live accounts, for the user to review. */
    readonly notes: readonly string[];
}

interface PulledQueue {
    readonly key: string;
    readonly queue: LiveDixaQueue;
    readonly did: string;
    /** False when no phone usage of the queue shows the DID (it is the file's). */
    readonly didRead: boolean;
}

interface PulledEscalation {
    readonly target: { readonly queue: PulledQueue } | { readonly uri: string };
    readonly transfer: LiveTransferConfig;
    /** Which settings the file writes for this escalation (same target), to write them the same way. */
    readonly written?: WrittenSettings;
}

/** Dixa has no API for a phone flow's steps: timeout, fallback, UUI and headers live there. */
const FLOW_STEP_KEPT = `${NOT_READABLE_MARKER} Dixa has no API for flow steps (kept from the file)`;
const FLOW_STEP_RECOMMENDED = `${NOT_READABLE_MARKER} Dixa has no API for flow steps (the recommended value)`;
const QUEUE_DID_KEPT = `${NOT_READABLE_MARKER} no phone usage of the Dixa queue shows it (kept from the file)`;

interface PulledDepartment {
    readonly key: string;
    readonly number: LiveSynthflowNumber;
    readonly assistant: LiveSynthflowAssistant;
    readonly flow?: string;
    readonly fallback?: PulledQueue;
    /** True when the fallback is the file's, since no Dixa queue shows the number. */
    readonly fallbackFromFile: boolean;
    readonly reference?: DesiredDepartment;
    readonly written?: WrittenDepartment;
    readonly escalations: readonly PulledEscalation[];
}

/**
 * Turns a live snapshot into a formatted `.sipflow` file: numbers terminating on the Dixa SIP domain
 * become departments (with their inbound assistant and its transfer actions back to Dixa), and the Dixa
 * queues those reach become queues. Pure, so that the result can be tested without HTTP.
 */
// eslint-disable-next-line max-lines-per-function -- one pass over shared lookups (queue keys, matched queues, assistants by id); split, it would thread them all through helpers
export function renderPulledConfiguration(snapshot: PullSnapshot, options: PullOptions): PulledConfiguration {
    const notes: string[] = [];
    const sipDomain = (options.sipDomain ?? `${snapshot.organization.subdomain}${DIXA_SIP_DOMAIN_SUFFIX}`).toLowerCase();
    const numbers = snapshot.numbers.filter(number => number.sipTermUri?.toLowerCase() === sipDomain).sort((a, b) => a.e164.localeCompare(b.e164));
    const integration =
        options.integration ?? mostCommon(numbers.map(n => integrationOfOwner(parseOwnership(n.friendlyName)?.integration))) ?? identifier(snapshot.organization.subdomain, 'dixa');

    const assistantsById = new Map(snapshot.assistants.map(assistant => [assistant.modelId, assistant]));
    const actionsById = new Map(snapshot.actions.map(action => [action.actionId, action]));
    const reference = options.reference;
    const queueKeys = new UniqueKeys();
    const pulledQueues = new Map<string, PulledQueue>();
    // The file's queues, read by name (Dixa's natural key) whether or not a DID usage leads to them, under the file's keys.
    for (const wanted of reference?.desired.queues ?? []) {
        const queue = snapshot.queues.find(q => q.name === wanted.name && !pulledQueues.has(q.id));
        if (!queue) continue;
        const usages = queue.usages.PstnPhone ?? [];
        const liveDid = usages.includes(wanted.did) ? wanted.did : queueDid(queue, numbers);
        pulledQueues.set(queue.id, { key: queueKeys.take(wanted.key), queue, did: liveDid ?? wanted.did, didRead: liveDid !== undefined });
    }
    const sortedQueues = [...snapshot.queues].sort((a, b) => a.name.localeCompare(b.name));
    /** The Dixa queue calls to `did` land in (by its phone usages), declared once per queue. */
    const queueForDid = (did: string): PulledQueue | undefined => {
        const known = [...pulledQueues.values()].find(q => (q.queue.usages.PstnPhone ?? []).includes(did));
        if (known) return known;
        const queue = sortedQueues.find(q => (q.usages.PstnPhone ?? []).includes(did));
        if (!queue) return undefined;
        const pulled = { key: queueKeys.take(identifier(queue.name, 'queue')), queue, did: queueDid(queue, numbers) ?? did, didRead: true };
        pulledQueues.set(queue.id, pulled);
        return pulled;
    };
    /** The queue an escalation to `sip:{did}@…` reaches: the one declared with that DID, else by phone usages. */
    const queueForEscalation = (did: string): PulledQueue | undefined => [...pulledQueues.values()].find(q => q.did === did) ?? queueForDid(did);

    const departmentKeys = new UniqueKeys();
    const departments: PulledDepartment[] = [];
    for (const number of numbers) {
        // The inbound agent that answers the number (its `phone_number`); outbound agents may list it as a caller id.
        const assistant =
            number.assistants.map(id => assistantsById.get(id)).find(a => a?.type === 'inbound' && a.phoneNumber === number.e164) ??
            number.assistants.map(id => assistantsById.get(id)).find(a => a?.type === 'inbound');
        if (!assistant) {
            notes.push(`${number.e164} terminates on ${sipDomain} but is not attached to an assistant: left out.`);
            continue;
        }
        const flow = snapshot.phoneFlows.find(f => f.contactEndpointId === number.e164)?.name;
        const ownership = parseOwnership(number.friendlyName);
        const referenceDepartment = reference?.desired.departments.find(d => d.did === number.e164);
        const key = departmentKeys.take(
            referenceDepartment?.key ??
                (integrationOfOwner(ownership?.integration) === integration
                    ? ownership!.department
                    : identifier(flow ?? number.friendlyName ?? `line ${number.slug.slice(-4)}`, 'department')),
        );
        const written = referenceDepartment ? reference?.written[referenceDepartment.key] : undefined;
        const escalations: PulledEscalation[] = [];
        for (const actionId of assistant.actionIds) {
            const transfer = actionsById.get(actionId)?.liveTransfer;
            if (!transfer) continue;
            const uri = parseSipUri(transfer.phone);
            if (!uri.ok || uri.uri.host !== sipDomain) continue;
            const queue = queueForEscalation(uri.uri.user);
            const referenceIndex = referenceDepartment?.escalations.findIndex(e => e.target === transfer.phone) ?? -1;
            escalations.push({
                target: queue && queue.did === uri.uri.user && transfer.phone === `sip:${queue.did}@${sipDomain}` ? { queue } : { uri: transfer.phone },
                transfer,
                ...(referenceIndex >= 0 && written?.escalations[referenceIndex] ? { written: written.escalations[referenceIndex] } : {}),
            });
        }
        const inferredFallback = queueForDid(number.e164);
        const fileFallback = referenceDepartment?.fallbackQueue ? [...pulledQueues.values()].find(q => q.key === referenceDepartment.fallbackQueue) : undefined;
        const fallback = inferredFallback ?? fileFallback;
        if (!inferredFallback) {
            notes.push(
                `department ${key}: no Dixa queue lists ${number.e164} among its phone usages, so no fallback could be inferred${fileFallback ? `; ${fileFallback.key} is kept from the file` : ''}.`,
            );
        }
        departments.push({
            key,
            number,
            assistant,
            flow,
            fallback,
            fallbackFromFile: !inferredFallback && fallback !== undefined,
            escalations,
            ...(referenceDepartment ? { reference: referenceDepartment } : {}),
            ...(written ? { written } : {}),
        });
    }
    if (departments.length === 0) notes.push(`No Synthflow number terminates on ${sipDomain}.`);
    notes.push(
        reference
            ? 'Dixa flow steps cannot be read: timeouts, UUI and headers are kept from the file and marked "not readable"; check them in the flow builder.'
            : 'Dixa flow steps cannot be read: timeouts are written as the recommended 30s and marked "not readable"; check them in the flow builder.',
    );

    const queues = inFileOrder([...pulledQueues.values()], reference?.desired.queues ?? []);
    const ordered = inFileOrder(departments, reference?.desired.departments ?? []);
    const printed = print(integration, sipDomain, snapshot.organization.subdomain, options, queues, ordered);
    const text = reference?.text !== undefined ? keepFileComments(reference.text, printed) : printed;
    return { text, integration, departments: departments.length, queues: queues.length, notes };
}

/** The file's objects first, in the file's order (stable, so the rest keep theirs). */
function inFileOrder<T extends { readonly key: string }>(items: readonly T[], file: readonly (DesiredQueue | DesiredDepartment)[]): T[] {
    const rank = (item: T) => {
        const index = file.findIndex(f => f.key === item.key);
        return index < 0 ? file.length : index;
    };
    return [...items].sort((a, b) => rank(a) - rank(b));
}

/** The queue's own DID: the first phone usage that is not a department's number. */
function queueDid(queue: LiveDixaQueue, numbers: readonly LiveSynthflowNumber[]): string | undefined {
    return (queue.usages.PstnPhone ?? []).find(did => !numbers.some(n => n.e164 === did));
}

function print(
    integration: string,
    sipDomain: string,
    organization: string,
    options: PullOptions,
    queues: readonly PulledQueue[],
    departments: readonly PulledDepartment[],
): string {
    const region = SYNTHFLOW_REGION_FACTS[options.region];
    // The account guard expects the sip-domain's {company} unless the file names the organization.
    const organizationIsDefault = organization.toLowerCase() === dixaCompanyOf(sipDomain);
    const out: string[] = [
        // The marker line makes the file stand alone (integration-scope.ts), so it never clashes with the file it came from.
        `${PULL_MARKER} live state of integration ${integration}, read from Dixa and Synthflow.`,
        `// Checked by itself wherever it is. To adopt it as your configuration, delete the line above.`,
        `integration ${integration} {`,
        '',
        '  dixa {',
        `    sip-domain ${quote(sipDomain)}`,
        ...(organizationIsDefault ? [] : [`    organization ${quote(organization)}`]),
        '    allowlist synthflow',
        '  }',
        '',
        '  synthflow {',
        `    region ${options.region}  // ${region.apiHost}, ${region.sipHost}`,
        `    workspace ${quote(options.workspace)}`,
        '    trunk-auth ip',
        '  }',
    ];
    for (const { key, queue, did, didRead } of queues) {
        out.push('', `  queue ${key} {`, `    name ${quote(queue.name)}`, `    did ${quote(did)}${didRead ? '' : `  ${QUEUE_DID_KEPT}`}`);
        if (queue.offeringAlgorithm !== null && RING_GROUP_OFFER_ALGORITHMS.includes(queue.offeringAlgorithm)) out.push('    kind ring-group');
        out.push('  }');
    }
    for (const department of departments) {
        out.push('', `  department ${department.key} {`);
        if (department.flow) out.push(`    flow ${quote(department.flow)}`);
        out.push(`    did ${quote(department.number.e164)}`, `    assistant ${quote(department.assistant.modelId)}`);
        const { reference, written } = department;
        if (!reference) out.push(`    timeout 30s  ${FLOW_STEP_RECOMMENDED}`);
        else if (written?.timeout !== undefined) out.push(`    timeout ${written.timeout}  ${FLOW_STEP_KEPT}`);
        if (department.fallback) out.push(`    fallback ${department.fallback.key}${department.fallbackFromFile ? `  ${FLOW_STEP_KEPT}` : ''}`);
        if (reference && written?.uui) out.push(`    uui ${reference.uui.key}  ${FLOW_STEP_KEPT}`);
        for (const header of reference?.headers ?? []) out.push(`    header ${header.name} ${quote(header.value)}  ${FLOW_STEP_KEPT}`);
        for (const escalation of department.escalations) out.push(...printEscalation(escalation));
        out.push('  }');
    }
    out.push('}', '');
    return out.join('\n');
}

function printEscalation({ target, transfer, written }: PulledEscalation): string[] {
    const head = `    escalate ${'queue' in target ? target.queue.key : quote(target.uri)}`;
    const settings: string[] = [];
    const live = settingsFromTransfer(transfer);
    for (const { required, setting } of TRANSFER_SETTINGS) {
        // A required field in a form the file has no word for is written as the default.
        const value = live[setting.keyword] ?? (required ? setting.default : undefined);
        if (value === undefined) continue;
        // Defaults are left implicit unless the file writes them out.
        if (value === setting.default && !written?.[setting.keyword]) continue;
        settings.push(`${setting.keyword} ${setting.syntax === TEXT_SYNTAX ? quote(value) : value}`);
    }
    if (settings.length === 0) return [head];
    return [`${head} {`, ...settings.map(s => `      ${s}`), '    }'];
}

function quote(text: string): string {
    return `"${text
        .replace(/\\/g, '\\\\')
        .replace(/"/g, '\\"')
        .replace(/[\r\n]+/g, ' ')}"`;
}

const TRANSLITERATION: Readonly<Record<string, string>> = { æ: 'ae', ø: 'oe', å: 'aa', ß: 'ss', Æ: 'AE', Ø: 'OE', Å: 'AA' };

/** A `.sipflow` name from free text: `Phone – Tier 1` → `phone_tier_1`. */
export function identifier(text: string, fallback: string): string {
    // Danish and German letters that NFKD does not decompose (Dixa is used a lot in the Nordics). The class is
    // all of non-ASCII, written as escapes: the bundles must stay ASCII (scripts/ascii-bundles.mjs).
    const transliterated = text.replace(/[\u0080-\uffff]/g, letter => TRANSLITERATION[letter] ?? letter);
    const words =
        transliterated
            .normalize('NFKD')
            .replace(/[\u0300-\u036f]/g, '')
            .toLowerCase()
            .match(/[a-z0-9]+/g) ?? [];
    const name = words.join('_');
    if (name === '') return fallback;
    return /^[a-z_]/.test(name) ? name : `${fallback}_${name}`;
}

function mostCommon(values: readonly (string | undefined)[]): string | undefined {
    const counts = new Map<string, number>();
    for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

class UniqueKeys {
    private readonly used = new Set<string>();
    take(base: string): string {
        let key = base;
        for (let n = 2; this.used.has(key); n++) key = `${base}_${n}`;
        this.used.add(key);
        return key;
    }
}

/** `acme@staging` → `acme`: an environment's resources belong to the integration too (model/ownership.ts). */
function integrationOfOwner(owner: string | undefined): string | undefined {
    return owner?.split('@')[0];
}
