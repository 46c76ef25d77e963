import type { AstNode, ValidationAcceptor, ValidationChecks } from 'langium';
import type { Department, DixaBlock, Environment, Escalation, Integration, Queue, SipflowAstType } from '../generated/ast.js';
import { isIntegration } from '../generated/ast.js';
import { AstUtils } from 'langium';
import type { SipflowCoreServices } from '../sipflow-core-module.js';
import { integrationParts } from '../integration-parts.js';
import { isHostName } from '../values/network.js';
import { checkAllowlist, checkOrganization, checkSipDomain } from './dixa-checks.js';
import { checkDepartment, checkSharedAssistants } from './department-checks.js';
import { checkDuplicateEscalations, checkEscalation } from './escalation-checks.js';
import { checkQueue } from './queue-checks.js';
import { checkDidValue, checkDuplicateDids } from './number-checks.js';
import { checkAcrossFiles } from './across-files-checks.js';
import { checkIntegrationStructure, checkRepeatedSettings } from './structure-checks.js';
import { checkSynthflowBlock, checkTrunkCredentials } from './synthflow-checks.js';
import { report } from './report.js';
import { checkEnvironment, insideEnvironment } from './environment-checks.js';

/** Registers the checks of every concept (validation/*-checks.ts) with Langium's registry. */
export function registerValidationChecks(services: SipflowCoreServices): void {
    const validator = new SipflowValidator(services);
    const repeated = (node: Parameters<typeof checkRepeatedSettings>[0], accept: ValidationAcceptor) => checkRepeatedSettings(node, accept);
    // Inside an environment only the block's own shape is checked here; its values are checked in the
    // environment's effective configuration, where they meet the settings they depend on (the region,
    // the sip-domain, the other DIDs), by SipflowDocumentValidator.validateEnvironments.
    // (A function, not an arrow, so that the registry's `this`, the validator, reaches the check.)
    const outsideEnvironments = <N extends AstNode>(check: (this: SipflowValidator, node: N, accept: ValidationAcceptor) => void) =>
        function (this: SipflowValidator, node: N, accept: ValidationAcceptor) {
            if (!insideEnvironment(node)) check.call(this, node, accept);
        };
    const checks: ValidationChecks<SipflowAstType> = {
        Integration: [checkIntegrationStructure, validator.checkAcrossFiles, checkDuplicateDids, checkSharedAssistants],
        Environment: [validator.checkEnvironment],
        DixaBlock: [outsideEnvironments(validator.checkDixaBlock), repeated],
        SynthflowBlock: [outsideEnvironments(checkSynthflowBlock), repeated],
        CredentialsTrunkAuth: [outsideEnvironments(checkTrunkCredentials), repeated],
        Queue: [outsideEnvironments(checkQueue), outsideEnvironments(checkDidValue), outsideEnvironments(validator.checkQueueUsed), repeated],
        Department: [outsideEnvironments(checkDidValue), outsideEnvironments(checkDepartment), outsideEnvironments(validator.checkDuplicateEscalations), repeated],
        Escalation: [outsideEnvironments(validator.checkEscalation), repeated],
    };
    services.validation.ValidationRegistry.register(checks, validator);
}

export class SipflowValidator {
    constructor(private readonly services: SipflowCoreServices) {}

    checkAcrossFiles(integration: Integration, accept: ValidationAcceptor): void {
        checkAcrossFiles(integration, this.services.references.SipflowQueues.siblingsOf(integration), accept);
    }

    checkEnvironment(environment: Environment, accept: ValidationAcceptor): void {
        checkEnvironment(environment, this.services.references.SipflowQueues.siblingsOf(environment.$container), accept);
    }

    checkDixaBlock(block: DixaBlock, accept: ValidationAcceptor): void {
        const integration = AstUtils.getContainerOfType(block, isIntegration);
        if (!integration) return;
        checkSipDomain(block, accept);
        checkOrganization(block, accept);
        checkAllowlist(block, integration, accept);
    }

    checkEscalation(escalation: Escalation, accept: ValidationAcceptor): void {
        const integration = AstUtils.getContainerOfType(escalation, isIntegration);
        if (!integration) return;
        checkEscalation(
            escalation,
            {
                sipDomain: this.sipDomainOf(integration),
                queues: this.services.references.SipflowQueues.queuesOf(integration),
            },
            accept,
        );
    }

    checkDuplicateEscalations(department: Department, accept: ValidationAcceptor): void {
        const integration = AstUtils.getContainerOfType(department, isIntegration);
        if (integration) checkDuplicateEscalations(department, this.sipDomainOf(integration), accept);
    }

    /** The integration's valid Dixa sip-domain, from this file's dixa block or another file's. */
    private sipDomainOf(integration: Integration): string | undefined {
        const dixa =
            integrationParts(integration).dixa ??
            this.services.references.SipflowQueues.siblingsOf(integration)
                .map(sibling => integrationParts(sibling).dixa)
                .find(block => block !== undefined);
        const domain = dixa?.sipDomain;
        return domain !== undefined && isHostName(domain) ? domain : undefined;
    }

    /** queue-unused: no department (in any file of the integration) falls back or escalates to it. */
    checkQueueUsed(queue: Queue, accept: ValidationAcceptor): void {
        if (!queue.name) return; // unnamed: the parser has reported it
        if (!this.services.references.SipflowQueues.isQueueUsed(queue)) {
            report(accept, 'queue-unused', `Queue ${queue.name} is not used: no department falls back or escalates to it.`, {
                node: queue,
                property: 'name',
            });
        }
    }
}
