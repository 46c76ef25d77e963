/**
 * The saved-plan file's schema (./PLAN-FORMAT.md), checked in full on load: a plan file is input an
 * attacker may have written, so everything apply relies on is validated before anything else happens.
 * JSON Schema via ajv (a well-kept validator; hand-written checks drift from the format and miss cases),
 * plus what a schema cannot say: unique ids, dependencies that exist, no dependency cycles.
 *
 * Operations are one table, OPERATION_FIELDS, keyed by `PlanOperation['type']`: the compiler fails when
 * an operation type has no entry, or an entry's fields differ from the type's. Add a new operation there.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { TRANSFER_MODES } from '../vendors/synthflow-facts.js';
import { TRANSFER_FIELDS, type TransferFieldKey } from '../vendors/transfer-fields.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type PlanItem, type PlanItemKind, type PlanOperation, type PlanResource, type PlanVendor } from './types.js';

/** A JSON Schema fragment. */
type Schema = Readonly<Record<string, unknown>>;

const text: Schema = { type: 'string' };
const nonEmptyText: Schema = { type: 'string', minLength: 1 };
const nullable = (schema: Schema): Schema => ({ anyOf: [{ type: 'null' }, schema] });
const listOf = (items: Schema): Schema => ({ type: 'array', items });
/** An object with exactly these fields, all required. */
const record = (properties: Record<string, Schema>, optional: readonly string[] = []): Schema => ({
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter(key => !optional.includes(key)),
    properties,
});

const e164: Schema = { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' };
const envName: Schema = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
const hash: Schema = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' };

/** Keyed by the transfer field table, so a field missing here fails the compiler; optional as the API has it. */
const TRANSFER_FIELD_SCHEMAS: Readonly<Record<TransferFieldKey, Schema>> = {
    transferMode: { enum: Object.values(TRANSFER_MODES) },
    phone: nonEmptyText,
    instructions: text,
    initiatingMsg: text,
    failedMsg: text,
    timeout: { type: 'number', minimum: 0 },
};
const liveTransferConfig = record(
    TRANSFER_FIELD_SCHEMAS,
    TRANSFER_FIELDS.filter(field => !field.required).map(field => field.key),
);
const actionRef: Schema = { oneOf: [record({ actionId: nonEmptyText }), record({ createdBy: nonEmptyText })] };

/** Each operation type's fields (besides `type`) and their JSON types. */
export type OperationFieldTable = {
    readonly [T in PlanOperation['type']]: { readonly [F in Exclude<keyof Extract<PlanOperation, { type: T }>, 'type'>]-?: Schema };
};

export const OPERATION_FIELDS = {
    'dixa.createQueue': { name: nonEmptyText, offerAlgorithm: nullable(text) },
    'synthflow.importNumber': {
        e164,
        friendlyName: nonEmptyText,
        terminationUri: nonEmptyText,
        trunkUsernameEnv: nullable(envName),
        trunkPasswordEnv: nullable(envName),
    },
    'synthflow.updateNumber': { e164, friendlyName: nullable(text), terminationUri: nullable(nonEmptyText) },
    'synthflow.setInboundNumber': { modelId: nonEmptyText, e164 },
    'synthflow.createTransfer': { modelId: nonEmptyText, name: nonEmptyText, config: liveTransferConfig },
    'synthflow.updateTransfer': { modelId: nonEmptyText, actionId: nonEmptyText, config: liveTransferConfig },
    'synthflow.attachActions': { modelId: nonEmptyText, add: listOf(actionRef) },
    'synthflow.detachActions': { modelId: nonEmptyText, remove: listOf(nonEmptyText) },
    'synthflow.deleteAction': { actionId: nonEmptyText },
} satisfies OperationFieldTable;

// Records keyed by the union types, so that the compiler insists every value is listed.
const VENDORS: Record<PlanVendor, true> = { dixa: true, synthflow: true };
const RESOURCES: Record<PlanResource, true> = {
    queue: true,
    number: true,
    assistant: true,
    'assistant-numbers': true,
    'transfer-action': true,
    'assistant-actions': true,
    'sip-settings': true,
    'phone-flow': true,
    'queue-routing': true,
};
const KINDS: Record<PlanItemKind, true> = { create: true, update: true, adopt: true, attach: true, dedupe: true, 'no-op': true, conflict: true, orphan: true, manual: true };

const operationSchema: Schema = {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string' } },
    discriminator: { propertyName: 'type' },
    oneOf: Object.entries(OPERATION_FIELDS).map(([type, fields]) => record({ type: { const: type }, ...fields })),
};

const fieldValue: Schema = { anyOf: [{ type: ['string', 'number', 'boolean', 'null'] }, listOf(text)] };

const itemSchema = record({
    id: nonEmptyText,
    vendor: { enum: Object.keys(VENDORS) },
    resource: { enum: Object.keys(RESOURCES) },
    kind: { enum: Object.keys(KINDS) },
    key: text,
    summary: text,
    changes: listOf(record({ field: nonEmptyText, before: fieldValue, after: fieldValue })),
    detail: nullable(text),
    departments: listOf(text),
    dependsOn: listOf(nonEmptyText),
    // An object must be a known operation; otherwise it must be null (errors then name the operation's problem).
    operation: { if: { type: 'object' }, then: operationSchema, else: { type: 'null' } },
    requiresPrune: { type: 'boolean' },
});

const count: Schema = { type: 'integer', minimum: 0 };

export const SAVED_PLAN_SCHEMA = record({
    format: { const: PLAN_FORMAT },
    formatVersion: { const: PLAN_FORMAT_VERSION },
    integration: nonEmptyText,
    environment: nullable(nonEmptyText),
    sources: { ...listOf(record({ path: nonEmptyText, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } })), minItems: 1 },
    sourceHash: hash,
    liveFingerprint: hash,
    liveSections: { type: 'object', additionalProperties: hash },
    items: listOf(itemSchema),
    summary: record({ create: count, update: count, adopt: count, attach: count, dedupe: count, orphan: count, noOp: count, conflict: count, manual: count }),
    hasChanges: { type: 'boolean' },
    contentHash: hash,
});

