import { isOperationCancelled, ValidationRegistry, type AstNode, type MaybePromise, type ValidationAcceptor } from 'langium';
import { INTERNAL_ERROR_CODE } from '../diagnostic-codes.js';

/**
 * A check that throws is reported as one `internal-error` diagnostic on the node: an error, so the
 * file never passes as clean, with a code `sipflow validate` recognises. Langium's default also
 * prints the stack trace on the console, which would break the CLI's one-line promise.
 */
export class SipflowValidationRegistry extends ValidationRegistry {
    protected override async handleException(functionality: () => MaybePromise<void>, _messageContext: string, accept: ValidationAcceptor, node: AstNode): Promise<void> {
        try {
            await functionality();
        } catch (error) {
            if (isOperationCancelled(error)) throw error;
            const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
            accept('error', `sipflow could not finish checking this file (internal error: ${reason}). The file is not known to be valid; please report this.`, {
                node,
                code: INTERNAL_ERROR_CODE,
                data: { code: INTERNAL_ERROR_CODE },
            });
        }
    }
}
