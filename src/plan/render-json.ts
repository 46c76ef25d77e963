/**
 * The machine rendering of a plan (`plan --json`, and the saved-plan file of `plan --out FILE`).
 * Format: ./PLAN-FORMAT.md. Never holds a secret value (credentials are `env:` names), nor a host, key
 * or desired state: apply rebuilds those from the source files.
 */
import { SipflowError } from '../errors.js';
import { canonicalJson, deepFreeze, sha256 } from '../model/hash.js';
import { dependencyProblem, savedPlanShapeProblem } from './plan-schema.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type Plan, type SavedPlan, type SavedPlanSource } from './types.js';

/** `sha256:` of the canonical JSON of every field but `contentHash` itself. */
export function contentHashOf(plan: Omit<SavedPlan, 'contentHash'> | SavedPlan): string {
    const { contentHash: _ignored, ...content } = plan as SavedPlan;
    return `sha256:${sha256(canonicalJson(content))}`;
}

/** The plan as it is saved: its items, the sources (paths relative to the plan file) and the content hash. */
export function savedPlanOf(plan: Plan, sources: readonly SavedPlanSource[]): SavedPlan {
    const content: Omit<SavedPlan, 'contentHash'> = {
        format: plan.format,
        formatVersion: plan.formatVersion,
        integration: plan.integration,
        environment: plan.environment,
        sources,
        sourceHash: plan.sourceHash,
        liveFingerprint: plan.liveFingerprint,
        liveSections: plan.liveSections,
        items: plan.items,
        summary: plan.summary,
        hasChanges: plan.hasChanges,
    };
    return { ...content, contentHash: contentHashOf(content) };
}

/** The saved plan as stable, indented JSON (same plan → same bytes), ending with a newline. */
export function renderPlanJson(plan: Plan, sources: readonly SavedPlanSource[]): string {
    return `${JSON.stringify(savedPlanOf(plan, sources), null, 2)}\n`;
}

/** A saved plan that cannot be used: not JSON, not a sipflow plan, another format version, malformed or edited. */
export class PlanFormatError extends SipflowError {
    constructor(message: string) {
        super('plan-format', message);
    }
}

/**
 * Reads a plan written by `renderPlanJson`, refusing (PlanFormatError, one line) anything else: the
 * whole file is checked against the schema, then its content hash, then its dependency graph.
 */
export function parsePlanJson(text: string): SavedPlan {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new PlanFormatError(`Not a sipflow plan: the file is not JSON (${oneLine((error as Error).message)}).`);
    }
    const plan = value as Partial<SavedPlan> | null;
    if (!plan || typeof plan !== 'object' || Array.isArray(plan) || plan.format !== PLAN_FORMAT) {
        throw new PlanFormatError(`Not a sipflow plan: "format" is not "${PLAN_FORMAT}". Write one with sipflow plan FILE --out PLAN.`);
    }
    if (plan.formatVersion !== PLAN_FORMAT_VERSION) {
        throw new PlanFormatError(
            `This plan has format version ${oneLine(JSON.stringify(plan.formatVersion) ?? 'none')}; this sipflow reads version ${PLAN_FORMAT_VERSION}. Make a new plan with this version.`,
        );
    }
    const shape = savedPlanShapeProblem(value);
    if (shape !== null) throw new PlanFormatError(`The plan is malformed: ${oneLine(shape)}.`);
    const saved = value as SavedPlan;
    if (contentHashOf(saved) !== saved.contentHash) {
        throw new PlanFormatError('The plan file was edited after sipflow wrote it: its content hash does not match.');
    }
    const graph = dependencyProblem(saved.items);
    if (graph !== null) throw new PlanFormatError(`The plan is malformed: ${oneLine(graph)}.`);
    return deepFreeze(saved);
}

/** Values from the file end up in messages: keep them on one line, short, and free of terminal control codes. */
function oneLine(text: string): string {
    const flat = text
        .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
