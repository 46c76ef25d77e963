import { isOperationCancelled, ValidationRegistry, type AstNode, type MaybePromise, type ValidationAcceptor, type ValidationCategory, type ValidationCheck } from 'langium';
import { INTERNAL_ERROR_CODE } from '../diagnostic-codes.js';

/** ValidationRegistry.addEntry's entry type, which langium does not export. */
type ValidationCheckEntry = Parameters<ValidationRegistry['addEntry']>[1];

/**
 * A check that throws is reported as one `internal-error` diagnostic on the node: an error, so the
 * file never passes as clean, with a code `sipflow validate` recognises. Langium's default also
 * prints the stack trace on the console, which would break the CLI's one-line promise.
 *
 * Checks run synchronously unless they return a promise. Langium wraps every check in two async
 * functions, so each check on each node allocated three promises and waited a microtask; at 10,000
 * departments that was ~20 % of validating. checksFor gives each node type's checks as a cached
 * array instead of a stream built per node.
 */
export class SipflowValidationRegistry extends ValidationRegistry {
    /** By the categories' names ('*' for all), then by node type. */
    private readonly checksByCategories = new Map<string, Map<string, readonly ValidationCheck[]>>();
    private lastCategories: readonly ValidationCategory[] | undefined | null = null;
    private lastByType = new Map<string, readonly ValidationCheck[]>();

    protected override wrapValidationException(check: ValidationCheck, thisObj: unknown): ValidationCheck {
        return (node, accept, cancelToken) => {
            try {
                const result = check.call(thisObj, node, accept, cancelToken);
                if (isPromiseLike(result)) return result.then(undefined, (error: unknown) => this.reportFailure(error, accept, node));
            } catch (error) {
                this.reportFailure(error, accept, node);
            }
            return undefined;
        };
    }

    protected override async handleException(functionality: () => MaybePromise<void>, _messageContext: string, accept: ValidationAcceptor, node: AstNode): Promise<void> {
        try {
            await functionality();
        } catch (error) {
            this.reportFailure(error, accept, node);
        }
    }

    protected override addEntry(type: string, entry: ValidationCheckEntry): void {
        this.checksByCategories.clear();
        this.lastCategories = null;
        super.addEntry(type, entry);
    }

    /**
     * getChecks as an array, built once per node type and set of categories. Langium's builder passes a new
     * categories array to each validation, so the key is the categories' names, joined once per array.
     */
    checksFor(type: string, categories?: readonly ValidationCategory[]): readonly ValidationCheck[] {
        if (categories !== this.lastCategories) {
            this.lastCategories = categories;
            const key = categories ? categories.join('\0') : '*';
            let byType = this.checksByCategories.get(key);
            if (!byType) this.checksByCategories.set(key, (byType = new Map()));
            this.lastByType = byType;
        }
        let checks = this.lastByType.get(type);
        if (!checks) {
            checks = this.getChecks(type, categories && [...categories]).toArray();
            this.lastByType.set(type, checks);
        }
        return checks;
    }

    private reportFailure(error: unknown, accept: ValidationAcceptor, node: AstNode): void {
        if (isOperationCancelled(error)) throw error;
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        accept('error', `sipflow could not finish checking this file (internal error: ${reason}). The file is not known to be valid; please report this.`, {
            node,
            code: INTERNAL_ERROR_CODE,
            data: { code: INTERNAL_ERROR_CODE },
        });
    }
}

function isPromiseLike(value: unknown): value is PromiseLike<void> {
    return typeof (value as PromiseLike<void> | undefined)?.then === 'function';
}