let compiled: ValidateFunction | undefined;

/** Compiled on first use: only apply of a saved plan needs it. */
function validator(): ValidateFunction {
    compiled ??= new Ajv({ discriminator: true, allErrors: false, strict: true, allowUnionTypes: true }).compile(SAVED_PLAN_SCHEMA);
    return compiled;
}

/** null when `value` has the saved-plan shape; otherwise one line saying where and what is wrong. */
export function savedPlanShapeProblem(value: unknown): string | null {
    const validate = validator();
    if (validate(value)) return null;
    return describeSchemaError(validate.errors?.[0], value);
}

function describeSchemaError(error: ErrorObject | undefined, value: unknown): string {
    if (!error) return 'it does not have the saved-plan shape';
    const segments = error.instancePath
        .split('/')
        .slice(1)
        .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let where = 'the plan';
    if (segments[0] === 'items' && segments.length >= 2) {
        const id = (value as { items?: Array<{ id?: unknown }> }).items?.[Number(segments[1])]?.id;
        where = `item ${typeof id === 'string' ? id : `#${Number(segments[1]) + 1}`}`;
        if (segments.length > 2) where += `, field ${segments.slice(2).join('.')}`;
    } else if (segments.length > 0) {
        where = `field ${segments.join('.')}`;
    }
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case 'required':
            return `${where} lacks "${String(params.missingProperty)}"`;
        case 'additionalProperties':
            return `${where} has an unknown field "${String(params.additionalProperty)}"`;
        case 'discriminator':
            return params.error === 'mapping'
                ? `${where}: unknown operation type ${JSON.stringify(params.tagValue)} (known: ${Object.keys(OPERATION_FIELDS).join(', ')})`
                : `${where}: the operation's "type" is missing or not a string`;
        case 'enum':
            return `${where} must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`;
        case 'const':
            return `${where} must be ${JSON.stringify(params.allowedValue)}`;
        default:
            return `${where} ${error.message ?? 'is invalid'}`;
    }
}

/**
 * null when the items' ids are unique, every dependency is an item of the plan, and the dependencies
 * have no cycle; otherwise one line naming the problem. Iterative (Kahn's algorithm), so that no plan
 * however deep or cyclic can overflow the stack.
 */
export function dependencyProblem(items: readonly Pick<PlanItem, 'id' | 'dependsOn'>[]): string | null {
    const ids = new Set<string>();
    for (const item of items) {
        if (ids.has(item.id)) return `item ${item.id} appears twice`;
        ids.add(item.id);
    }
    const dependents = new Map<string, string[]>();
    const waitingFor = new Map<string, number>();
    for (const item of items) {
        const dependencies = item.dependsOn.length > 1 ? [...new Set(item.dependsOn)] : item.dependsOn;
        for (const dependency of dependencies) {
            if (!ids.has(dependency)) return `item ${item.id} depends on ${dependency}, which is not in the plan`;
            if (dependency === item.id) return `item ${item.id} depends on itself`;
            const list = dependents.get(dependency);
            if (list) list.push(item.id);
            else dependents.set(dependency, [item.id]);
        }
        waitingFor.set(item.id, dependencies.length);
    }
    const ready = items.filter(item => waitingFor.get(item.id) === 0).map(item => item.id);
    let settled = 0;
    while (ready.length > 0) {
        const id = ready.pop()!;
        settled++;
        for (const dependent of dependents.get(id) ?? []) {
            const left = waitingFor.get(dependent)! - 1;
            waitingFor.set(dependent, left);
            if (left === 0) ready.push(dependent);
        }
    }
    if (settled === items.length) return null;
    return `the dependencies form a cycle (${describeCycle(items, waitingFor)})`;
}

/** One cycle among the unsettled items, as `a → b → a` (long ones shortened): follow unsettled dependencies until one repeats. */
function describeCycle(items: readonly Pick<PlanItem, 'id' | 'dependsOn'>[], waitingFor: ReadonlyMap<string, number>): string {
    const byId = new Map(items.map(item => [item.id, item]));
    const unsettled = (id: string) => (waitingFor.get(id) ?? 0) > 0;
    let current = items.find(item => unsettled(item.id))!.id;
    const path: string[] = [];
    const seenAt = new Map<string, number>();
    while (!seenAt.has(current)) {
        seenAt.set(current, path.length);
        path.push(current);
        current = byId.get(current)!.dependsOn.find(unsettled)!;
    }
    const cycle = path.slice(seenAt.get(current));
    if (cycle.length <= 5) return [...cycle, current].join(' → ');
    return `${[...cycle.slice(0, 4), '…', cycle.at(-1)!, current].join(' → ')}; ${cycle.length} items`;
}
