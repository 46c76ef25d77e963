import { GrammarUtils, type CstNode, type ValidationAcceptor } from 'langium';
import type { DixaBlock, Integration } from '../generated/ast.js';
import { DIXA_SIP_DOMAIN_SUFFIX } from '../../vendors/dixa-facts.js';
import { isSynthflowRegion, SYNTHFLOW_REGION_FACTS } from '../../vendors/synthflow-facts.js';
import { integrationParts } from '../integration-parts.js';
import { isHostName, isIPv4 } from '../values/network.js';
import { settingWritten } from './own-keywords.js';
import { report } from './report.js';

export function checkSipDomain(block: DixaBlock, accept: ValidationAcceptor): void {
    if (block.sipDomain === undefined) {
        if (settingWritten(block, 'sip-domain')) return;
        report(accept, 'required-missing', 'The dixa block has no sip-domain: add sip-domain "{company}.sip.dixa.com" (Dixa → Settings → Phone → SIP Settings).', {
            node: block,
            keyword: 'dixa',
        });
        return;
    }
    const domain = block.sipDomain;
    if (/^sips?:/i.test(domain) || domain.includes('@') || domain.includes('/') || !isHostName(domain)) {
        const hint = domain
            .replace(/^sips?:/i, '')
            .replace(/^.*@/, '')
            .replace(/[/:].*$/, '');
        const suggestion = isHostName(hint) ? `"${hint}"` : '"{company}.sip.dixa.com"';
        report(
            accept,
            'sip-domain-invalid',
            `"${domain}" is not a host name: write only the domain, e.g. ${suggestion}.`,
            {
                node: block,
                property: 'sipDomain',
            },
            isHostName(hint) ? { replacement: hint } : {},
        );
        return;
    }
    if (!domain.toLowerCase().endsWith(DIXA_SIP_DOMAIN_SUFFIX)) {
        const suggestion = dixaSipDomainFor(domain);
        report(
            accept,
            'sip-domain-not-dixa',
            `"${domain}" is not a Dixa SIP domain: Dixa SIP domains have the form "{company}${DIXA_SIP_DOMAIN_SUFFIX}"${suggestion ? `, e.g. "${suggestion}"` : ''}.`,
            {
                node: block,
                property: 'sipDomain',
            },
            suggestion ? { replacement: suggestion } : {},
        );
    }
}

/** First labels that name a service rather than the company (`sip.acme.com`, `www.acme.com`). */
const SERVICE_LABELS = new Set(['sip', 'sips', 'www', 'voip', 'pbx']);

/**
 * The Dixa SIP domain a non-Dixa domain most likely means: its first label as the `{company}`
 * (`acme.dixa.com`, `acme.example.com` → `acme.sip.dixa.com`); none when that label is no company name.
 */
export function dixaSipDomainFor(domain: string): string | undefined {
    const company = domain.toLowerCase().split('.')[0];
    if (!DNS_LABEL.test(company) || SERVICE_LABELS.has(company) || !domain.includes('.')) return undefined;
    return `${company}${DIXA_SIP_DOMAIN_SUFFIX}`;
}

/** A DNS label: what a Dixa organization's subdomain (`{subdomain}.dixa.com`) must be. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** `organization "…"`: the subdomain the account guard expects GET /organization to answer. */
export function checkOrganization(block: DixaBlock, accept: ValidationAcceptor): void {
    const organization = block.organization;
    if (organization === undefined || DNS_LABEL.test(organization)) return;
    const problem = organization.trim() === '' ? 'is empty' : 'is not a subdomain';
    report(
        accept,
        'organization-invalid',
        `organization "${organization}" ${problem}: write the subdomain of the Dixa organization this file is for (Dixa's GET /organization → subdomain, the "{subdomain}" of {subdomain}.dixa.com): letters, digits and inner dashes, at most 63, e.g. organization "acme".`,
        {
            node: block,
            property: 'organization',
        },
    );
}

export function checkAllowlist(block: DixaBlock, integration: Integration, accept: ValidationAcceptor): void {
    if (block.allowlists.length === 0) {
        report(accept, 'allowlist-missing', 'The dixa block has no allowlist: Dixa rejects INVITEs from IPs it does not know. Add "allowlist synthflow".', {
            node: block,
            keyword: 'dixa',
        });
        return;
    }
    const region = integrationParts(integration).synthflow?.region;
    const regionIps = isSynthflowRegion(region) ? SYNTHFLOW_REGION_FACTS[region].signallingIps : undefined;
    const listed = new Set<string>();
    for (const allowlist of block.allowlists) {
        if (allowlist.synthflow) {
            regionIps?.forEach(ip => listed.add(ip));
            continue;
        }
        // The entries' CST nodes, found once: `property` + `index` makes Langium search the whole
        // allowlist for every diagnostic, quadratic for a long pasted list (minutes for 80,000 entries).
        let ipNodes: CstNode[] | undefined;
        allowlist.ips.forEach((ip, index) => {
            if (isIPv4(ip)) {
                listed.add(ip);
            } else {
                ipNodes ??= GrammarUtils.findNodesForProperty(allowlist.$cstNode, 'ips');
                const range = ipNodes[index]?.range;
                report(accept, 'ip-invalid', `"${ip}" is not an IPv4 address: write four numbers 0–255 separated by dots, e.g. "34.89.186.33".`, {
                    node: allowlist,
                    ...(range ? { range } : { property: 'ips', index }),
                });
            }
        });
    }
    if (!regionIps) return;
    const missing = regionIps.filter(ip => !listed.has(ip));
    if (missing.length === 0) return;
    const explicit = block.allowlists.find(a => !a.synthflow) ?? block.allowlists[0];
    report(
        accept,
        'allowlist-incomplete',
        `The allowlist lacks Synthflow's ${region} signalling IP${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: calls from ${missing.length > 1 ? 'them' : 'it'} will be rejected. Add ${missing.map(ip => `"${ip}"`).join(', ')} or write "allowlist synthflow".`,
        {
            node: explicit,
            keyword: 'allowlist',
        },
        { values: missing },
    );
}
