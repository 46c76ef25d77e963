/**
 * One plan operation, run against the providers: one named function per operation type, each in the
 * same stages — resolve its inputs (credentials from the environment, ids created by earlier steps),
 * take the locks it needs, make the call (the providers read back what they write), and describe
 * what was done in one line.
 */
import type { PlanOperation } from '../plan/types.js';
import { StepPreconditionError } from './errors.js';
import type { Providers } from './live.js';
import type { KeyedLocks } from './locks.js';

export interface Done {
    readonly message: string;
    readonly createdId?: string;
}

export interface RunContext {
    readonly providers: Providers;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly locks: KeyedLocks;
    /** Ids produced by create steps (by step id), for the attach steps that reference them. */
    readonly created: ReadonlyMap<string, string>;
}

type Operation<T extends PlanOperation['type']> = Extract<PlanOperation, { readonly type: T }>;
type Runners = { readonly [T in PlanOperation['type']]: (operation: Operation<T>, ctx: RunContext) => Promise<Done> };

const RUNNERS: Runners = {
    'dixa.createQueue': createQueue,
    'synthflow.importNumber': importNumber,
    'synthflow.updateNumber': updateNumber,
    'synthflow.setInboundNumber': setInboundNumber,
    'synthflow.createTransfer': createTransfer,
    'synthflow.updateTransfer': updateTransfer,
    'synthflow.attachActions': attachActions,
    'synthflow.detachActions': detachActions,
    'synthflow.deleteAction': deleteAction,
};

export function runOperation(operation: PlanOperation, ctx: RunContext): Promise<Done> {
    const run = RUNNERS[operation.type] as (operation: PlanOperation, ctx: RunContext) => Promise<Done>;
    return run(operation, ctx);
}

// ─── Stages shared by the operations ────────────────────────────────────────────────────────────

/** Runs `call` holding the locks on `keys` (an assistant's model_id, a transfer target). */
async function withLocks<T>(ctx: RunContext, keys: readonly string[], call: () => Promise<T>): Promise<T> {
    const release = await ctx.locks.acquire(keys);
    try {
        return await call();
    } finally {
        release();
    }
}

function credential(env: RunContext['env'], name: string | null, what: string, e164: string): string | undefined {
    if (name === null) return undefined;
    const value = env[name];
    if (value === undefined || value === '') {
        throw new StepPreconditionError(`environment variable ${name} is not set (the trunk ${what} for ${e164}): set it and run apply again`);
    }
    return value;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

// ─── Dixa ───────────────────────────────────────────────────────────────────────────────────────

async function createQueue(operation: Operation<'dixa.createQueue'>, ctx: RunContext): Promise<Done> {
    const queue = await ctx.providers.dixa.createQueue({ name: operation.name, ...(operation.offerAlgorithm ? { offerAlgorithm: operation.offerAlgorithm } : {}) });
    return { message: `created queue "${queue.name}" (${queue.id})`, createdId: queue.id };
}

// ─── Synthflow numbers ──────────────────────────────────────────────────────────────────────────

async function importNumber(operation: Operation<'synthflow.importNumber'>, ctx: RunContext): Promise<Done> {
    const trunkUsername = credential(ctx.env, operation.trunkUsernameEnv, 'username', operation.e164);
    const trunkPassword = credential(ctx.env, operation.trunkPasswordEnv, 'password', operation.e164);
    await ctx.providers.synthflow.importNumber({
        e164: operation.e164,
        friendlyName: operation.friendlyName,
        terminationUri: operation.terminationUri,
        ...(trunkUsername !== undefined ? { trunkUsername } : {}),
        ...(trunkPassword !== undefined ? { trunkPassword } : {}),
    });
    return { message: `imported ${operation.e164} as "${operation.friendlyName}"` };
}

async function updateNumber(operation: Operation<'synthflow.updateNumber'>, ctx: RunContext): Promise<Done> {
    await ctx.providers.synthflow.updateNumber(operation.e164, {
        ...(operation.friendlyName !== null ? { friendlyName: operation.friendlyName } : {}),
        ...(operation.terminationUri !== null ? { terminationUri: operation.terminationUri } : {}),
    });
    const fields = [operation.friendlyName !== null ? 'friendly_name' : '', operation.terminationUri !== null ? 'termination_uri' : ''].filter(Boolean);
    return { message: `updated ${operation.e164} (${fields.join(', ')})` };
}

async function setInboundNumber(operation: Operation<'synthflow.setInboundNumber'>, ctx: RunContext): Promise<Done> {
    await withLocks(ctx, [operation.modelId], () => ctx.providers.synthflow.setInboundNumber(operation.modelId, operation.e164));
    return { message: `${operation.e164} is now the number of ${operation.modelId} (read back)` };
}

// ─── Synthflow transfer actions ─────────────────────────────────────────────────────────────────

async function createTransfer(operation: Operation<'synthflow.createTransfer'>, ctx: RunContext): Promise<Done> {
    // Two creates to one target in flight at once could each adopt the other's action after an
    // unknown outcome: one at a time per target.
    const actionId = await withLocks(ctx, [`transfer ${operation.config.phone}`], () => ctx.providers.synthflow.createLiveTransfer(operation.config, operation.name));
    return { message: `created LIVE_TRANSFER ${actionId} to ${operation.config.phone}`, createdId: actionId };
}

async function updateTransfer(operation: Operation<'synthflow.updateTransfer'>, ctx: RunContext): Promise<Done> {
    await ctx.providers.synthflow.updateLiveTransfer(operation.actionId, operation.config);
    return { message: `updated LIVE_TRANSFER ${operation.actionId}` };
}

async function attachActions(operation: Operation<'synthflow.attachActions'>, ctx: RunContext): Promise<Done> {
    const ids = operation.add.map(ref => {
        if ('actionId' in ref) return ref.actionId;
        const id = ctx.created.get(ref.createdBy);
        if (!id) throw new StepPreconditionError(`the action ${ref.createdBy} should have created is unknown`);
        return id;
    });
    const change = await withLocks(ctx, [operation.modelId], () => ctx.providers.synthflow.attachActions(operation.modelId, ids));
    if (change.changed.length === 0) return { message: 'already attached (read back)' };
    const kept = change.after.length - change.changed.length;
    return {
        message:
            `attached ${change.changed.join(', ')}${kept > 0 ? `, keeping its ${plural(kept, 'other action')}` : ''} (read back)` +
            (change.restored.length > 0 ? `; the API had dropped ${plural(change.restored.length, 'action')} already there, attached again` : ''),
    };
}

async function detachActions(operation: Operation<'synthflow.detachActions'>, ctx: RunContext): Promise<Done> {
    const change = await withLocks(ctx, [operation.modelId], () => ctx.providers.synthflow.detachActions(operation.modelId, operation.remove));
    if (change.changed.length === 0) return { message: 'already detached (read back)' };
    return { message: `detached ${change.changed.join(', ')}, keeping ${plural(change.after.length, 'other action')} (read back; the action itself is kept)` };
}

async function deleteAction(operation: Operation<'synthflow.deleteAction'>, ctx: RunContext): Promise<Done> {
    const { synthflow } = ctx.providers;
    const action = await synthflow.getAction(operation.actionId, { includeAssistants: true });
    if (!action) return { message: 'already gone' };
    const on = action.assistants ?? [];
    if (on.length > 0) return { message: `kept: it is attached to ${on.join(', ')}` };
    await synthflow.deleteAction(operation.actionId);
    return { message: `deleted ${operation.actionId}` };
}
