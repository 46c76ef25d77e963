import type { DomRequest, DomResponse, DomTarget } from './dom-protocol.js';

export type { DomTarget } from './dom-protocol.js';

/**
 * The DOM probe channel: the workbench page, seen from the suite. The extension host has no DOM, so
 * each call is one HTTP request to the code-server launcher (run-code-server.ts), which runs it in the
 * page with playwright. Functions passed as `fn` are sent as source text and run in the page (or a
 * webview frame): they cannot close over the suite's variables, only read their `arg` (JSON).
 * Without the launcher (SIPFLOW_E2E_DOM unset, e.g. the Electron runner) every call throws.
 */
export const dom = {
    /** How many visible elements match `selector` (and contain `hasText`, when given). */
    count(selector: string, options: { hasText?: string } = {}): Promise<number> {
        return call<number>({ op: 'count', selector, ...(options.hasText !== undefined ? { hasText: options.hasText } : {}) });
    },
    /** The rendered text (innerText) of each visible element matching `selector` (and containing `hasText`). */
    texts(selector: string, options: { hasText?: string } = {}): Promise<string[]> {
        return call<string[]>({ op: 'texts', selector, ...(options.hasText !== undefined ? { hasText: options.hasText } : {}) });
    },
    /** Clicks the first visible match, waiting up to `timeoutMs` (default 10 s) for it to be clickable. */
    async click(target: DomTarget, timeoutMs?: number): Promise<void> {
        await call({ op: 'click', target, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    },
    /** Runs `fn(arg)` in the workbench page and resolves with its (JSON-serialisable) result. */
    evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
        return call<T>({ op: 'evaluate', fnSource: fn.toString(), arg });
    },
    /** Runs `fn(arg)` in the webview frame whose document title or text contains `filter`. */
    inWebview<T, A = undefined>(filter: string, fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
        return call<T>({ op: 'inWebview', filter, fnSource: fn.toString(), arg });
    },
    /**
     * Shows (true) or hides again (false, VS Code's default under test) the modal dialogs and notification
     * toasts that VS Code suppresses while extension tests run: a modal showWarningMessage is otherwise
     * refused (it rejects) and no toast appears. Turn it off after: a stray dialog would block the suite.
     */
    async showWorkbenchUi(enabled: boolean): Promise<void> {
        await call({ op: 'showUi', enabled });
    },
    /** Saves a screenshot of the workbench as NAME.png in the folder the launcher printed; resolves with its path. */
    screenshot(name: string): Promise<string> {
        return call<string>({ op: 'screenshot', name });
    },
};

/** The channel's URL, or a loud failure: a DOM test must not pass by skipping what it checks. */
function channel(): string {
    const url = process.env.SIPFLOW_E2E_DOM;
    if (!url) throw new Error('the DOM probe channel is missing: SIPFLOW_E2E_DOM is unset (run the suite through test/vscode/run-code-server.ts, npm run test:e2e)');
    return url;
}

async function call<T>(request: DomRequest): Promise<T> {
    const url = channel();
    let response: Response;
    try {
        response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    } catch (e) {
        throw new Error(`the DOM probe channel at ${url} did not answer (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    const body = (await response.json()) as DomResponse;
    if (!body.ok) throw new Error(`dom.${request.op}: ${body.error}`);
    return body.value as T;
}
