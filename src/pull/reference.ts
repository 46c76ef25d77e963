import type { LangiumDocument } from 'langium';
import type { SipflowFile } from '../language/generated/ast.js';
import type { DesiredState } from '../model/index.js';
import { TRANSFER_SETTINGS, type TransferSettingKeyword } from '../vendors/transfer-fields.js';

/**
 * The file `pull --from` (and Compare with Live) compares against: its desired state, which of the
 * defaults it writes out, and its text (for its comments). The renderer keeps the file's names, its way
 * of writing defaults and its comments wherever the live object agrees with it.
 */
export interface PullReference {
    readonly desired: DesiredState;
    /** Settings the file writes although they could be left implicit, per department key. */
    readonly written: Readonly<Record<string, WrittenDepartment>>;
    /** The file's source text: its comments are kept where the pulled lines equal the file's. */
    readonly text?: string;
}

/** Which transfer settings an escalation writes out. */
export type WrittenSettings = { readonly [K in TransferSettingKeyword]: boolean };

export interface WrittenDepartment {
    /** `timeout` as written (`30s`), if written. */
    readonly timeout?: string;
    readonly uui: boolean;
    /** In the department's escalation order. */
    readonly escalations: readonly WrittenSettings[];
}

/** The reference for the file a desired state was built from (its main document). */
export function pullReferenceOf(document: LangiumDocument<SipflowFile>, desired: DesiredState): PullReference {
    const written: Record<string, WrittenDepartment> = {};
    for (const member of document.parseResult.value.integration?.members ?? []) {
        if (member.$type !== 'Department') continue;
        written[member.name] = {
            ...(member.timeout !== undefined ? { timeout: member.timeout } : {}),
            uui: member.uui !== undefined,
            escalations: member.escalations.map(
                e => Object.fromEntries(TRANSFER_SETTINGS.map(({ setting }) => [setting.keyword, e[setting.keyword] !== undefined])) as WrittenSettings,
            ),
        };
    }
    return { desired, written, text: document.textDocument.getText() };
}
