/**
 * Every diagnostic the language reports: its stable code and severity. docs/language.md documents each
 * (test/docs/language-reference.test.ts fails on one it lacks); the second block holds the structural problems.
 */
export const DIAGNOSTICS = {
    'e164-invalid': 'error',
    'e164-not-canonical': 'warning',
    'did-duplicate': 'error',
    'sip-domain-invalid': 'error',
    'sip-domain-not-dixa': 'warning',
    /** `organization` is empty or not a DNS label (a Dixa organization's subdomain). */
    'organization-invalid': 'error',
    'allowlist-missing': 'error',
    'allowlist-incomplete': 'warning',
    'ip-invalid': 'error',
    'sip-uri-invalid': 'error',
    'escalation-not-sip': 'error',
    'escalation-wrong-domain': 'error',
    'escalation-unknown-queue': 'warning',
    /** A department escalates to the same target twice: one assistant action per target. */
    'escalation-duplicate': 'error',
    'timeout-range': 'error',
    'timeout-unusual': 'warning',
    'fallback-missing': 'warning',
    'plaintext-secret': 'error',
    'assistant-id-invalid': 'error',
    /** Synthflow gives an inbound assistant one `phone_number`: it cannot answer two departments' DIDs. */
    'assistant-shared': 'error',
    'workspace-missing': 'error',
    /** `region global`: Synthflow is retiring the legacy global cluster (legacy-cluster-migration). */
    'region-global-retiring': 'warning',
    'cold-transfer-refer': 'warning',
    'uui-key': 'warning',
    /** A `header` whose name is not `X-…` (Synthflow's pattern) or whose value holds CR, LF or NUL. */
    'header-invalid': 'error',
    'queue-unused': 'hint',
    'linking-error': 'error',

    /** A required block or setting is absent (dixa, synthflow, sip-domain, region, did, assistant). */
    'required-missing': 'error',
    /** A setting is written twice in one block; only the last one would count. */
    'setting-duplicate': 'error',
    /** Two queues or two departments share a name, or two queues the same Dixa `name`. */
    'name-duplicate': 'error',
    /** A duration without a unit or with an unknown one. */
    'duration-invalid': 'error',
    /** More than one `dixa`/`synthflow` block in an integration (or in one environment). */
    'block-duplicate': 'error',
    /** An environment overrides a queue or department the integration does not declare. */
    'environment-target-unknown': 'error',
} as const satisfies Record<string, 'error' | 'warning' | 'info' | 'hint'>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;
export type DiagnosticSeverityName = (typeof DIAGNOSTICS)[DiagnosticCode];

/**
 * Not rules of the language, so not in DIAGNOSTICS: `problems-capped` stands for the diagnostics of a
 * file beyond MAX_DIAGNOSTICS_PER_FILE (its severity is the worst of those), and `internal-error` says a
 * check failed, so the file is not known to be valid (always an error).
 */
export const PROBLEMS_CAPPED_CODE = 'problems-capped';
export const INTERNAL_ERROR_CODE = 'internal-error';
export const MAX_DIAGNOSTICS_PER_FILE = 1000;
