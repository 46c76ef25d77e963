/** Synthflow assistants: `/assistants[/{model_id}]` and the numbers on them. */
import { ApiError, boolParam, json, type Reply, type RequestContext, type Route } from './http.js';
import type { SynthflowAssistantRecord } from './state.js';
import { bad, findNumber, inboundHolder, notFound, numberBySlug, objectBody, ok, optBool, optString, page, paging, slugOf, stringList } from './synthflow-common.js';

export const assistantRoutes: readonly Route[] = [
    { method: 'GET', pattern: '/assistants', handler: listAssistants },
    { method: 'GET', pattern: '/assistants/{model_id}', handler: getAssistant },
    { method: 'PUT', pattern: '/assistants/{model_id}', handler: updateAssistant },
    { method: 'PUT', pattern: '/assistants/{model_id}/phone_numbers', handler: setAssistantNumbers },
    { method: 'DELETE', pattern: '/assistants/{model_id}/phone_numbers/{slug}', handler: detachAssistantNumber },
];

function findAssistant(ctx: RequestContext): SynthflowAssistantRecord {
    const id = ctx.params.model_id!;
    const found = ctx.state.synthflow.assistants.find(a => a.model_id === id);
    if (!found) throw notFound(`Assistant ${id} not found`);
    return found;
}

function renderAssistantSummary(ctx: RequestContext, a: SynthflowAssistantRecord): Record<string, unknown> {
    const out: Record<string, unknown> = { model_id: a.model_id, name: a.name, type: a.type, is_recording: a.is_recording, agent: structuredClone(a.agent) };
    const inbound = a.inbound_phone_slug === null ? undefined : numberBySlug(ctx, a.inbound_phone_slug);
    if (inbound) out.phone_number = inbound.phone_number;
    if (a.description !== undefined) out.description = a.description;
    return out;
}

function listAssistants(ctx: RequestContext): Reply {
    const { items, pagination } = page(ctx.state.synthflow.assistants, paging(ctx));
    return ok({ pagination, assistants: items.map(a => renderAssistantSummary(ctx, a)) });
}

function getAssistant(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const includeActions = boolParam(ctx.query, 'include_actions');
    if (includeActions === null) throw bad('include_actions must be true or false');
    const attached = assistant.phone_number_slugs.flatMap(slug => {
        const n = numberBySlug(ctx, slug);
        return n ? [{ number: n.phone_number, sid: null, slug: n.slug }] : [];
    });
    return ok({
        assistants: [
            {
                ...renderAssistantSummary(ctx, assistant),
                attached_phone_numbers: attached,
                actions: includeActions ? [...assistant.actions] : [],
                input_variables: [],
            },
        ],
    });
}

/**
 * PUT /assistants/{model_id}: a partial update ("Only the provided parameters will be updated, and
 * others won't be removed or changed"). `phone_number` sets the agent's inbound number; a number is the
 * inbound number of at most one inbound agent (400, nothing changed). `type` cannot change.
 */
function updateAssistant(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const body = objectBody(ctx);
    if (body.type !== undefined && body.type !== assistant.type) throw bad(`An agent's type cannot change (it is ${assistant.type})`);
    const next = { ...assistant };
    const name = optString(body, 'name');
    if (name !== undefined) next.name = name;
    const description = optString(body, 'description');
    if (description !== undefined) next.description = description;
    const recording = optBool(body, 'is_recording');
    if (recording !== undefined) next.is_recording = recording;
    const phone = optString(body, 'phone_number');
    if (phone !== undefined) {
        const slug = slugOf(phone.trim());
        const number = numberBySlug(ctx, slug);
        if (!number) throw notFound(`Phone number ${phone} not found in the workspace: import it first`);
        const holder = inboundHolder(ctx, slug);
        if (assistant.type === 'inbound' && holder && holder.model_id !== assistant.model_id) {
            throw new ApiError(
                400,
                `Phone number ${number.phone_number} is already the number of the inbound agent ${holder.model_id}; a number can serve only one inbound agent`,
                'conflict',
            );
        }
        next.inbound_phone_slug = slug;
    }
    Object.assign(assistant, next);
    ctx.mutated = true;
    const inbound = assistant.inbound_phone_slug === null ? undefined : numberBySlug(ctx, assistant.inbound_phone_slug);
    return json(200, { status: 'ok', response: { model_id: assistant.model_id }, details: { ...(inbound ? { phone: inbound.phone_number } : {}), voice: 'sandbox-voice-1' } });
}

function setAssistantNumbers(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const body = objectBody(ctx);
    const hasNumbers = body.phone_numbers !== undefined;
    const hasSlugs = body.phone_number_slugs !== undefined;
    if (hasNumbers === hasSlugs) throw bad('Provide exactly one of phone_numbers or phone_number_slugs');
    const requested = hasNumbers ? stringList(body.phone_numbers, 'phone_numbers') : stringList(body.phone_number_slugs, 'phone_number_slugs');
    const slugs = [...new Set(requested.map(slugOf))];
    for (const slug of slugs) {
        if (!numberBySlug(ctx, slug)) throw notFound(`Phone number ${slug} not found in the workspace`);
    }
    // The outbound pool ("Attach phone numbers to an outbound agent"): the list is replaced. Pool numbers
    // are caller ids for outbound calls; they do not make an agent answer inbound calls.
    assistant.phone_number_slugs = slugs;
    ctx.mutated = true;
    return ok();
}

function detachAssistantNumber(ctx: RequestContext): Reply {
    const assistant = findAssistant(ctx);
    const number = findNumber(ctx, ctx.params.slug!);
    if (!assistant.phone_number_slugs.includes(number.slug)) throw bad(`Phone number ${number.phone_number} is not attached to assistant ${assistant.model_id}`);
    assistant.phone_number_slugs = assistant.phone_number_slugs.filter(s => s !== number.slug);
    ctx.mutated = true;
    return ok();
}
