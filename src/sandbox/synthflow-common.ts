/** What the Synthflow resources (synthflow-numbers, -assistants, -actions) share: replies, body and paging checks, number lookups. */
import { createHash } from 'node:crypto';
import { ApiError, intParam, isRecord, json, type Reply, type RequestContext } from './http.js';
import type { SynthflowAssistantRecord, SynthflowNumberRecord } from './state.js';

export const DEFAULT_LIMIT = 20;

export const ok = (response?: unknown): Reply => json(200, response === undefined ? { status: 'ok' } : { status: 'ok', response });

export const bad = (description: string) => new ApiError(400, description, 'validation_error');

export const notFound = (description: string) => new ApiError(404, description, 'not_found');

export function objectBody(ctx: RequestContext): Record<string, unknown> {
    if (!isRecord(ctx.body)) throw bad('The request body must be a JSON object');
    return ctx.body;
}

export function paging(ctx: RequestContext): { limit: number; offset: number } {
    const limit = intParam(ctx.query, 'limit');
    const offset = intParam(ctx.query, 'offset');
    if (Number.isNaN(limit) || limit === 0) throw bad('limit must be a positive integer');
    if (Number.isNaN(offset)) throw bad('offset must be a non-negative integer');
    return { limit: Math.min(limit ?? DEFAULT_LIMIT, ctx.assumptions.synthflowMaxPageSize), offset: offset ?? 0 };
}

export function page<T>(items: readonly T[], { limit, offset }: { limit: number; offset: number }) {
    return { items: items.slice(offset, offset + limit), pagination: { total_records: items.length, limit, offset } };
}

export function sha256(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function optString(body: Record<string, unknown>, field: string): string | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw bad(`${field} must be a string`);
    return v;
}

export function optBool(body: Record<string, unknown>, field: string): boolean | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw bad(`${field} must be a boolean`);
    return v;
}

export function optInt(body: Record<string, unknown>, field: string): number | undefined {
    const v = body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(`${field} must be an integer`);
    return v;
}

export function stringList(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) throw bad(`${field} must be an array of strings`);
    return value as string[];
}

export function slugOf(phoneNumber: string): string {
    return phoneNumber.replace(/^\+/, '');
}

export function numberBySlug(ctx: RequestContext, slug: string): SynthflowNumberRecord | undefined {
    return ctx.state.synthflow.numbers.find(n => n.slug === slug);
}

export function findNumber(ctx: RequestContext, slug: string, workspace?: string): SynthflowNumberRecord {
    const normalised = slugOf(slug);
    const found = ctx.state.synthflow.numbers.find(n => n.slug === normalised && (workspace === undefined || n.workspace_id === workspace));
    if (!found) throw notFound(`Phone number ${slug} not found`);
    return found;
}

/** The assistants a number is attached to: as an inbound agent's `phone_number`, or in an outbound pool. */
export function assistantsOf(ctx: RequestContext, slug: string): SynthflowAssistantRecord[] {
    return ctx.state.synthflow.assistants.filter(a => a.inbound_phone_slug === slug || a.phone_number_slugs.includes(slug));
}

/** The inbound agent whose `phone_number` the number is (at most one). */
export function inboundHolder(ctx: RequestContext, slug: string): SynthflowAssistantRecord | undefined {
    return ctx.state.synthflow.assistants.find(a => a.type === 'inbound' && a.inbound_phone_slug === slug);
}

/** `is_available`: "not assigned to an inbound agent". */
export function isAvailable(ctx: RequestContext, slug: string): boolean {
    return inboundHolder(ctx, slug) === undefined;
}
