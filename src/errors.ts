/**
 * The error model: every error sipflow throws on purpose is a SipflowError with a typed `code`, so a
 * caller can switch on it (`error.code === 'usage'`) instead of testing a chain of classes, and with
 * its `name` set one way (from the code, below). Messages are one line unless a class says otherwise
 * (PlanConflictError and DesiredStateError list their items); none carries a secret.
 *
 * This module imports nothing: any layer may throw these.
 */

/** One code per error class; a new class adds its code here (test/errors.test.ts checks each has a class). */
export const SIPFLOW_ERROR_CODES = [
    // src/model
    'desired-state',
    'model-input',
    'unknown-environment',
    // src/providers
    'provider',
    'base-url',
    // src/plan
    'plan-format',
    // src/apply
    'plan-conflict',
    'stale-plan',
    'step-precondition',
    'saved-plan-mismatch',
    'account-mismatch',
    // src/cli
    'usage',
    'command',
    'not-regular-file',
    'run-lock',
    'run-lock-held',
    // src/extension, src/verify, src/sandbox
    'missing-credentials',
    'verify',
    'fault-spec',
    'api',
] as const;

export type SipflowErrorCode = (typeof SIPFLOW_ERROR_CODES)[number];

/**
 * `plan-conflict` → `PlanConflictError`. The name comes from the code, not from the class's own name,
 * because the packaged extension is minified (class names are mangled there) and `name` is shown.
 * test/errors.test.ts checks that every class's name is its class name.
 */
export function errorNameOf(code: SipflowErrorCode): string {
    return `${code
        .split('-')
        .map(word => word.charAt(0).toUpperCase() + word.slice(1))
        .join('')}Error`;
}

export abstract class SipflowError extends Error {
    override readonly name: string;

    protected constructor(
        readonly code: SipflowErrorCode,
        message: string,
        options?: ErrorOptions,
    ) {
        super(message, options);
        this.name = errorNameOf(code);
    }
}
