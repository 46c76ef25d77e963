import { AstUtils, CstUtils, GrammarAST, GrammarUtils, type AstNode, type ConfigurationProvider, type CstNode, type LangiumDocument, type MaybePromise } from 'langium';
import { MultilineCommentHoverProvider } from 'langium/lsp';
import type { SipflowServices } from '../sipflow-module.js';
import type { Hover, HoverParams } from 'vscode-languageserver';
import type { Department, Integration, Queue } from '../generated/ast.js';
import { isAllowlist, isDepartment, isEnvironment, isIntegration, isQueue } from '../generated/ast.js';
import { effectiveIntegrations, environmentNamesOf, isEnvironmentOverride } from '../environments.js';
import { integrationParts } from '../integration-parts.js';
import { checkDid } from '../values/phone-number.js';
import { TRANSFER_TIMEOUT } from '../../vendors/dixa-facts.js';
import { DEFAULT_TRANSFER_MODE, DEFAULT_UUI_KEY, SYNTHFLOW_REGION_FACTS, numberSlug } from '../../vendors/synthflow-facts.js';
import { canonicalDid, departmentSipAddress, escalationUri, integrationSettingsOf, queueEscalationUri, showDerived } from './derived-values.js';
import { keywordDoc } from './keyword-docs.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Hovers show what the file means on the vendors' side: the addresses Dixa and Synthflow must be configured
 * with, derived from the declarations, so that nobody has to assemble a SIP URI by hand.
 */
export class SipflowHoverProvider extends MultilineCommentHoverProvider {
    private readonly configuration: ConfigurationProvider;
    /** The integration's other files, by the scoping rule (SipflowQueues). */
    private readonly siblingsOf: (integration: Integration) => readonly Integration[];

    constructor(services: SipflowServices) {
        super(services);
        this.configuration = services.shared.workspace.ConfigurationProvider;
        const queues = services.references.SipflowQueues;
        this.siblingsOf = integration => queues.siblingsOf(integration);
    }

    /**
     * The environment whose values a hover shows: the one an override block is in, else the one selected
     * in the editor (setting `sipflow.environment`; other editors send it as LSP settings) when the
     * integration declares it, else none (the default).
     */
    private async environmentFor(node: AstNode, integrations: readonly Integration[]): Promise<string | undefined> {
        const enclosing = AstUtils.getContainerOfType(node, isEnvironment);
        if (enclosing) return enclosing.name || undefined;
        const selected: unknown = await this.configuration.getConfiguration('sipflow', 'environment').catch(() => undefined);
        return typeof selected === 'string' && environmentNamesOf(integrations).includes(selected) ? selected : undefined;
    }

