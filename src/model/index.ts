/**
 * src/model — the desired state of one integration, derived from its `.sipflow` AST.
 *
 *   const desired = buildDesiredState(document, otherDocumentsOfTheWorkspace);
 *
 * Pure: no I/O, no environment access. The result is deep-frozen plain data (JSON-serialisable) and
 * never contains a secret value, only `env:` variable names.
 */
export type {
    DesiredAllowlist,
    DesiredDixaOrganization,
    DesiredDepartment,
    DesiredDixa,
    DesiredEscalation,
    DesiredNumber,
    DesiredQueue,
    DesiredSource,
    DesiredState,
    DesiredSynthflow,
    DesiredTrunkAuth,
} from './types.js';
export { QUEUE_KIND_OFFER_ALGORITHM } from '../vendors/dixa-facts.js';
export { buildDesiredState, DesiredStateError, ModelInputError, UnknownEnvironmentError, uuiHeader, type BuildOptions, type ModelProblem } from './build.js';
export { diagnosticAppliesTo, environmentsOf, type IntegrationSource } from './sources.js';
export { departmentMarker, escalationActionName, ownerKey, ownershipMarker, parseOwnership, OWNERSHIP_PREFIX, type Ownership } from './ownership.js';
export { canonicalJson, sha256, sourceHashOf } from './hash.js';
