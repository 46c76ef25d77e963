import { describe, expect, it } from 'vitest';
import { AccountMismatchError } from '../src/apply/account-guard.js';
import { PlanConflictError, SavedPlanMismatchError, StalePlanError, StepPreconditionError } from '../src/apply/errors.js';
import { UsageError } from '../src/cli/cli-support.js';
import { RunLockError, RunLockHeldError } from '../src/cli/run-lock.js';
import { CommandError } from '../src/cli/vendor-session.js';
import { NotRegularFileError } from '../src/cli/workspace.js';
import { errorNameOf, SIPFLOW_ERROR_CODES, SipflowError, type SipflowErrorCode } from '../src/errors.js';
import { DesiredStateError, ModelInputError, UnknownEnvironmentError } from '../src/model/build.js';
import { PlanFormatError } from '../src/plan/render-json.js';
import { BaseUrlError } from '../src/providers/http/base-url.js';
import { ProviderError } from '../src/providers/types.js';
import { FaultSpecError } from '../src/sandbox/faults.js';
import { ApiError } from '../src/sandbox/http.js';
import { VerifyError } from '../src/verify/call.js';

/** One instance of every error class (MissingCredentialsError needs the vscode module: checked by name below). */
const instances: ReadonlyArray<[SipflowErrorCode, new (...args: never[]) => SipflowError, SipflowError]> = [
    ['desired-state', DesiredStateError, new DesiredStateError('acme', [{ code: 'e164-invalid', message: 'not E.164' }])],
    ['model-input', ModelInputError, new ModelInputError('no integration')],
    ['unknown-environment', UnknownEnvironmentError, new UnknownEnvironmentError('acme', 'staging', ['prod'])],
    ['provider', ProviderError, new ProviderError({ vendor: 'dixa', operation: 'GET /queues', message: 'Dixa GET /queues failed' })],
    ['base-url', BaseUrlError, new BaseUrlError('bad URL')],
    ['plan-format', PlanFormatError, new PlanFormatError('not a plan')],
    ['plan-conflict', PlanConflictError, new PlanConflictError([])],
    ['stale-plan', StalePlanError, new StalePlanError('source', [], 'stale')],
    ['step-precondition', StepPreconditionError, new StepPreconditionError('unset')],
    ['saved-plan-mismatch', SavedPlanMismatchError, new SavedPlanMismatchError('edited')],
    ['account-mismatch', AccountMismatchError, new AccountMismatchError('other org')],
    ['usage', UsageError, new UsageError('bad flag')],
    ['command', CommandError, new CommandError('failed')],
    ['not-regular-file', NotRegularFileError, new NotRegularFileError('a FIFO')],
    ['run-lock', RunLockError, new RunLockError('cannot lock')],
    ['run-lock-held', RunLockHeldError, new RunLockHeldError({ integration: 'acme', workspace: 'w', target: 't' }, '/tmp/x.lock', undefined)],
    ['verify', VerifyError, new VerifyError('no caller')],
    ['fault-spec', FaultSpecError, new FaultSpecError('bad spec')],
    ['api', ApiError, new ApiError(404, 'not found')],
];

describe('the error model', () => {
    it.each(instances.map(([code, type, error]) => ({ code, type, error, label: type.name })))(
        '$label: a SipflowError with code $code and its class name as name',
        ({ code, type, error }) => {
            expect(error).toBeInstanceOf(SipflowError);
            expect(error).toBeInstanceOf(Error);
            expect(error.code).toBe(code);
            expect(error.name).toBe(type.name);
            expect(String(error)).toBe(`${type.name}: ${error.message}`);
        },
    );

    it('every code has its class above (but the extension-only one), and names follow the code', () => {
        const covered = instances.map(([code]) => code);
        expect(new Set(covered).size).toBe(covered.length);
        expect([...covered, 'missing-credentials'].sort()).toEqual([...SIPFLOW_ERROR_CODES].sort());
        expect(errorNameOf('missing-credentials')).toBe('MissingCredentialsError');
        expect(errorNameOf('run-lock-held')).toBe('RunLockHeldError');
    });

    it('keeps messages as given', () => {
        expect(new UsageError('--env needs a name').message).toBe('--env needs a name');
        expect(new UnknownEnvironmentError('acme', 'staging', []).message).toBe('integration acme has no environment staging: it declares none (environment NAME { … })');
    });

    it('ProviderError takes an options object; outcome and kind default to failed and client', () => {
        const error = new ProviderError({ vendor: 'synthflow', operation: 'POST /actions', message: 'Synthflow POST /actions failed with HTTP 400', status: 400 });
        expect({ vendor: error.vendor, operation: error.operation, status: error.status, outcome: error.outcome, kind: error.kind }).toEqual({
            vendor: 'synthflow',
            operation: 'POST /actions',
            status: 400,
            outcome: 'failed',
            kind: 'client',
        });
        const unknown = new ProviderError({ vendor: 'dixa', operation: 'POST /queues', message: 'timed out', outcome: 'unknown', kind: 'timeout' });
        expect([unknown.outcome, unknown.kind, unknown.status]).toEqual(['unknown', 'timeout', undefined]);
    });
});
