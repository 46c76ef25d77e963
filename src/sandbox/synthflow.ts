/**
 * Synthflow under `/v2` (shared/specs/synthflow/synthflow-openapi.json), one module per resource:
 * synthflow-numbers.ts, synthflow-assistants.ts, synthflow-actions.ts (and calls.ts). Success bodies use
 * the `{status: "ok", response: {…}}` envelope the spec declares (GET /numbers/{slug} is flat); errors
 * are `{"detail": {status, description, request_id, category}}`.
 */
import { randomUUID } from 'node:crypto';
import { json, type Reply, type Route } from './http.js';
import { callRoutes } from './calls.js';
import { actionRoutes } from './synthflow-actions.js';
import { assistantRoutes } from './synthflow-assistants.js';
import { numberRoutes } from './synthflow-numbers.js';

export { ACTION_TYPES, TRANSFER_MODES } from './synthflow-actions.js';
export { sha256 } from './synthflow-common.js';
export { PROVIDERS } from './synthflow-numbers.js';

export const SYNTHFLOW_PREFIX = '/v2';

export function synthflowError(status: number, description: string, category: string): Reply {
    return json(status, { detail: { status: 'error', description, request_id: randomUUID(), category } });
}

export const synthflowRoutes: readonly Route[] = [...numberRoutes, ...assistantRoutes, ...actionRoutes, ...callRoutes];