    /** The node as the environment sees it: its effective queue, department or integration, or itself. */
    private async effective(node: AstNode): Promise<{ node: AstNode; environment?: string }> {
        const integration = AstUtils.getContainerOfType(node, isIntegration);
        if (!integration || !(isDepartment(node) || isQueue(node) || isIntegration(node))) return { node };
        const files = [integration, ...this.siblingsOf(integration)];
        const environment = await this.environmentFor(node, files);
        if (environment === undefined) return { node };
        const views = effectiveIntegrations(files, environment);
        if (isIntegration(node)) return { node: views[0]!, environment };
        const members = views.flatMap(view => view.members);
        const match = members.find(member => member.$type === node.$type && (member as Department | Queue).name === (node as Department | Queue).name);
        return match ? { node: match, environment } : { node };
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const root = document.parseResult.value.$cstNode;
        if (root) {
            // DIDs are strings, which the default provider does not look at.
            const leaf = CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(params.position));
            const own = leaf && (this.getDidHover(leaf) ?? this.getAllowlistSynthflowHover(leaf));
            if (own) return { contents: { kind: 'markdown', value: own }, range: leaf.range };
            // An override's name is a reference to the declaration (SipflowReferences), which the default
            // would hover; the override itself is what the user points at: its environment's values.
            const override = leaf?.astNode;
            const nameNode =
                override && (isQueue(override) || isDepartment(override)) && isEnvironmentOverride(override)
                    ? GrammarUtils.findNodeForProperty(override.$cstNode, 'name')
                    : undefined;
            if (leaf && override && nameNode && nameNode.offset <= leaf.offset && leaf.end <= nameNode.end) {
                const content = await this.getAstNodeHoverContent(override);
                if (content) return { contents: { kind: 'markdown', value: content }, range: leaf.range };
            }
        }
        return super.getHoverContent(document, params);
    }

    protected override async getAstNodeHoverContent(declared: AstNode): Promise<string | undefined> {
        const { node, environment } = await this.effective(declared);
        let own = isDepartment(node) ? this.departmentHover(node) : isQueue(node) ? this.queueHover(node) : isIntegration(node) ? this.integrationHover(node) : undefined;
        if (own !== undefined && environment !== undefined) own = `${own}\n\n_Values of environment \`${environment}\`._`;
        const comment = (await super.getAstNodeHoverContent(declared)) as string | undefined;
        if (own === undefined) return comment;
        return comment ? `${own}\n\n---\n\n${comment}` : own;
    }

    protected override getKeywordHoverContent(node: AstNode): MaybePromise<Hover | undefined> {
        if (!GrammarAST.isKeyword(node)) return undefined;
        const rule = AstUtils.getContainerOfType(node, GrammarAST.isParserRule);
        // A soft keyword used as a name (`queue did { … }`) is not the keyword.
        if (rule?.name === 'Name') return undefined;
        const doc = keywordDoc(node.value, rule?.name);
        return doc === undefined ? undefined : { contents: { kind: 'markdown', value: doc } };
    }

    protected departmentHover(department: Department): string {
        const settings = integrationSettingsOf(department, this.siblingsOf);
        const lines = [`**department ${department.name}**${department.flow !== undefined ? ` · Dixa phone flow "${department.flow}"` : ''}`, ''];
        lines.push(`- Dixa's transfer step dials ${showDerived(departmentSipAddress(department, settings))}`);
        lines.push(`- with the UUI header \`${department.uui ?? DEFAULT_UUI_KEY}={caller's E.164 number}\``);
        for (const header of department.headers) {
            if (header.name) lines.push(`- and the header \`${header.name}: ${header.value ?? ''}\` (Synthflow's variable \`{${header.name}}\`)`);
        }
        const timeout = department.timeout ?? `${TRANSFER_TIMEOUT.recommended}s`;
        const timeoutNote = department.timeout === undefined ? ' (default)' : '';
        const fallback = department.fallback;
        const fallbackText =
            fallback === undefined
                ? 'no fallback queue'
                : fallback.ref
                  ? `falls back to queue \`${fallback.ref.name}\`${fallback.ref.displayName !== undefined ? ` ("${fallback.ref.displayName}")` : ''}`
                  : `falls back to the undeclared queue \`${fallback.$refText}\``;
        lines.push(`- timeout \`${timeout}\`${timeoutNote}, then ${fallbackText}`);
        const did = canonicalDid(department.did);
        if (did.ok) lines.push(`- Synthflow number \`${numberSlug(did.value)}\`${department.assistant !== undefined ? ` attached to assistant \`${department.assistant}\`` : ''}`);
        for (const escalation of department.escalations) {
            const target = escalation.queue !== undefined ? `queue \`${escalation.queue.$refText}\`` : 'SIP URI';
            lines.push(`- escalation to ${target} (${escalation.mode ?? DEFAULT_TRANSFER_MODE}) dials ${showDerived(escalationUri(escalation, settings))}`);
        }
        return lines.join('\n');
    }

    protected queueHover(queue: Queue): string {
        const title = `**queue ${queue.name}**${queue.displayName !== undefined ? ` · Dixa queue "${queue.displayName}"` : ''}${queue.kind === 'ring-group' ? ' (ring group)' : ''}`;
        return `${title}\n\n- reached at ${showDerived(queueEscalationUri(queue, integrationSettingsOf(queue, this.siblingsOf)))}`;
    }

    protected integrationHover(integration: Integration): string {
        const { queues, departments } = integrationParts(integration);
        const { region, sipDomain } = integrationSettingsOf(integration, this.siblingsOf);
        return [
            `**integration ${integration.name}**`,
            '',
            `- Dixa SIP domain ${sipDomain !== undefined ? `\`${sipDomain}\`` : '_not declared_'}`,
            `- Synthflow region ${region !== undefined ? `\`${region}\`` : '_not declared_'}`,
            `- ${queues.length} queue${queues.length === 1 ? '' : 's'}, ${departments.length} department${departments.length === 1 ? '' : 's'} in this file`,
        ].join('\n');
    }

    /** `allowlist synthflow`: the IPs it stands for in the declared region. */
    protected getAllowlistSynthflowHover(leaf: CstNode): string | undefined {
        if (!isAllowlist(leaf.astNode) || leaf.text !== 'synthflow' || !GrammarAST.isKeyword(leaf.grammarSource)) return undefined;
        const region = integrationSettingsOf(leaf.astNode, this.siblingsOf).region;
        if (region === undefined) return keywordDoc('synthflow', 'Allowlist');
        const ips = SYNTHFLOW_REGION_FACTS[region].signallingIps;
        return `**allowlist synthflow**: Dixa accepts INVITEs from Synthflow's ${region} signalling IPs ${ips.map(ip => `\`${ip}\``).join(', ')}.`;
    }

    /** A `did "…"` string: its canonical form, country and Synthflow slug, or why it is not a number. */
    protected getDidHover(leaf: CstNode): string | undefined {
        const assignment = AstUtils.getContainerOfType(leaf.grammarSource, GrammarAST.isAssignment);
        if (assignment?.feature !== 'did' || !(isQueue(leaf.astNode) || isDepartment(leaf.astNode))) return undefined;
        const text = leaf.text.slice(1, -1);
        const check = checkDid(text);
        if (check.kind === 'invalid') return `**DID** \`${text}\` is not a valid phone number: ${check.reason}.`;
        const country = check.country !== undefined ? `${regionNames.of(check.country) ?? check.country} (${check.country})` : 'non-geographic';
        return [
            `**DID** \`${check.e164}\``,
            '',
            `- E.164: \`${check.e164}\`${check.canonical ? '' : ' (write it this way)'}`,
            `- country: ${country}`,
            `- Synthflow number slug: \`${numberSlug(check.e164)}\``,
        ].join('\n');
    }
}
