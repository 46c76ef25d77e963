/**
 * The sandbox: a stateful local stand-in for the Dixa (/v1) and Synthflow (/v2) APIs, faithful to the
 * vendor OpenAPI files, with seeded demo data, Dixa's rate limit and injectable faults. See README.md.
 */
export {
    ADMIN_PREFIX,
    DEFAULT_SANDBOX_KEY,
    DIXA_DEFAULT_RATE_LIMIT,
    startSandbox,
    toFaultConfig,
    type DixaRateLimitOptions,
    type FaultsInput,
    type RequestLogEntry,
    type Sandbox,
    type SandboxOptions,
} from './server.js';
export { FaultSpecError, formatFaultRule, parseFaultSpec, type FaultAction, type FaultConfig, type FaultRule, type FaultStatus } from './faults.js';
export { DEMO, SEED_NAMES, seedState, type SeedName } from './seed.js';
export type { SandboxState } from './state.js';
export { DEFAULT_ASSUMPTIONS, type SandboxAssumptions } from './assumptions.js';
