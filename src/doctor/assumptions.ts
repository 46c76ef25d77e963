/**
 * Every [I] (unverified) assumption sipflow's code makes about the vendors, in one list: the code marks
 * each place that relies on one with `// [I] assumption: <id>`, docs/assumptions.md lists them with the
 * doctor probe that settles each, and test/doctor/assumptions-table.test.ts keeps the three in step.
 */
export interface Assumption {
    /** Stable id, as in the `// [I] assumption: <id>` markers. */
    readonly id: string;
    /** What sipflow assumes. */
    readonly statement: string;
    /** Why it is only an assumption. */
    readonly source: string;
    /** The `sipflow doctor` probe that settles it, and how. */
    readonly probe: string;
    /** The src/sandbox switch, fault or state edit that makes the sandbox contradict it. */
    readonly contradictInSandbox: string;
}

export const ASSUMPTIONS: readonly Assumption[] = [
    {
        id: 'dixa-subdomain-is-company',
        statement: 'Dixa `organization.subdomain` is the `{company}` of `{company}.sip.dixa.com`: the account guard expects it unless the file sets `organization "…"`',
        source: 'dixa-api.md: the spec has no SIP-domain field; the equality is a hint',
        probe: "`subdomain`: GET /organization, compared as the account guard compares (the file's `organization`, else its `sip-domain`'s company)",
        contradictInSandbox: 'state: `dixa.organization.subdomain` set to another name (PUT /_sandbox/organization, `sipflow sandbox --dixa-organization`)',
    },
    {
        id: 'synthflow-key-workspace',
        statement: "the `SYNTHFLOW_API_KEY` belongs to the file's `workspace` (the account guard cannot check it)",
        source: 'synthflow-api.md §12: no endpoint reads the key\'s own workspace; the spec documents "Access denied to workspace" (403) only on GET /logs, and no foreign-workspace answer for the lists sipflow reads',
        probe: '`synthflow-workspace`: GET /numbers?workspace=… — numbers listed = confirmed, none = unknown, refused = contradicted',
        contradictInSandbox: 'fault `synthflow:GET:/numbers=403`',
    },
    {
        id: 'live-transfer-read-back',
        statement: 'action reads carry the LIVE_TRANSFER configuration (`phone`, …) in `parameters_hard_coded`',
        source: 'synthflow-api.md §6: the read schemas declare that object open',
        probe: '`read-back`: every existing LIVE_TRANSFER (GET /actions); with --write-probes, the probe action read back',
        contradictInSandbox: 'assumption `liveTransferReadBack: false`',
    },
    {
        id: 'sip-uri-in-transfer-phone',
        statement: '`LIVE_TRANSFER.phone` accepts a `sip:` URI',
        source: 'synthflow-api.md §6: described as "Phone number to be called"',
        probe: '`sip-target`: an existing LIVE_TRANSFER with a `sip:` target; with --write-probes, creating one',
        contradictInSandbox: 'assumption `sipUriInTransferPhone: false`',
    },
    {
        id: 'live-transfer-name-kept',
        statement: "a `name` inside the LIVE_TRANSFER create body becomes the action's `name`",
        source: 'the create schema has no `name`; reads return one',
        probe: "`names`: the `sipflow:` prefix on actions that target the file's SIP domain; with --write-probes, the probe action's name",
        contradictInSandbox: 'assumption `liveTransferNameKept: false`',
    },
    {
        id: 'synthflow-max-page-size',
        statement: 'Synthflow lists honour `limit=100` (sipflow pages with it)',
        source: 'the largest `limit` is not documented',
        probe: '`page-size`: GET /actions?limit=100 — items on the page and `pagination.limit`',
        contradictInSandbox: 'assumption `synthflowMaxPageSize` below the action count (e.g. 2)',
    },
    {
        id: 'number-import-permitted',
        statement: 'the workspace may import custom SIP numbers (`POST /custom-numbers`)',
        source: 'Synthflow answers 403 "provider import not enabled" on some workspaces (not in the spec)',
        probe: '`number-import`: POST /custom-numbers with no number (creates nothing): 400 = permitted, 403 = not',
        contradictInSandbox: 'fault `synthflow:POST:/custom-numbers=403`',
    },
    {
        id: 'attach-adds',
        statement: "`POST /actions/attach` adds to the assistant's action list rather than replacing it",
        source: 'the spec does not say; sipflow attaches only new ids, reads back and restores what was dropped',
        probe: "`attach`: with --write-probes, the probe action attached to one of the file's assistants that has actions, the list read back (then detached, the list restored); read-only: unknown",
        contradictInSandbox: 'assumption `attachReplaces: true`',
    },
    {
        id: 'outbound-pool-not-inbound',
        statement: 'the outbound pool (`attached_phone_numbers`) does not route inbound calls',
        source: 'the spec says "outbound agent"; number-pooling docs disagree',
        probe: "`outbound-pool`: with --write-probes, a test call (POST /calls) from the only outbound agent to an inbound agent's pool number, then GET /calls of that agent; read-only: unknown, listing the file's assistants that have a pool",
        contradictInSandbox: 'assumption `outboundPoolRoutesInbound: true` (with a pool number on an inbound agent)',
    },
    {
        id: 'dixa-queue-list-order',
        statement: 'Dixa `GET /queues` lists the queues in one stable order (creation order), so of two queues with one name every run uses the same',
        source: 'dixa-api.md: the spec documents no order for the list',
        probe: '`queue-order`: GET /queues twice, the two orders compared',
        contradictInSandbox: 'assumption `dixaQueueListStable: false`',
    },
    {
        id: 'call-transfer-shows-target',
        statement: "a call's `executed_actions` (GET /calls) shows a LIVE_TRANSFER it ran with its `phone` target (and `outcome`), which `verify --call --escalate` reads",
        source: 'synthflow-api.md §7: the spec declares `executed_actions` an open object',
        probe: "`call-actions`: the recent calls of the file's assistants (GET /calls), their executed LIVE_TRANSFERs",
        contradictInSandbox: 'assumption `callTransferShowsTarget: false` (after a call that escalated)',
    },
];

export function assumptionById(id: string): Assumption {
    const found = ASSUMPTIONS.find(a => a.id === id);
    if (!found) throw new Error(`unknown assumption id ${id}`);
    return found;
}

/** The table in docs/assumptions.md, generated from ASSUMPTIONS (a test checks the file carries it). */
export function renderAssumptionsTable(): string {
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    return [
        '| id | sipflow assumes | why it is unverified | `sipflow doctor` probe | contradict it in the sandbox |',
        '|---|---|---|---|---|',
        ...ASSUMPTIONS.map(a => `| \`${a.id}\` | ${cell(a.statement)} | ${cell(a.source)} | ${cell(a.probe)} | ${cell(a.contradictInSandbox)} |`),
    ].join('\n');
}
