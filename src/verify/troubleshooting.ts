/**
 * The one troubleshooting table: every way a test call can fail, what it usually means, and the
 * checklist steps (src/checklist/build.ts ids) to look at. `sipflow verify --call` maps each failure
 * to exactly one row; the guide's "Quick Troubleshooting" heading is this table.
 */

export type DiagnosisId =
    'caller-refused' | 'number-not-on-assistant' | 'no-arrival' | 'caller-number-missing' | 'no-escalation-action' | 'escalation-refused' | 'escalation-unanswered';

/** What a row needs to name its steps: the department and, for escalations, the queue. */
export interface DiagnosisSubject {
    readonly department: string;
    readonly queue?: string | null;
}

export interface Diagnosis {
    readonly symptom: string;
    readonly likelyCause: string;
    /** Checklist item ids (`sipflow checklist`), or a sipflow command, to look at. */
    readonly steps: (subject: DiagnosisSubject) => readonly string[];
}

const queueStep = (subject: DiagnosisSubject) => (subject.queue ? [`queue.${subject.queue}.did`] : []);

export const TROUBLESHOOTING: Readonly<Record<DiagnosisId, Diagnosis>> = {
    'caller-refused': {
        symptom: 'Synthflow did not start the test call',
        likelyCause: 'the test caller is not an outbound agent, or the --from number is not in its pool',
        steps: () => ['--caller MODEL_ID --from +E164 (an outbound agent and one of its numbers)'],
    },
    'number-not-on-assistant': {
        symptom: "the department's DID is not the assistant's inbound number",
        likelyCause: 'the number is not imported or not assigned yet',
        steps: () => ['sipflow plan / sipflow apply'],
    },
    'no-arrival': {
        symptom: 'no call arrived at the assistant',
        likelyCause: "Dixa does not allowlist Synthflow's signalling IPs, the phone flow has no Transfer step to Synthflow, or the step dials the wrong SIP address or region",
        steps: s => ['dixa.allowlist', `department.${s.department}.flow`, `department.${s.department}.transfer-step`],
    },
    'caller-number-missing': {
        symptom: "the call arrived without the caller's number",
        likelyCause: 'the Transfer step sends no UUI header, or the wrong one (it must be phone_number={caller})',
        steps: s => [`department.${s.department}.transfer-step`],
    },
    'no-escalation-action': {
        symptom: 'the assistant ran no LIVE_TRANSFER to the queue',
        likelyCause: 'the escalation action is missing or detached from the assistant',
        steps: () => ['sipflow plan / sipflow apply'],
    },
    'escalation-refused': {
        symptom: 'Dixa refused the escalation',
        likelyCause: "the allowlist does not admit Synthflow's escalation INVITEs, or the queue's DID is not routed to the queue",
        steps: s => ['dixa.allowlist', ...queueStep(s)],
    },
    'escalation-unanswered': {
        symptom: 'the escalation reached the queue but nobody answered',
        likelyCause: 'the queue has no agents, or none was available',
        steps: s => [...queueStep(s), 'Dixa → queue → members'],
    },
};
