/** Stable plan item ids (addresses): what a saved plan, `--target` and the views refer to. */
export const planIds = {
    queue: (name: string) => `dixa/queue/${name}`,
    assistant: (modelId: string) => `synthflow/assistant/${modelId}`,
    number: (e164: string) => `synthflow/number/${e164}`,
    numberAttachment: (e164: string) => `synthflow/number/${e164}/assistant`,
    inboundNumber: (modelId: string) => `synthflow/assistant/${modelId}/number`,
    transfer: (modelId: string, target: string) => `synthflow/assistant/${modelId}/transfer/${target}`,
    assistantActions: (modelId: string) => `synthflow/assistant/${modelId}/actions`,
    orphanAction: (modelId: string, actionId: string) => `synthflow/assistant/${modelId}/action/${actionId}`,
    twinDetach: (modelId: string, actionId: string) => `synthflow/assistant/${modelId}/twin/${actionId}`,
    twinDelete: (actionId: string) => `synthflow/action/${actionId}/delete`,
    manualQueueTwins: (name: string) => `dixa/manual/queue-twins/${name}`,
    manualOrphanNumber: (e164: string) => `synthflow/manual/number/${e164}`,
    manualAllowlist: () => 'dixa/manual/allowlist',
    manualPhoneFlow: (did: string) => `dixa/manual/phone-flow/${did}`,
    manualQueueRouting: (did: string) => `dixa/manual/queue-routing/${did}`,
    manualQueueSettings: (name: string) => `dixa/manual/queue-settings/${name}`,
} as const;
