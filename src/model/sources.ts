/**
 * What the model reads an integration from, and what validate needs of it without building it: the
 * environments its files declare and whether a diagnostic holds in one. Kept apart from build.ts so that
 * `sipflow validate` does not load the derivation (and node:crypto, for its hashes).
 */
import type { LangiumDocument } from 'langium';
import { isIntegration, isSipflowFile, type Integration, type SipflowFile } from '../language/generated/ast.js';
import { environmentNamesOf } from '../language/environments.js';

export type IntegrationSource = LangiumDocument<SipflowFile> | SipflowFile | Integration;

/** The environments the integration's files declare (sorted), for `--env` and the editor's picker. */
export function environmentsOf(main: IntegrationSource, others: readonly IntegrationSource[] = []): string[] {
    const integration = integrationOf(main);
    if (!integration) return [];
    return environmentNamesOf(sameIntegration(integration, others));
}

export function sameIntegration(integration: Integration, others: readonly IntegrationSource[]): Integration[] {
    const integrations = [integration];
    for (const other of others) {
        const candidate = integrationOf(other);
        if (candidate && candidate !== integration && candidate.name === integration.name && !integrations.includes(candidate)) integrations.push(candidate);
    }
    return integrations;
}

/**
 * Does this diagnostic hold in the configuration being built? A finding of the environment pass names
 * the environments it holds in (`data.environments`); the default's findings hold everywhere.
 */
export function diagnosticAppliesTo(diagnostic: { data?: unknown }, environment: string | undefined): boolean {
    const environments = (diagnostic.data as { environments?: unknown } | undefined)?.environments;
    if (!Array.isArray(environments)) return true;
    return environment !== undefined && environments.includes(environment);
}

export function integrationOf(source: IntegrationSource): Integration | undefined {
    if (isIntegration(source)) return source;
    if (isSipflowFile(source)) return source.integration;
    return (source as LangiumDocument<SipflowFile>).parseResult?.value?.integration;
}
