/**
 * The machine rendering of a plan (`plan --json`, and the saved-plan file of `plan --out FILE`).
 * Format: ./PLAN-FORMAT.md. Never holds a secret value (credentials are `env:` names).
 */
import { deepFreeze } from '../model/hash.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type Plan, type PlanItemKind } from './types.js';

/** The plan as stable, indented JSON (same plan → same bytes), ending with a newline. */
export function renderPlanJson(plan: Plan): string {
    return `${JSON.stringify(plan, null, 2)}\n`;
}

/** A saved plan that cannot be read: not JSON, not a sipflow plan, or another format version. */
export class PlanFormatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'PlanFormatError';
    }
}

const KINDS: readonly PlanItemKind[] = ['create', 'update', 'adopt', 'attach', 'no-op', 'conflict', 'orphan', 'manual'];

/** Reads a plan written by `renderPlanJson`; checks its format and version and the shape apply relies on. */
export function parsePlanJson(text: string): Plan {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new PlanFormatError(`Not a sipflow plan: the file is not JSON (${(error as Error).message}).`);
    }
    const plan = value as Partial<Plan> | null;
    if (!plan || typeof plan !== 'object' || plan.format !== PLAN_FORMAT) {
        throw new PlanFormatError(`Not a sipflow plan: "format" is not "${PLAN_FORMAT}". Write one with sipflow plan FILE --out PLAN.`);
    }
    if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
        throw new PlanFormatError(`This plan has format version ${String(plan.formatVersion)}; this sipflow reads version ${PLAN_FORMAT_VERSION}. Make a new plan with this version.`);
    }
    const missing = (['integration', 'sourceHash', 'liveFingerprint', 'liveSections', 'desired', 'items', 'summary'] as const)
        .filter(key => plan[key] === undefined || plan[key] === null);
    if (missing.length > 0) throw new PlanFormatError(`The plan is incomplete: it lacks ${missing.join(', ')}.`);
    if (!Array.isArray(plan.items)) throw new PlanFormatError('The plan is damaged: "items" is not a list.');
    const ids = new Set<string>();
    for (const item of plan.items) {
        if (!item || typeof item.id !== 'string' || !KINDS.includes(item.kind) || !Array.isArray(item.dependsOn)) {
            throw new PlanFormatError(`The plan is damaged: item ${JSON.stringify(item?.id ?? null)} is malformed.`);
        }
        if (ids.has(item.id)) throw new PlanFormatError(`The plan is damaged: item ${item.id} appears twice.`);
        ids.add(item.id);
    }
    for (const item of plan.items) {
        for (const dependency of item.dependsOn) {
            if (!ids.has(dependency)) throw new PlanFormatError(`The plan is damaged: ${item.id} depends on ${dependency}, which is not in the plan.`);
        }
    }
    return deepFreeze(plan as Plan);
}
