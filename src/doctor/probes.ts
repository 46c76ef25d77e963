/**
 * `sipflow doctor`'s probes: live reads (and, opt-in, one create-and-delete) that settle the assumptions
 * sipflow could not check offline (./assumptions.ts); the opt-in write probes are in ./write-probes.ts. Each probe says confirmed, contradicted or unknown,
 * with what it read. Probes never throw: a vendor failure makes the probe's answer unknown (or, for the
 * reachability checks, contradicted), with the vendor's message (providers never put secrets in one).
 */
import type { DixaOrganization, LiveSynthflowAction } from '../providers/types.js';
import type { SynthflowClient } from '../providers/synthflow/index.js';
import { SYNTHFLOW_PAGE_SIZE } from '../providers/synthflow/index.js';
import { compareOrganization } from '../apply/account-guard.js';
import type { DesiredState } from '../model/index.js';
import type { DoctorInput, DoctorReport, Finding, Verdict } from './finding.js';
import { failure, finding, plural } from './finding.js';
import { ATTACH_TITLE, combine, poolCallProbe, writeProbe } from './write-probes.js';

export type { DoctorInput, DoctorReport, Finding, Verdict } from './finding.js';
export { PROBE_ACTION_PREFIX } from './finding.js';

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
    const { desired, synthflow } = input;
    const findings: Finding[] = [];
    const problems: string[] = [];

    // ─── Reachability ───────────────────────────────────────────────────────────────────────────────
    let organization: DixaOrganization | undefined;
    try {
        organization = await input.dixa.getOrganization();
        findings.push(
            finding(
                'dixa-organization',
                'the Dixa token reaches an organization',
                'confirmed',
                `GET /organization: "${organization.name}" (${organization.id}), subdomain "${organization.subdomain}".`,
            ),
        );
    } catch (error) {
        findings.push(finding('dixa-organization', 'the Dixa token reaches an organization', 'contradicted', `GET /organization failed: ${failure(error)}`));
    }
    findings.push(await probeWorkspace(input));
    for (const department of desired.departments) findings.push(await probeAssistant(synthflow, department.key, department.assistantId));

    // ─── Assumptions ────────────────────────────────────────────────────────────────────────────────
    findings.push(subdomainFinding(desired, organization));

    let actions: LiveSynthflowAction[] | undefined;
    let actionsError: string | undefined;
    try {
        actions = await synthflow.listActions();
    } catch (error) {
        actionsError = `GET /actions failed: ${failure(error)}`;
    }
    const write = input.writeProbes ? await writeProbe(input, problems) : undefined;
    findings.push(combine(readBackFinding(actions, actionsError), write?.readBack));
    findings.push(combine(sipTargetFinding(actions, actionsError), write?.sipTarget));
    findings.push(combine(namesFinding(desired, actions, actionsError), write?.names));
    findings.push(await pageSizeFinding(synthflow));
    findings.push(await numberImportFinding(synthflow));
    findings.push(
        write?.attach ??
            finding(
                'attach',
                ATTACH_TITLE,
                'unknown',
                input.writeProbes
                    ? 'Not probed: the probe action could not be created.'
                    : 'Not probed read-only (--write-probes attaches the probe action to an assistant for a moment). sipflow attaches only new ids and reads the list back, restoring anything the API dropped, so either answer is safe.',
                'attach-adds',
            ),
    );
    findings.push(combine(await outboundPoolFinding(input), input.writeProbes ? await poolCallProbe(input) : undefined));
    findings.push(await queueOrderFinding(input));
    findings.push(await callActionsFinding(input, actions));

    const counts: Record<Verdict, number> = { confirmed: 0, contradicted: 0, unknown: 0 };
    for (const f of findings) counts[f.verdict]++;
    return { integration: desired.integration, writeProbes: input.writeProbes, findings, problems, counts };
}

