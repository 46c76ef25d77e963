import type { ValidationAcceptor } from 'langium';
import type { CredentialsTrunkAuth, SecretValue, SynthflowBlock } from '../generated/ast.js';
import { SYNTHFLOW_GLOBAL_RETIREMENT, SYNTHFLOW_SUCCESSOR_REGIONS } from '../../vendors/synthflow-facts.js';
import { settingWritten } from './own-keywords.js';
import { report } from './report.js';

export function checkSynthflowBlock(block: SynthflowBlock, accept: ValidationAcceptor): void {
    if (block.region === undefined && !settingWritten(block, 'region')) {
        report(
            accept,
            'required-missing',
            'The synthflow block has no region: add "region eu", "region us" or "region global" (Synthflow → Workspace Settings → Preferences → Customer Region).',
            {
                node: block,
                keyword: 'synthflow',
            },
        );
    }
    if (block.region === 'global') {
        report(
            accept,
            'region-global-retiring',
            `${SYNTHFLOW_GLOBAL_RETIREMENT}. Write the region your workspace moves to: ${SYNTHFLOW_SUCCESSOR_REGIONS.map(r => `"region ${r}"`).join(' or ')} (Workspace Settings → Preferences → Customer Region).`,
            {
                node: block,
                property: 'region',
            },
            { values: SYNTHFLOW_SUCCESSOR_REGIONS },
        );
    }
    if (block.workspace === undefined) {
        if (settingWritten(block, 'workspace')) return;
        report(
            accept,
            'workspace-missing',
            'The synthflow block has no workspace: add workspace "…" with the workspace id from Synthflow\'s dashboard (needed to import numbers).',
            {
                node: block,
                keyword: 'synthflow',
            },
        );
    } else if (block.workspace.trim() === '') {
        report(accept, 'workspace-missing', "The workspace id is empty: copy it from Synthflow's dashboard.", { node: block, property: 'workspace' });
    }
}

/** The environment variables sipflow suggests for trunk credentials (quick fixes and completion). */
export const SUGGESTED_TRUNK_ENV = { username: 'DIXA_SIP_USERNAME', password: 'DIXA_SIP_PASSWORD' } as const;

export function checkTrunkCredentials(auth: CredentialsTrunkAuth, accept: ValidationAcceptor): void {
    checkSecret(auth, auth.username, 'username', SUGGESTED_TRUNK_ENV.username, accept);
    checkSecret(auth, auth.password, 'password', SUGGESTED_TRUNK_ENV.password, accept);
}

function checkSecret(auth: CredentialsTrunkAuth, value: SecretValue | undefined, setting: 'username' | 'password', suggestedVariable: string, accept: ValidationAcceptor): void {
    if (value === undefined) {
        if (settingWritten(auth, setting)) return;
        report(accept, 'required-missing', `trunk-auth credentials has no ${setting}: add "${setting} env:${suggestedVariable}".`, {
            node: auth,
            keyword: 'credentials',
        });
        return;
    }
    if (value.literal !== undefined) {
        // The message must not repeat the literal: it may be a real password.
        report(
            accept,
            'plaintext-secret',
            `The trunk ${setting} is written as a literal: secrets never go in the file. Write "${setting} env:${suggestedVariable}" and set that environment variable (or SecretStorage entry in VS Code).`,
            {
                node: value,
                property: 'literal',
            },
            { replacement: `env:${suggestedVariable}` },
        );
    }
}
