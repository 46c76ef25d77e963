/**
 * The transfer settings of an escalation (Synthflow `LIVE_TRANSFER`), declared once. Each row says how
 * the field is named in the API (and so in plans and the sandbox), in the model and providers
 * (`LiveTransferConfig`), and in a `.sipflow` file (`escalate … { mode … when … say … failed … }`), with
 * its default and documentation. What reads the table: the keyword docs (hover, completion), the model
 * (model/build.ts), the plan diff and saved-plan schema (src/plan), pull's renderer, the Synthflow client's
 * LIVE_TRANSFER body, read-back and comparison (src/providers/synthflow/decoders.ts), the sandbox's
 * LIVE_TRANSFER checks. test/vendors/transfer-fields.test.ts fails when a row is missing from the
 * grammar, the TextMate grammar, the docs, pull, the environment diff, the client or a sandbox round trip.
 * Adding a field: a row here, then the grammar (sipflow.langium Escalation), LiveTransferConfig and
 * the API type (src/providers/synthflow/api-types.ts SynthflowLiveTransferBody).
 */
import { DEFAULT_ESCALATION_SAY, DEFAULT_ESCALATION_WHEN, DEFAULT_TRANSFER_MODE, TRANSFER_MODES, type SynthflowTransferMode, type TransferModeKeyword } from './synthflow-facts.js';

/** The `syntax` of a setting written as a quoted string. */
export const TEXT_SYNTAX = '"…"';

/** The escalation settings a file can write. */
export type TransferSettingKeyword = 'mode' | 'when' | 'say' | 'failed';

/** The settings as a file writes them, e.g. the AST of an escalation (`{ mode: 'cold', when: '…' }`). */
export type TransferSettings = { readonly [K in TransferSettingKeyword]?: string };

export interface TransferSetting {
    readonly keyword: TransferSettingKeyword;
    /** How the value is written, for the docs: `"…"`, `warm | cold`. */
    readonly syntax: string;
    readonly doc: string;
    /** In the file's words; undefined: the field is left out when the file does not write it. */
    readonly default?: string;
    /** The file's word → the API's value (identity unless given). */
    readonly toApi?: (written: string) => string;
    /** The API's value → the file's word; undefined when the file has no word for it. */
    readonly fromApi?: (api: string) => string | undefined;
}

export interface TransferField {
    /** The property of `LiveTransferConfig` (src/providers/types.ts). */
    readonly key: 'transferMode' | 'phone' | 'instructions' | 'initiatingMsg' | 'failedMsg' | 'timeout';
    /** The property of Synthflow's `LIVE_TRANSFER` object: the API, the plan's field changes, the sandbox. */
    readonly api: string;
    readonly type: 'string' | 'integer';
    /** Whether the API requires it on create and update (then the file's default applies); a read-back without it is not a transfer. */
    readonly required: boolean;
    /** How a file sets it; absent: not by a setting (`phone` is the escalation's target, `timeout` is kept as live). */
    readonly setting?: TransferSetting;
}

export type TransferFieldKey = TransferField['key'];

const MODE_KEYWORD_OF: Readonly<Record<string, TransferModeKeyword>> = Object.fromEntries(
    (Object.keys(TRANSFER_MODES) as TransferModeKeyword[]).map(keyword => [TRANSFER_MODES[keyword], keyword]),
);

export const TRANSFER_FIELDS: readonly TransferField[] = [
    {
        key: 'transferMode',
        api: 'transfer_mode',
        type: 'string',
        required: true,
        setting: {
            keyword: 'mode',
            syntax: Object.keys(TRANSFER_MODES).join(' | '),
            doc: 'how Synthflow transfers the call',
            default: DEFAULT_TRANSFER_MODE,
            toApi: written => TRANSFER_MODES[written as TransferModeKeyword],
            fromApi: api => MODE_KEYWORD_OF[api],
        },
    },
    { key: 'phone', api: 'phone', type: 'string', required: true },
    {
        key: 'instructions',
        api: 'instructions',
        type: 'string',
        required: true,
        setting: { keyword: 'when', syntax: TEXT_SYNTAX, doc: 'when the assistant should transfer, as an instruction to the model', default: DEFAULT_ESCALATION_WHEN },
    },
    {
        key: 'initiatingMsg',
        api: 'initiating_msg',
        type: 'string',
        required: true,
        setting: { keyword: 'say', syntax: TEXT_SYNTAX, doc: 'what the assistant says before transferring', default: DEFAULT_ESCALATION_SAY },
    },
    {
        key: 'failedMsg',
        api: 'failed_msg',
        type: 'string',
        required: false,
        setting: { keyword: 'failed', syntax: TEXT_SYNTAX, doc: 'what the assistant says if the transfer fails' },
    },
    { key: 'timeout', api: 'timeout', type: 'integer', required: false },
];

/** The rows a file can set, in the table's order. */
export const TRANSFER_SETTINGS: readonly (TransferField & { readonly setting: TransferSetting })[] = TRANSFER_FIELDS.filter(
    (field): field is TransferField & { readonly setting: TransferSetting } => field.setting !== undefined,
);

/** The transfer a file's escalation asks for: its settings, defaults where it writes none, and the target. */
export interface TransferFromFile {
    readonly transferMode: SynthflowTransferMode;
    readonly phone: string;
    readonly instructions: string;
    readonly initiatingMsg: string;
    readonly failedMsg?: string;
}

export function transferFromSettings(settings: TransferSettings, target: string): TransferFromFile {
    const config: Record<string, unknown> = { phone: target };
    for (const { key, setting } of TRANSFER_SETTINGS) {
        const written = settings[setting.keyword] ?? setting.default;
        if (written !== undefined) config[key] = setting.toApi ? setting.toApi(written) : written;
    }
    return config as unknown as TransferFromFile;
}

/** A transfer's settings in the file's words (undefined where the file cannot say it); the inverse of transferFromSettings. */
export function settingsFromTransfer(transfer: Readonly<Partial<Record<TransferFieldKey, unknown>>>): { readonly [K in TransferSettingKeyword]?: string } {
    const settings: { [K in TransferSettingKeyword]?: string } = {};
    for (const { key, setting } of TRANSFER_SETTINGS) {
        const value = transfer[key];
        if (typeof value !== 'string') continue;
        const written = setting.fromApi ? setting.fromApi(value) : value;
        if (written !== undefined) settings[setting.keyword] = written;
    }
    return settings;
}

/** The hover and completion documentation of a setting keyword. */
export function transferSettingDoc(setting: TransferSetting): string {
    const fallback = setting.default === undefined ? '' : setting.syntax === TEXT_SYNTAX ? ` Default: "${setting.default}".` : ` Default: \`${setting.default}\`.`;
    return `**${setting.keyword}** \`${setting.syntax}\`: ${setting.doc}.${fallback}`;
}