async function probeWorkspace({ desired, synthflow }: DoctorInput): Promise<Finding> {
    const title = `the Synthflow key reaches workspace ${desired.synthflow.workspace}`;
    // [I] assumption: synthflow-key-workspace (what the account guard cannot check, reported here)
    const id = 'synthflow-key-workspace';
    try {
        const page = await synthflow.probeListPage('numbers', 1);
        const total = page.totalRecords ?? page.items;
        if (total > 0) return finding('synthflow-workspace', title, 'confirmed', `GET /numbers?workspace=… answers with ${plural(total, 'number')}.`, id);
        // The API has no workspace lookup (synthflow-api.md §12): an id it does not know may list nothing too.
        return finding(
            'synthflow-workspace',
            title,
            'unknown',
            'GET /numbers?workspace=… answers, with no numbers: an unknown workspace id could answer the same (no API reads a workspace); compare the id with the dashboard.',
            id,
        );
    } catch (error) {
        return finding('synthflow-workspace', title, 'contradicted', `GET /numbers?workspace=… failed: ${failure(error)}`, id);
    }
}

async function probeAssistant(synthflow: SynthflowClient, key: string, modelId: string): Promise<Finding> {
    const probe = `assistant:${key}`;
    const title = `department ${key}'s assistant ${modelId} exists and is inbound`;
    try {
        const assistant = await synthflow.getAssistant(modelId);
        if (!assistant) return finding(probe, title, 'contradicted', `GET /assistants/${modelId}: no such assistant.`);
        const read = `"${assistant.name}", type ${assistant.type || '(none)'}, number ${assistant.phoneNumber ?? 'none'}.`;
        return finding(probe, title, assistant.type === 'inbound' ? 'confirmed' : 'contradicted', read);
    } catch (error) {
        return finding(probe, title, 'unknown', `GET /assistants/${modelId} failed: ${failure(error)}`);
    }
}

/** The account guard's comparison (src/apply/account-guard.ts): one rule for apply and doctor. */
function subdomainFinding(desired: DesiredState, organization: DixaOrganization | undefined): Finding {
    const id = 'dixa-subdomain-is-company';
    const expected = desired.dixa.organization;
    const title =
        expected?.from === 'file'
            ? `the Dixa token reaches organization "${expected.subdomain}", as the file's organization says`
            : "Dixa organization.subdomain is the sip-domain's {company}";
    if (!organization) return finding('subdomain', title, 'unknown', 'The organization could not be read.', id);
    const verdict = compareOrganization(expected, organization);
    if (verdict === 'unknown')
        return finding('subdomain', title, 'unknown', `sip-domain "${desired.dixa.sipDomain}" is not of the form {company}.sip.dixa.com and the file has no organization.`, id);
    const read =
        expected!.from === 'file'
            ? `subdomain "${organization.subdomain}", the file's organization "${expected!.subdomain}" (the sip-domain default is not used).`
            : `subdomain "${organization.subdomain}", sip-domain "${desired.dixa.sipDomain}".`;
    const advice = verdict === 'mismatch' ? ' plan and apply refuse this token for this file (the account guard).' : '';
    return finding('subdomain', title, verdict === 'match' ? 'confirmed' : 'contradicted', `${read}${advice}`, id);
}

const liveTransfers = (actions: readonly LiveSynthflowAction[]) => actions.filter(a => a.actionType === 'LIVE_TRANSFER');

function readBackFinding(actions: LiveSynthflowAction[] | undefined, error: string | undefined): Finding {
    const id = 'live-transfer-read-back';
    const title = 'LIVE_TRANSFER actions read back their configuration';
    if (!actions) return finding('read-back', title, 'unknown', error ?? '', id);
    const transfers = liveTransfers(actions);
    if (transfers.length === 0) return finding('read-back', title, 'unknown', 'The workspace has no LIVE_TRANSFER action to read (--write-probes creates one).', id);
    const unreadable = transfers.filter(a => !a.liveTransfer);
    if (unreadable.length === 0)
        return finding('read-back', title, 'confirmed', `All ${plural(transfers.length, 'LIVE_TRANSFER action')} show parameters_hard_coded with phone.`, id);
    return finding(
        'read-back',
        title,
        'contradicted',
        `${unreadable.length} of ${plural(transfers.length, 'LIVE_TRANSFER action')} show no configuration (${unreadable
            .slice(0, 3)
            .map(a => a.actionId)
            .join(', ')}${unreadable.length > 3 ? ', …' : ''}).`,
        id,
    );
}

