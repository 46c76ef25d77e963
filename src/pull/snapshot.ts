import type {
    DixaOrganization,
    DixaPhoneFlow,
    DixaProvider,
    LiveDixaQueue,
    LiveSynthflowAction,
    LiveSynthflowAssistant,
    LiveSynthflowNumber,
    SynthflowProvider,
} from '../providers/types.js';

/** Everything `pull` reads from both vendors, before it is turned into a `.sipflow` file. */
export interface PullSnapshot {
    readonly organization: DixaOrganization;
    readonly numbers: readonly LiveSynthflowNumber[];
    readonly assistants: readonly LiveSynthflowAssistant[];
    readonly actions: readonly LiveSynthflowAction[];
    readonly queues: readonly LiveDixaQueue[];
    readonly phoneFlows: readonly DixaPhoneFlow[];
}

/**
 * Reads the live accounts: every Synthflow number (with detail), the assistants those numbers are
 * attached to with their actions, and the Dixa organization, queues and phone flows.
 */
export async function readPullSnapshot(providers: { readonly dixa: DixaProvider; readonly synthflow: SynthflowProvider }): Promise<PullSnapshot> {
    const [organization, numbers, queues, phoneFlows] = await Promise.all([
        providers.dixa.getOrganization(),
        providers.synthflow.listNumbers(),
        providers.dixa.listQueues(),
        providers.dixa.listPhoneFlows(),
    ]);
    const assistantIds = [...new Set(numbers.flatMap(number => number.assistants))];
    const assistants = (await Promise.all(assistantIds.map(id => providers.synthflow.getAssistant(id)))).filter(
        (assistant): assistant is LiveSynthflowAssistant => assistant !== undefined,
    );
    const actionIds = [...new Set(assistants.flatMap(assistant => assistant.actionIds))];
    const actions = (await Promise.all(actionIds.map(id => providers.synthflow.getAction(id)))).filter((action): action is LiveSynthflowAction => action !== undefined);
    return { organization, numbers, assistants, actions, queues, phoneFlows };
}
