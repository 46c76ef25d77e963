import * as vscode from 'vscode';
import type { ExtensionLog } from './log.js';

/** SecretStorage keys. Values live only in VS Code's SecretStorage: never in settings, files or logs. */
export const SECRET_KEYS = {
    dixa: 'sipflow.dixa.apiToken',
    synthflow: 'sipflow.synthflow.apiKey',
} as const;
/** `env:NAME` references of a file resolve to the SecretStorage entry `sipflow.env.NAME` (then the process environment). */
const ENV_PREFIX = 'sipflow.env.';
/** globalState key listing the env: names stored (names only, never values), so Clear can remove them. */
const ENV_NAMES = 'sipflow.env.names';

export interface ApiCredentials {
    readonly dixa?: string;
    readonly synthflow?: string;
}

export class Credentials {
    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly log: ExtensionLog,
    ) {}

    async get(): Promise<ApiCredentials> {
        const [dixa, synthflow] = await Promise.all([this.context.secrets.get(SECRET_KEYS.dixa), this.context.secrets.get(SECRET_KEYS.synthflow)]);
        this.log.addSecret(dixa);
        this.log.addSecret(synthflow);
        return { ...(dixa ? { dixa } : {}), ...(synthflow ? { synthflow } : {}) };
    }

    async store(values: ApiCredentials): Promise<void> {
        for (const vendor of ['dixa', 'synthflow'] as const) {
            const value = values[vendor]?.trim();
            if (!value) continue;
            this.log.addSecret(value);
            await this.context.secrets.store(SECRET_KEYS[vendor], value);
            this.log.info(`Stored the ${vendor === 'dixa' ? 'Dixa API token' : 'Synthflow API key'} in VS Code's secret storage.`);
        }
    }

    async storeEnv(name: string, value: string): Promise<void> {
        this.log.addSecret(value);
        await this.context.secrets.store(ENV_PREFIX + name, value);
        const names = new Set(this.context.globalState.get<string[]>(ENV_NAMES, []));
        names.add(name);
        await this.context.globalState.update(ENV_NAMES, [...names].sort());
        this.log.info(`Stored a value for env:${name} in VS Code's secret storage.`);
    }

    /** The environment apply reads `env:` trunk credentials from: SecretStorage entries first, then the process environment. */
    async env(names: readonly string[]): Promise<Record<string, string | undefined>> {
        const env: Record<string, string | undefined> = {};
        for (const name of names) {
            const stored = await this.context.secrets.get(ENV_PREFIX + name);
            const value = stored ?? process.env[name];
            this.log.addSecret(value);
            env[name] = value;
        }
        return env;
    }

    async clear(): Promise<void> {
        await this.context.secrets.delete(SECRET_KEYS.dixa);
        await this.context.secrets.delete(SECRET_KEYS.synthflow);
        for (const name of this.context.globalState.get<string[]>(ENV_NAMES, [])) await this.context.secrets.delete(ENV_PREFIX + name);
        await this.context.globalState.update(ENV_NAMES, []);
        this.log.info("Cleared the SIPflow API credentials from VS Code's secret storage.");
    }
}
