/** Minimal HTTP helpers for the sandbox and contract tests (plain fetch, no vendor client). */

export interface CallResult {
    readonly status: number;
    readonly headers: Headers;
    readonly text: string;
    /** Parsed JSON, or undefined for an empty or non-JSON body. */
    readonly body: any;
}

export interface CallOptions {
    readonly method?: string;
    readonly headers?: Record<string, string>;
    /** Sent as JSON with `content-type: application/json`. */
    readonly json?: unknown;
    /** Sent verbatim. */
    readonly rawBody?: string;
    readonly timeoutMs?: number;
}

export async function call(url: string, options: CallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    let body: string | undefined = options.rawBody;
    if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
        parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
}

export type VendorCall = (method: string, path: string, options?: Omit<CallOptions, 'method'>) => Promise<CallResult>;

/** Calls relative to a Dixa base URL with the raw-token `Authorization` header. */
export function dixaClient(baseUrl: string, token = 'sandbox'): VendorCall {
    return (method, path, options = {}) => call(`${baseUrl}${path}`, { ...options, method, headers: { authorization: token, ...(options.headers ?? {}) } });
}

/** Calls relative to a Synthflow base URL with `Authorization: Bearer <key>`. */
export function synthflowClient(baseUrl: string, key = 'sandbox'): VendorCall {
    return (method, path, options = {}) => call(`${baseUrl}${path}`, { ...options, method, headers: { authorization: `Bearer ${key}`, ...(options.headers ?? {}) } });
}

/** Polls `check` every `intervalMs` until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, intervalMs = 20): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
        await new Promise(r => setTimeout(r, intervalMs));
    }
}