function sipTargetFinding(actions: LiveSynthflowAction[] | undefined, error: string | undefined): Finding {
    const id = 'sip-uri-in-transfer-phone';
    const title = 'LIVE_TRANSFER.phone accepts a sip: URI';
    if (!actions) return finding('sip-target', title, 'unknown', error ?? '', id);
    const readable = liveTransfers(actions).filter(a => a.liveTransfer);
    const sip = readable.filter(a => /^sips?:/i.test(a.liveTransfer!.phone));
    if (sip.length > 0)
        return finding('sip-target', title, 'confirmed', `${plural(sip.length, 'existing LIVE_TRANSFER')} target a SIP URI (e.g. ${sip[0]!.liveTransfer!.phone}).`, id);
    // Reading can only confirm: no sip: target yet proves nothing.
    return finding('sip-target', title, 'unknown', `None of ${plural(readable.length, 'readable LIVE_TRANSFER action')} targets a sip: URI (--write-probes creates one).`, id);
}

function namesFinding(desired: DesiredState, actions: LiveSynthflowAction[] | undefined, error: string | undefined): Finding {
    const id = 'live-transfer-name-kept';
    const title = 'the name sipflow gives a LIVE_TRANSFER is kept';
    if (!actions) return finding('names', title, 'unknown', error ?? '', id);
    const named = actions.filter(a => a.name?.startsWith('sipflow:'));
    if (named.length > 0) return finding('names', title, 'confirmed', `${plural(named.length, 'action')} carry the sipflow: prefix (e.g. "${named[0]!.name}").`, id);
    // Transfers to this Dixa domain are most likely sipflow's; without the prefix, the name was not kept.
    const domain = `@${desired.dixa.sipDomain.toLowerCase()}`;
    const toDixa = liveTransfers(actions).filter(a => a.liveTransfer && a.liveTransfer.phone.toLowerCase().includes(domain));
    if (toDixa.length > 0) {
        return finding(
            'names',
            title,
            'contradicted',
            `${plural(toDixa.length, 'LIVE_TRANSFER')} to ${desired.dixa.sipDomain} but none named sipflow:… (e.g. "${toDixa[0]!.name ?? '(no name)'}"): the API drops the name, or they were made outside sipflow.`,
            id,
        );
    }
    return finding('names', title, 'unknown', 'No action carries the sipflow: prefix and none targets the Dixa SIP domain (apply, or --write-probes, makes one).', id);
}

async function pageSizeFinding(synthflow: SynthflowClient): Promise<Finding> {
    const id = 'synthflow-max-page-size';
    const limit = SYNTHFLOW_PAGE_SIZE;
    const title = `Synthflow lists honour limit=${limit}`;
    try {
        const page = await synthflow.probeListPage('actions', limit);
        const read = `GET /actions?limit=${limit}: ${plural(page.items, 'item')}, pagination.limit ${page.paginationLimit ?? 'absent'}, total_records ${page.totalRecords ?? 'absent'}.`;
        const cut = page.totalRecords !== undefined && page.items < limit && page.items < page.totalRecords;
        if (cut || (page.paginationLimit !== undefined && page.paginationLimit < limit)) return finding('page-size', title, 'contradicted', read, id);
        if (page.paginationLimit === limit || page.items >= limit) return finding('page-size', title, 'confirmed', read, id);
        return finding('page-size', title, 'unknown', `${read} Too few actions to tell, and no pagination.limit.`, id);
    } catch (error) {
        return finding('page-size', title, 'unknown', `GET /actions?limit=${limit} failed: ${failure(error)}`, id);
    }
}

async function numberImportFinding(synthflow: SynthflowClient): Promise<Finding> {
    const id = 'number-import-permitted';
    const title = 'the workspace may import custom numbers';
    try {
        const answer = await synthflow.probeNumberImportPermission();
        const read = `POST /custom-numbers without a number answered ${answer.status}${answer.message ? ` "${answer.message}"` : ''}.`;
        if (answer.status === 403) return finding('number-import', title, 'contradicted', `${read} Ask Synthflow to enable number import for the workspace.`, id);
        // Taken to mean permitted: the permission check is expected before body validation (a 403 on a bad body shows it is).
        if (answer.status === 400 || answer.status === 422) return finding('number-import', title, 'confirmed', `${read} The request got past the permission check.`, id);
        return finding('number-import', title, 'unknown', read, id);
    } catch (error) {
        return finding('number-import', title, 'unknown', `POST /custom-numbers failed: ${failure(error)}`, id);
    }
}

