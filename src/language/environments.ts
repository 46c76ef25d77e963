import type { AstNode, Reference } from 'langium';
import type { Department, DixaBlock, Environment, Escalation, Integration, Queue, SynthflowBlock } from './generated/ast.js';
import { isDepartment, isDixaBlock, isEnvironment, isQueue, isSynthflowBlock } from './generated/ast.js';

/*
 * Environments: `environment staging { … }` inside an integration overrides settings of the top level,
 * which is the default. The rules, in one place:
 * - An environment's `dixa` and `synthflow` blocks override the integration's; its `queue NAME` and
 *   `department NAME` blocks override the top-level queue or department of that name (they never add one).
 * - A setting written in the override wins; one not written is the default's. A list setting (allowlist,
 *   header, escalate) written in the override replaces the default's whole list.
 * - An environment may be spread over the files of an integration like the top level is: its overrides
 *   are gathered from every file by the environment's name.
 * The effective configuration of an environment is a view of the default's nodes with the overriding
 * values laid over them (`effectiveIntegrations`), so that the validator's checks and the model's
 * derivation run on it unchanged; `originOf` maps a value back to the line that wrote it.
 */

/** The blocks an environment may override. */
export type OverridableNode = DixaBlock | SynthflowBlock | Queue | Department;

/** Is this block inside an environment (a partial override), not the top level? */
export function isEnvironmentOverride(node: AstNode): boolean {
    return isEnvironment(node.$container);
}

/** The environment blocks of the integration's files, in file order. */
export function environmentBlocksOf(integrations: readonly Integration[]): Environment[] {
    return integrations.flatMap(integration => integration.members.filter(isEnvironment));
}

/** The environment names the integration's files declare, sorted, without duplicates. */
export function environmentNamesOf(integrations: readonly Integration[]): string[] {
    return [
        ...new Set(
            environmentBlocksOf(integrations)
                .map(env => env.name)
                .filter(name => typeof name === 'string' && name.length > 0),
        ),
    ].sort();
}

/** What an environment overrides, gathered from all files of the integration. */
export interface EnvironmentOverrides {
    readonly name: string;
    readonly dixa: readonly DixaBlock[];
    readonly synthflow: readonly SynthflowBlock[];
    readonly queues: ReadonlyMap<string, readonly Queue[]>;
    readonly departments: ReadonlyMap<string, readonly Department[]>;
}

export function overridesOf(integrations: readonly Integration[], environment: string): EnvironmentOverrides {
    const blocks = environmentBlocksOf(integrations).filter(env => env.name === environment);
    const overrides = blocks.flatMap(env => env.overrides);
    const byName = <T extends Queue | Department>(nodes: T[]) => {
        const map = new Map<string, T[]>();
        for (const node of nodes) {
            if (!node.name) continue;
            map.set(node.name, [...(map.get(node.name) ?? []), node]);
        }
        return map;
    };
    return {
        name: environment,
        dixa: overrides.filter(isDixaBlock),
        synthflow: overrides.filter(isSynthflowBlock),
        queues: byName(overrides.filter(isQueue)),
        departments: byName(overrides.filter(isDepartment)),
    };
}

/** Where an effective node's values come from: the default's node, and the override laid over it. */
interface Origin {
    readonly base: AstNode;
    readonly override?: AstNode;
    readonly overridden: ReadonlySet<string>;
}

const origins = new WeakMap<AstNode, Origin>();

/**
 * The node that wrote `property` of an effective node: the override's when it set it, else the default's.
 * Any other node is its own origin.
 */
export function originOf(node: AstNode, property?: string): AstNode {
    const origin = origins.get(node);
    if (!origin) return node;
    if (property !== undefined && origin.override && origin.overridden.has(property)) return origin.override;
    return origin.base;
}

/** The default's node behind an effective node (the node itself when it is not effective). */
export function baseOf<T extends AstNode>(node: T): T {
    return (origins.get(node)?.base as T | undefined) ?? node;
}

/** The environment's block laid over an effective node, if the environment overrides it. */
export function overrideOf(node: AstNode): AstNode | undefined {
    return origins.get(node)?.override;
}

/** Is this node part of an environment's effective view? */
export function isEffectiveNode(node: AstNode): boolean {
    return origins.has(node);
}

/** Lays `override` over `base`: a node whose prototype is `base`, with the override's written settings as its own. */
function overlay<T extends AstNode>(base: T, override: T | undefined, container: AstNode): T {
    const effective = Object.create(base) as T;
    const overridden = new Set<string>();
    Object.defineProperty(effective, '$container', { value: container, enumerable: false, writable: true });
    if (override) {
        for (const [key, value] of Object.entries(override)) {
            if (key.startsWith('$') || key === 'name' || value === undefined) continue;
            if (Array.isArray(value) && value.length === 0) continue;
            (effective as Record<string, unknown>)[key] = value;
            overridden.add(key);
        }
    }
    origins.set(effective, { base, override, overridden });
    return effective;
}

/** A reference whose target is the effective node of the one it resolved to. */
function retarget<T extends AstNode>(reference: Reference<T> | undefined, effectiveOf: (node: T) => T | undefined): Reference<T> | undefined {
    if (!reference) return undefined;
    const target = reference.ref;
    const effective = target ? effectiveOf(target) : undefined;
    if (!effective) return reference;
    return Object.create(reference, { ref: { value: effective, enumerable: true } }) as Reference<T>;
}

/**
 * The effective configuration of `environment` over the files of one integration: one effective
 * integration per file, in the same order, whose members are the default's blocks with the environment's
 * settings laid over them (environment blocks dropped). Queue references point to effective queues.
 */
export function effectiveIntegrations(integrations: readonly Integration[], environment: string): Integration[] {
    const overrides = overridesOf(integrations, environment);
    const queueMap = new Map<Queue, Queue>();
    const departments: Department[] = [];
    const effective = integrations.map(integration => {
        const view = overlay(integration, undefined, integration.$container);
        const members: Integration['members'] = [];
        for (const member of integration.members) {
            if (isEnvironment(member)) continue;
            if (isDixaBlock(member)) members.push(overlay(member, overrides.dixa[0], view));
            else if (isSynthflowBlock(member)) members.push(overlay(member, overrides.synthflow[0], view));
            else if (isQueue(member)) {
                const queue = overlay(member, overrides.queues.get(member.name)?.[0], view);
                queueMap.set(member, queue);
                members.push(queue);
            } else {
                const department = overlay(member, overrides.departments.get(member.name)?.[0], view);
                departments.push(department);
                members.push(department);
            }
        }
        Object.defineProperty(view, 'members', { value: members, enumerable: true });
        return view;
    });
    const effectiveQueue = (queue: Queue) => queueMap.get(queue);
    for (const department of departments) {
        const fallback = retarget(department.fallback, effectiveQueue);
        if (fallback !== department.fallback) (department as { fallback?: Reference<Queue> }).fallback = fallback;
        (department as { escalations: Escalation[] }).escalations = department.escalations.map(escalation => {
            const view = overlay(escalation, undefined, department);
            const queue = retarget(escalation.queue, effectiveQueue);
            if (queue !== escalation.queue) (view as { queue?: Reference<Queue> }).queue = queue;
            return view;
        });
    }
    return effective;
}
