import type { ValidationAcceptor } from 'langium';
import type { Department, Integration } from '../generated/ast.js';
import { TRANSFER_TIMEOUT } from '../../vendors/dixa-facts.js';
import { DEFAULT_UUI_KEY, FORBIDDEN_HEADER_VALUE_CHARS, SYNTHFLOW_X_HEADER_NAME } from '../../vendors/synthflow-facts.js';
import { integrationParts } from '../integration-parts.js';
import { parseDuration } from '../values/durations.js';
import { isUuid } from '../values/uuids.js';
import { settingWritten } from './own-keywords.js';
import { report } from './report.js';

export function checkDepartment(department: Department, accept: ValidationAcceptor): void {
    if (department.did === undefined && !settingWritten(department, 'did')) {
        report(accept, 'required-missing', `Department ${department.name} has no did: add did "+E164" with the Dixa DID routed to Synthflow.`, {
            node: department,
            property: 'name',
        });
    }
    if (department.assistant === undefined) {
        if (!settingWritten(department, 'assistant')) {
            report(accept, 'required-missing', `Department ${department.name} has no assistant: add assistant "…" with the Synthflow assistant's model_id (a UUID).`, {
                node: department,
                property: 'name',
            });
        }
    } else if (!isUuid(department.assistant)) {
        report(
            accept,
            'assistant-id-invalid',
            `"${department.assistant}" is not a Synthflow assistant id: write the assistant's model_id, a UUID like "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6".`,
            {
                node: department,
                property: 'assistant',
            },
        );
    }
    if (department.fallback === undefined && !settingWritten(department, 'fallback')) {
        report(
            accept,
            'fallback-missing',
            `Department ${department.name} has no fallback queue: if Synthflow does not answer, Dixa has nowhere to send the call. Add "fallback {queue}".`,
            {
                node: department,
                property: 'name',
            },
        );
    }
    if (department.uui !== undefined && department.uui !== DEFAULT_UUI_KEY) {
        report(
            accept,
            'uui-key',
            `UUI key "${department.uui}" is not the one the Dixa guide prescribes: write "uui ${DEFAULT_UUI_KEY}" unless your Synthflow assistant reads "${department.uui}".`,
            {
                node: department,
                property: 'uui',
            },
            { replacement: DEFAULT_UUI_KEY },
        );
    }
    checkTimeout(department, accept);
    checkHeaders(department, accept);
}

/** `header X-… "…"`: Synthflow's name pattern, a value that cannot break the SIP message, one value per name. */
function checkHeaders(department: Department, accept: ValidationAcceptor): void {
    const seen = new Set<string>();
    for (const header of department.headers) {
        if (!header.name) continue; // the parser has reported it
        if (!SYNTHFLOW_X_HEADER_NAME.test(header.name)) {
            const suggestion = /^x-/i.test(header.name) ? `X-${header.name.slice(2)}` : `X-${header.name}`;
            report(
                accept,
                'header-invalid',
                `"${header.name}" is not a header Synthflow reads: its name must start with "X-" (case-sensitive) followed by letters, digits, "-" or "_", e.g. "header ${suggestion.replace(/[^A-Za-z0-9\-_]/g, '') || 'X-Caller'} …".`,
                {
                    node: header,
                    property: 'name',
                },
            );
        } else if (seen.has(header.name)) {
            report(accept, 'setting-duplicate', `Header ${header.name} is already set in this department; send it once. Remove one of them.`, { node: header, property: 'name' });
        }
        seen.add(header.name);
        if (header.value !== undefined && FORBIDDEN_HEADER_VALUE_CHARS.test(header.value)) {
            report(accept, 'header-invalid', `The value of header ${header.name} contains a line break or NUL character, which would end the SIP header: write it on one line.`, {
                node: header,
                property: 'value',
            });
        }
    }
}

function checkTimeout(department: Department, accept: ValidationAcceptor): void {
    if (department.timeout === undefined) return;
    const duration = parseDuration(department.timeout);
    if (!duration.ok) {
        report(accept, 'duration-invalid', `${duration.reason}.`, { node: department, property: 'timeout' });
        return;
    }
    const { min, max, usualMin, usualMax, recommended } = TRANSFER_TIMEOUT;
    if (duration.seconds < min || duration.seconds > max) {
        report(
            accept,
            'timeout-range',
            `timeout ${department.timeout} is outside ${min}s–${max}s: Dixa's transfer step needs a value in that range. Write "timeout ${recommended}s" (recommended).`,
            {
                node: department,
                property: 'timeout',
            },
            { replacement: `${recommended}s` },
        );
    } else if (duration.seconds < usualMin || duration.seconds > usualMax) {
        const effect =
            duration.seconds < usualMin ? 'Synthflow may not answer in time, and callers land in the fallback queue' : 'callers wait a long time before the fallback queue';
        report(
            accept,
            'timeout-unusual',
            `timeout ${department.timeout} is outside the usual ${usualMin}s–${usualMax}s: ${effect}. The guide recommends "timeout ${recommended}s".`,
            {
                node: department,
                property: 'timeout',
            },
            { replacement: `${recommended}s` },
        );
    }
}

/**
 * assistant-shared: Synthflow's API gives an inbound assistant a single `phone_number`
 * (PUT /assistants/{model_id}); attaching several numbers is for outbound agents only. So one
 * inbound assistant answers one DID, and two departments cannot share it.
 */
export function checkSharedAssistants(integration: Integration, accept: ValidationAcceptor): void {
    const firstUser = new Map<string, Department>();
    for (const department of integrationParts(integration).departments) {
        const id = department.assistant?.toLowerCase();
        if (id === undefined || !isUuid(id)) continue;
        const first = firstUser.get(id);
        if (first === undefined) firstUser.set(id, department);
        else reportSharedAssistant(department, `department ${first.name}`, accept);
    }
}

/** The one message for a shared assistant, in one file or across the files of an integration. */
export function reportSharedAssistant(department: Department, firstUser: string, accept: ValidationAcceptor): void {
    report(
        accept,
        'assistant-shared',
        `Assistant ${department.assistant} already answers ${firstUser}: Synthflow gives an inbound assistant a single phone_number, so it cannot answer two departments' DIDs. Give department ${department.name} its own inbound assistant: assistant "{its model_id}".`,
        {
            node: department,
            property: 'assistant',
        },
    );
}