async function outboundPoolFinding({ desired, synthflow }: DoctorInput): Promise<Finding> {
    const id = 'outbound-pool-not-inbound';
    const title = 'the outbound pool does not route inbound calls';
    const pools: string[] = [];
    for (const department of desired.departments) {
        try {
            const assistant = await synthflow.getAssistant(department.assistantId);
            if (assistant && assistant.poolNumbers.length > 0) pools.push(`${department.key}: ${assistant.poolNumbers.join(', ')}`);
        } catch {
            // Reported by the assistant probe already.
        }
    }
    const seen = pools.length > 0 ? ` The file's assistants with a pool: ${pools.join('; ')}.` : " None of the file's assistants has a pool.";
    return finding('outbound-pool', title, 'unknown', `Unknown by reading: no API shows call routing (--write-probes places a test call to a pool number).${seen}`, id);
}

/** Two reads of Dixa's queue list in a row: the same order confirms it is stable (what chooseQueue relies on for twins). */
async function queueOrderFinding({ dixa }: DoctorInput): Promise<Finding> {
    const id = 'dixa-queue-list-order';
    const title = 'Dixa lists queues in one stable order';
    try {
        const first = (await dixa.listQueues()).map(q => q.id);
        const second = (await dixa.listQueues()).map(q => q.id);
        const read = `GET /queues twice: ${plural(first.length, 'queue')}, then ${second.length}.`;
        if (first.length !== second.length || new Set([...first, ...second]).size !== first.length)
            return finding('queue-order', title, 'unknown', `${read} The list changed between the reads; run doctor again.`, id);
        if (first.length < 2) return finding('queue-order', title, 'unknown', `${read} Too few queues for an order.`, id);
        if (first.every((queueId, i) => queueId === second[i])) return finding('queue-order', title, 'confirmed', `${read} Same order both times.`, id);
        return finding('queue-order', title, 'contradicted', `${read} The order differs (first ${first[0]}, then ${second[0]}): of twin queues, runs may choose differently.`, id);
    } catch (error) {
        return finding('queue-order', title, 'unknown', `GET /queues failed: ${failure(error)}`, id);
    }
}

/**
 * The recent calls of the file's assistants: an executed LIVE_TRANSFER (by `action_type`, or keyed by the
 * id of a LIVE_TRANSFER action) that shows its `phone` confirms what verify --call --escalate reads; one
 * without it contradicts it.
 */
async function callActionsFinding({ desired, synthflow }: DoctorInput, actions: LiveSynthflowAction[] | undefined): Promise<Finding> {
    const id = 'call-transfer-shows-target';
    const title = "a call's executed_actions show a LIVE_TRANSFER's target";
    const transferIds = new Set(liveTransfers(actions ?? []).map(a => a.actionId));
    let calls = 0;
    const withTarget: string[] = [];
    const withoutTarget: string[] = [];
    try {
        for (const department of desired.departments) {
            for (const call of await synthflow.listCalls(department.assistantId, { limit: 20 })) {
                calls++;
                for (const [key, value] of Object.entries(call.executedActions)) {
                    if (typeof value !== 'object' || value === null) continue;
                    const entry = value as Record<string, unknown>;
                    if (entry['action_type'] !== 'LIVE_TRANSFER' && !transferIds.has(key)) continue;
                    (typeof entry['phone'] === 'string' ? withTarget : withoutTarget).push(call.callId);
                }
            }
        }
    } catch (error) {
        return finding('call-actions', title, 'unknown', `GET /calls failed: ${failure(error)}`, id);
    }
    const read = `GET /calls of the file's assistants: ${plural(calls, 'recent call')}, ${plural(withTarget.length + withoutTarget.length, 'executed LIVE_TRANSFER')}.`;
    if (withoutTarget.length > 0)
        return finding(
            'call-actions',
            title,
            'contradicted',
            `${read} ${withoutTarget.length} show no phone (call ${withoutTarget[0]}): verify --escalate cannot tell where they went.`,
            id,
        );
    if (withTarget.length > 0) return finding('call-actions', title, 'confirmed', `${read} Each shows its phone.`, id);
    return finding('call-actions', title, 'unknown', `${read} None to read (sipflow verify --call --escalate makes one).`, id);
}
