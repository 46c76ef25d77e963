/** Synthflow numbers: `POST /custom-numbers` (import) and `/numbers[/{slug}]`. */
import { ApiError, boolParam, E164, json, type Reply, type RequestContext, type Route } from './http.js';
import type { SynthflowNumberRecord } from './state.js';
import { bad, findNumber, isAvailable, ok, objectBody, optBool, optInt, optString, page, paging, sha256, slugOf, assistantsOf } from './synthflow-common.js';

export const numberRoutes: readonly Route[] = [
    { method: 'POST', pattern: '/custom-numbers', handler: importNumber },
    { method: 'GET', pattern: '/numbers', handler: listNumbers },
    { method: 'GET', pattern: '/numbers/{slug}', handler: getNumber },
    { method: 'PATCH', pattern: '/numbers/{slug}', handler: updateNumber },
    { method: 'DELETE', pattern: '/numbers/{slug}', handler: deleteNumber },
];

export const PROVIDERS = ['twilio', 'telnyx', 'vonage', 'ring_central', 'ringcx', 'custom', 'zoom', 'five9'] as const;

/** Providers whose SIP domain Synthflow cannot fill in itself: `termination_uri` is required. */
const PROVIDERS_NEEDING_URI = ['custom', 'twilio', 'telnyx', 'vonage', 'ring_central'];

/** Providers whose numbers need not be E.164. */
const PROVIDERS_ANY_IDENTIFIER = ['five9', 'zoom'];

const ISO_BY_PREFIX: ReadonlyArray<readonly [string, string]> = [
    ['+45', 'DK'],
    ['+44', 'GB'],
    ['+46', 'SE'],
    ['+47', 'NO'],
    ['+49', 'DE'],
    ['+1', 'US'],
];

/** The flat number object of GET /numbers/{slug}. Fields the spec types as non-null strings are omitted when unset. */
function renderNumber(ctx: RequestContext, n: SynthflowNumberRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {
        slug: n.slug,
        phone_number: n.phone_number,
        provider_name: n.provider_name,
        sip_auth_username: n.sip_auth_username,
        sip_outbound_proxy: n.sip_outbound_proxy,
        uac_enabled: n.uac_enabled,
        uac_register_expires: n.uac_register_expires,
        region: n.region,
        is_available: isAvailable(ctx, n.slug),
        is_sms_capable: false,
        is_voice_capable: true,
        workspace_id: n.workspace_id,
        agency_workspace_id: null,
        created_at: n.created_at,
        updated_at: n.updated_at,
        assistants: assistantsOf(ctx, n.slug).map(a => a.model_id),
    };
    if (n.friendly_name !== null) out.friendly_name = n.friendly_name;
    if (n.sip_term_uri !== null) out.sip_term_uri = n.sip_term_uri;
    const iso = ISO_BY_PREFIX.find(([prefix]) => n.phone_number.startsWith(prefix));
    if (iso) out.iso_country = iso[1];
    return out;
}

function checkProvider(value: string | undefined): string | undefined {
    if (value !== undefined && !(PROVIDERS as readonly string[]).includes(value)) throw bad(`provider_name must be one of ${PROVIDERS.join(', ')}`);
    return value;
}

function checkUac(n: Pick<SynthflowNumberRecord, 'uac_enabled' | 'uac_register_expires' | 'trunk_username' | 'trunk_pwd_sha256'>): void {
    if (n.uac_register_expires !== null && (n.uac_register_expires < 60 || n.uac_register_expires > 3600)) {
        throw bad('uac_register_expires must be between 60 and 3600 seconds');
    }
    if (n.uac_enabled && (n.trunk_username === null || n.trunk_pwd_sha256 === null)) {
        throw bad('uac_enabled requires trunk_username and trunk_pwd');
    }
}

