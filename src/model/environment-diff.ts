/**
 * What differs between two configurations of one integration (`sipflow diff --env A --env B`): the
 * settings a reviewer compares, in the file's words (`queue tier1 did`), with the values that follow
 * from them (the escalation SIP URI, the transfer SIP address), so that an overlay's effect is visible.
 * Pure: built from two desired states.
 */
import { settingsFromTransfer, TRANSFER_SETTINGS } from '../vendors/transfer-fields.js';
import type { DesiredDepartment, DesiredQueue, DesiredState } from './types.js';

export interface SettingDifference {
    /** `dixa sip-domain`, `queue tier1 did`, `department support escalate tier1 mode`, … */
    readonly setting: string;
    /** JSON-able value in the first configuration; null when absent there. */
    readonly before: string | number | null;
    readonly after: string | number | null;
}

export interface EnvironmentDiff {
    readonly integration: string;
    /** The environment names compared; null is the default (top-level) configuration. */
    readonly from: string | null;
    readonly to: string | null;
    readonly differences: readonly SettingDifference[];
}

type Settings = Map<string, string | number>;

function settingsOf(desired: DesiredState): Settings {
    const settings: Settings = new Map();
    const set = (key: string, value: string | number | null) => {
        if (value !== null) settings.set(key, value);
    };
    set('dixa sip-domain', desired.dixa.sipDomain);
    set('dixa allowlist', desired.dixa.allowlist.ips.join(', '));
    set('synthflow region', desired.synthflow.region);
    set('synthflow workspace', desired.synthflow.workspace);
    const auth = desired.synthflow.trunkAuth;
    set('synthflow trunk-auth', auth.kind === 'ip' ? 'ip' : `credentials env:${auth.usernameEnv} env:${auth.passwordEnv}`);
    for (const queue of desired.queues) queueSettings(queue, set);
    for (const department of desired.departments) departmentSettings(department, set);
    return settings;
}

function queueSettings(queue: DesiredQueue, set: (key: string, value: string | number | null) => void): void {
    const at = `queue ${queue.key}`;
    set(`${at} name`, queue.name);
    set(`${at} did`, queue.did);
    set(`${at} kind`, queue.kind);
    set(`${at} escalation address`, queue.escalationUri);
}

function departmentSettings(department: DesiredDepartment, set: (key: string, value: string | number | null) => void): void {
    const at = `department ${department.key}`;
    set(`${at} flow`, department.flow);
    set(`${at} did`, department.did);
    set(`${at} assistant`, department.assistantId);
    set(`${at} timeout`, `${department.timeoutSeconds}s`);
    set(`${at} fallback`, department.fallbackQueue);
    set(`${at} uui`, department.uui.header);
    for (const header of department.headers) set(`${at} header ${header.name}`, header.value);
    set(`${at} transfer address`, department.transferSipAddress);
    for (const escalation of department.escalations) {
        const target = `${at} escalate ${escalation.queue ?? escalation.target}`;
        set(`${target} target`, escalation.target);
        const settings = settingsFromTransfer(escalation.transfer);
        for (const { setting } of TRANSFER_SETTINGS) {
            const value = setting.keyword === 'mode' ? escalation.mode : settings[setting.keyword];
            if (value !== undefined) set(`${target} ${setting.keyword}`, value);
        }
    }
}

/** The settings that differ, in the order of the first configuration, then those only the second has. */
export function diffConfigurations(first: DesiredState, second: DesiredState): EnvironmentDiff {
    const a = settingsOf(first);
    const b = settingsOf(second);
    const keys = [...a.keys(), ...[...b.keys()].filter(key => !a.has(key))];
    const differences = keys.filter(key => a.get(key) !== b.get(key)).map(setting => ({ setting, before: a.get(setting) ?? null, after: b.get(setting) ?? null }));
    return { integration: first.integration, from: first.environment, to: second.environment, differences };
}

/** Text for a terminal: one line per setting, `before → after`. */
export function renderEnvironmentDiff(diff: EnvironmentDiff): string {
    const name = (environment: string | null) => (environment === null ? 'the default' : `environment ${environment}`);
    const header = `Integration ${diff.integration}: ${name(diff.from)} → ${name(diff.to)}`;
    if (diff.differences.length === 0) return `${header}: no differences.\n`;
    const width = Math.max(...diff.differences.map(d => d.setting.length));
    const show = (value: string | number | null) => (value === null ? '(none)' : typeof value === 'number' ? String(value) : JSON.stringify(value));
    const lines = diff.differences.map(d => `  ${d.setting.padEnd(width)}  ${show(d.before)} → ${show(d.after)}`);
    return `${header}: ${diff.differences.length} setting${diff.differences.length === 1 ? '' : 's'} differ.\n${lines.join('\n')}\n`;
}