function importNumber(ctx: RequestContext): Reply {
    const body = objectBody(ctx);
    const missing = ['workspace_id', 'phone_number'].filter(f => body[f] === undefined || body[f] === null || body[f] === '');
    if (missing.length > 0) throw bad(`Missing required field(s): ${missing.join(', ')}`);
    const workspace = optString(body, 'workspace_id')!;
    const phoneNumber = optString(body, 'phone_number')!;
    const provider = checkProvider(optString(body, 'provider_name')) ?? 'custom';
    if (!PROVIDERS_ANY_IDENTIFIER.includes(provider) && !E164.test(phoneNumber)) throw bad(`phone_number must be in E.164 format, got ${phoneNumber}`);
    const terminationUri = optString(body, 'termination_uri');
    if (PROVIDERS_NEEDING_URI.includes(provider) && (terminationUri === undefined || terminationUri.trim() === '')) {
        throw bad(`termination_uri is required for provider ${provider}`);
    }
    const slug = slugOf(phoneNumber);
    if (ctx.state.synthflow.numbers.some(n => n.slug === slug)) {
        throw new ApiError(400, `Phone number ${phoneNumber} already exists`, 'conflict');
    }
    const password = optString(body, 'trunk_pwd');
    const record: SynthflowNumberRecord = {
        key: ctx.newId(),
        slug,
        phone_number: phoneNumber,
        friendly_name: optString(body, 'friendly_name') ?? null,
        provider_name: provider,
        sip_term_uri: terminationUri ?? null,
        trunk_username: optString(body, 'trunk_username') ?? null,
        trunk_pwd_sha256: password === undefined ? null : sha256(password),
        sip_auth_username: optString(body, 'sip_auth_username') ?? null,
        sip_outbound_proxy: optString(body, 'sip_outbound_proxy') ?? null,
        uac_enabled: optBool(body, 'uac_enabled') ?? false,
        uac_register_expires: optInt(body, 'uac_register_expires') ?? null,
        region: 'eu',
        workspace_id: workspace,
        created_at: ctx.now().toISOString(),
        updated_at: null,
    };
    checkUac(record);
    ctx.state.synthflow.numbers.push(record);
    if (!ctx.state.synthflow.workspaces.includes(workspace)) ctx.state.synthflow.workspaces.push(workspace);
    ctx.mutated = true;
    return ok({ key: record.key, phone_number: record.phone_number });
}

function requireWorkspace(ctx: RequestContext): string {
    const workspace = ctx.query.get('workspace');
    if (!workspace) throw bad('Missing required query parameter: workspace');
    return workspace;
}

function listNumbers(ctx: RequestContext): Reply {
    const workspace = requireWorkspace(ctx);
    const available = boolParam(ctx.query, 'is_available');
    if (available === null) throw bad('is_available must be true or false');
    const numbers = ctx.state.synthflow.numbers.filter(n => n.workspace_id === workspace).filter(n => available === undefined || isAvailable(ctx, n.slug) === available);
    const { items, pagination } = page(numbers, paging(ctx));
    return ok({
        pagination,
        phone_numbers: items.map(n => ({ number: n.phone_number, sid: null, is_available: isAvailable(ctx, n.slug) })),
    });
}

function getNumber(ctx: RequestContext): Reply {
    const workspace = requireWorkspace(ctx);
    return json(200, renderNumber(ctx, findNumber(ctx, ctx.params.slug!, workspace)));
}

function updateNumber(ctx: RequestContext): Reply {
    const number = findNumber(ctx, ctx.params.slug!);
    const body = objectBody(ctx);
    const next = { ...number };
    const friendly = optString(body, 'friendly_name');
    if (friendly !== undefined) next.friendly_name = friendly;
    const uri = optString(body, 'sip_term_uri') ?? optString(body, 'termination_uri');
    if (uri !== undefined) next.sip_term_uri = uri;
    const provider = checkProvider(optString(body, 'provider_name'));
    if (provider !== undefined) next.provider_name = provider;
    const username = optString(body, 'trunk_username');
    if (username !== undefined) next.trunk_username = username;
    const password = optString(body, 'trunk_pwd');
    if (password !== undefined) next.trunk_pwd_sha256 = sha256(password);
    const authUser = optString(body, 'sip_auth_username');
    if (authUser !== undefined) next.sip_auth_username = authUser;
    const proxy = optString(body, 'sip_outbound_proxy');
    if (proxy !== undefined) next.sip_outbound_proxy = proxy;
    const uac = optBool(body, 'uac_enabled');
    if (uac !== undefined) next.uac_enabled = uac;
    const expires = optInt(body, 'uac_register_expires');
    if (expires !== undefined) next.uac_register_expires = expires;
    if (PROVIDERS_NEEDING_URI.includes(next.provider_name) && (next.sip_term_uri === null || next.sip_term_uri.trim() === '')) {
        throw bad(`A SIP domain (sip_term_uri) is required for provider ${next.provider_name}`);
    }
    checkUac(next);
    next.updated_at = ctx.now().toISOString();
    Object.assign(number, next);
    ctx.mutated = true;
    return ok();
}

function deleteNumber(ctx: RequestContext): Reply {
    const number = findNumber(ctx, ctx.params.slug!);
    for (const a of ctx.state.synthflow.assistants) {
        a.phone_number_slugs = a.phone_number_slugs.filter(s => s !== number.slug);
        if (a.inbound_phone_slug === number.slug) a.inbound_phone_slug = null;
    }
    ctx.state.synthflow.numbers = ctx.state.synthflow.numbers.filter(n => n !== number);
    ctx.mutated = true;
    return ok();
}
