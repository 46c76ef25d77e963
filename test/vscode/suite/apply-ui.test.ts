import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../../src/apply/index.js';
import type { SipflowExtensionApi } from '../../../src/extension/main.js';
import { ViewDocuments } from '../../../src/extension/views.js';
import type { Plan } from '../../../src/plan/index.js';
import type { RequestLogEntry, Sandbox } from '../../../src/sandbox/index.js';
import { dom } from './dom.js';
import { codeOf, extensionApi, openFixture, report, sandboxAsLive, waitFor } from './helpers.js';
import { unmarkedDifferences } from './line-diff.js';

// Keys this file's sandbox accepts; commands.test.ts sets its own afterwards.
const DIXA_TOKEN = 'e2e-ui-dixa-token-93be10';
const SYNTHFLOW_KEY = 'e2e-ui-synthflow-key-4d7c22';
const DIALOG = '.monaco-dialog-box';
const TOAST = '.notification-toast';
/** How long a closing toast may overlap the modal: one or two frames of the workbench's own rendering. */
const BEHIND_MODAL_MAX_MS = 100;

/** A sandbox request with the time (this process's clock) it began: the log has its end and duration. */
interface TimedRequest extends RequestLogEntry {
    readonly startedAt: number;
}
const isWrite = (r: RequestLogEntry) => r.vendor !== 'admin' && r.method !== 'GET';

/** What the workbench page records between the start of an apply and its modal (page times, performance.now()). */
interface ModalWatch {
    dialogAt?: number;
    planningShown: boolean;
    planningGoneAt?: number;
    readonly observer: { disconnect(): void };
}
// The page's globals this file's in-page functions read (the suite compiles without the DOM lib).
interface PageElement {
    readonly textContent: string | null;
    checkVisibility(): boolean;
}
interface WatchPage {
    sipflowModalWatch?: ModalWatch;
    readonly document: { querySelectorAll(selector: string): ArrayLike<PageElement>; readonly body: unknown };
    readonly MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
}

/**
 * The apply confirmation and progress as the user sees them, through the DOM probe channel (dom.ts):
 * the modal's text and buttons, the progress notification's Cancel, and what the sandbox received.
 */
describe('apply through the workbench: the modal, the progress notification, compare after', function () {
    this.timeout(180_000);
    let api: SipflowExtensionApi;
    let sandbox: Sandbox;
    const timed: TimedRequest[] = [];
    const config = () => vscode.workspace.getConfiguration('sipflow');
    const writesAfter = (seq: number) => sandbox.requests.filter(r => r.seq > seq && isWrite(r));
    const lastSeq = () => sandbox.requests.at(-1)?.seq ?? 0;
    const plan = async (uri: vscode.Uri) => {
        const p = await vscode.commands.executeCommand<Plan | undefined>('sipflow.plan', uri);
        assert.ok(p, 'a plan');
        return p;
    };
    /**
     * Waits for the modal and returns its text, checking that no "planning" notification shows behind it.
     * The workbench page itself times it (watchPlanningBehindModal), so a slow probe round trip under
     * load does not count: without the wait before the modal, a sandbox plan (~100–300 ms) leaves the
     * toast up for the rest of VS Code's 800 ms; with it, the toast is gone before the modal opens.
     */
    const confirmation = async () => {
        const [text] = await waitFor(
            'the confirmation modal',
            async () => {
                const texts = await dom.texts(DIALOG);
                return texts.length > 0 ? texts : undefined;
            },
            60_000,
        );
        // Until the toast has gone (or 2 s): how long it stayed once the modal was up, on the page's clock.
        const behind = () =>
            dom.evaluate(() => {
                const watch = (globalThis as unknown as WatchPage).sipflowModalWatch;
                if (watch?.dialogAt === undefined) return { ms: -1, shown: false };
                const goneAt = watch.planningShown ? performance.now() : watch.planningGoneAt;
                return { ms: goneAt === undefined ? 0 : Math.max(0, goneAt - watch.dialogAt), shown: watch.planningShown };
            });
        let seen = await behind();
        while (seen.shown && seen.ms < 2000) seen = await behind();
        await dom.evaluate(() => (globalThis as unknown as WatchPage).sipflowModalWatch?.observer.disconnect());
        const behindMs = seen.ms;
        report(`      modal shown; a "planning" toast behind it for ${Math.round(behindMs)} ms; toasts on screen: ${JSON.stringify(await dom.texts(TOAST))}`);
        assert.ok(behindMs >= 0, 'the page saw the modal open');
        assert.ok(behindMs <= BEHIND_MODAL_MAX_MS, `a "planning" notification stayed on screen ${Math.round(behindMs)} ms behind the modal`);
        return text!;
    };
    /** Before an apply that confirms: the page notes when the modal appears and when a "planning" toast leaves. */
    const watchPlanningBehindModal = () =>
        dom.evaluate(
            ({ dialog, toast }) => {
                const page = globalThis as unknown as WatchPage;
                page.sipflowModalWatch?.observer.disconnect();
                const shown = (selector: string) => Array.from(page.document.querySelectorAll(selector)).filter(e => e.checkVisibility());
                const look = () => {
                    const now = performance.now();
                    if (watch.dialogAt === undefined && shown(dialog).length > 0) watch.dialogAt = now;
                    const planning = shown(toast).some(t => (t.textContent ?? '').includes('planning'));
                    if (watch.planningShown && !planning) watch.planningGoneAt = now;
                    watch.planningShown = planning;
                };
                const observer = new page.MutationObserver(look);
                const watch: ModalWatch = { planningShown: false, observer };
                observer.observe(page.document.body, { childList: true, subtree: true, characterData: true, attributes: true });
                page.sipflowModalWatch = watch;
                look();
            },
            { dialog: DIALOG, toast: TOAST },
        );
    /** An apply a test started; afterEach settles it, so one failing test cannot leave a modal and the run lock to the next. */
    let pending: Thenable<ApplyResult | undefined> | undefined;
    const startApply = (uri: vscode.Uri, options?: { confirm: boolean }) => (pending = vscode.commands.executeCommand<ApplyResult | undefined>('sipflow.apply', uri, options));

    afterEach(async () => {
        if (!pending) return;
        if ((await dom.count(DIALOG)) > 0) await dom.click({ role: 'button', name: 'Cancel', within: DIALOG });
        await Promise.resolve(pending).catch(() => undefined);
        pending = undefined;
    });

    before(async () => {
        api = await extensionApi();
        sandbox = await sandboxAsLive(
            { dixa: DIXA_TOKEN, synthflow: SYNTHFLOW_KEY },
            {
                onRequest: entry => timed.push({ ...entry, startedAt: Date.now() - entry.durationMs }),
            },
        );
        await vscode.commands.executeCommand('sipflow.setCredentials', { dixa: DIXA_TOKEN, synthflow: SYNTHFLOW_KEY });
        await dom.showWorkbenchUi(true);
    });

    after(async () => {
        await dom.showWorkbenchUi(false);
        for (const key of ['dixa.baseUrl', 'synthflow.baseUrl', 'target', 'apply.concurrency']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('sipflow.clearCredentials');
        await sandbox?.close();
    });

    it('the confirmation modal says the counts; Cancel sends nothing and leaves the plan as it was', async () => {
        const document = await openFixture('acme.sipflow');
        const planned = await plan(document.uri);
        assert.ok(planned.hasChanges, 'the demo sandbox needs changes');
        const state = JSON.stringify(sandbox.state);
        const seq = lastSeq();

        await watchPlanningBehindModal();
        const applying = startApply(document.uri);
        const text = await confirmation();
        const s = planned.summary;
        assert.ok(text.includes('Apply acme to'), text);
        assert.ok(text.includes(`create ${s.create} · update ${s.update + s.adopt} · attach ${s.attach}`), `the counts of the plan in:\n${text}`);
        await dom.click({ role: 'button', name: 'Cancel', within: DIALOG });
        assert.equal(await applying, undefined, 'nothing applied');
        await waitFor('the modal to close', async () => (await dom.count(DIALOG)) === 0);

        assert.deepEqual(
            writesAfter(seq).map(r => `${r.method} ${r.path}`),
            [],
            'no write request reached the sandbox',
        );
        assert.equal(JSON.stringify(sandbox.state), state, 'the sandbox state is unchanged');
        assert.ok(api.logLines().some(l => l.includes('Apply cancelled at the confirmation.')));
        assert.deepEqual((await plan(document.uri)).summary, s, 'the plan is unchanged');
    });

    it('Cancel on the progress notification: no step starts after it, and the result says what was done', async () => {
        const document = await openFixture('acme.sipflow');
        // One step at a time, each write held 1.5 s by the sandbox: the cancel lands while one is in flight.
        await config().update('apply.concurrency', 1, vscode.ConfigurationTarget.Global);
        sandbox.setFaults(['POST', 'PUT', 'PATCH', 'DELETE'].map(m => `*:${m}:*=delay:1500`).join(','));
        try {
            const seq = lastSeq();
            const applying = startApply(document.uri, { confirm: false });
            const applyingToast = `${TOAST}:has-text("applying acme")`;
            await waitFor('the first step in the progress notification', async () => (await dom.count(applyingToast, { hasText: '(1/' })) > 0, 60_000);
            await dom.click({ role: 'button', name: 'Cancel', within: applyingToast });
            const cancelledAt = Date.now();
            const result = await applying;
            assert.ok(result, 'an apply result');
            assert.equal(result.status, 'cancelled', JSON.stringify(result.counts));
            assert.ok(result.counts.cancelled > 0, `steps not done: ${JSON.stringify(result.counts)}`);
            assert.ok(
                result.outcomes.some(o => o.status === 'cancelled'),
                'the outcomes list what was not done',
            );

            // Every write that began after the cancel: none (the one in flight began before it).
            await new Promise(r => setTimeout(r, 2000)); // let an in-flight delayed write reach the log
            const late = timed.filter(r => r.seq > seq && isWrite(r) && r.startedAt > cancelledAt);
            assert.deepEqual(
                late.map(r => `${r.method} ${r.path} began ${r.startedAt - cancelledAt} ms after the cancel`),
                [],
            );
            const writes = writesAfter(seq);
            const began = timed.filter(r => r.seq > seq && isWrite(r)).map(r => r.startedAt - cancelledAt);
            report(
                `      cancel: ${result.counts.succeeded} of ${result.outcomes.length} steps done, ${result.counts.cancelled} cancelled; ${writes.length} writes sent, the last began ${Math.max(...began)} ms from the cancel`,
            );
            assert.ok(writes.length < result.outcomes.length, `fewer writes (${writes.length}) than steps (${result.outcomes.length})`);
            assert.ok(
                api.logLines().some(l => /cancelled by the user/.test(l)),
                'the log says it was cancelled',
            );
            // The same name the extension gives its result view (a fresh ViewDocuments only names it).
            const resultView = await vscode.workspace.openTextDocument(new ViewDocuments().uriFor('result', document.uri));
            assert.match(resultView.getText(), /cancel/i, 'the result view says cancelled');
        } finally {
            sandbox.clearFaults();
            await config().update('apply.concurrency', undefined, vscode.ConfigurationTarget.Global);
        }
    });

    it('Apply in the confirmation modal sends the writes, and the next plan is in sync', async () => {
        const document = await openFixture('acme.sipflow');
        const seq = lastSeq();
        await watchPlanningBehindModal();
        const applying = startApply(document.uri);
        const text = await confirmation();
        assert.match(text, /create \d+ · update \d+ · attach \d+/);
        await dom.click({ role: 'button', name: 'Apply', within: DIALOG });
        const result = await applying;
        assert.ok(result, 'an apply result');
        assert.equal(result.status, 'succeeded', JSON.stringify(result.outcomes.filter(o => o.status !== 'succeeded')));
        assert.ok(writesAfter(seq).length > 0, 'write requests reached the sandbox');
        const next = await plan(document.uri);
        assert.equal(next.hasChanges, false, JSON.stringify(next.summary));
    });

    it('Compare with Live after apply: no diagnostics from the live side, only marked lines differ', async () => {
        const document = await openFixture('acme.sipflow');
        await vscode.commands.executeCommand('sipflow.compareWithLive', document.uri);
        const tab = await waitFor('a diff tab', () => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputTextDiff));
        const input = tab.input as vscode.TabInputTextDiff;
        try {
            const live = await vscode.workspace.openTextDocument(input.original);
            await new Promise(r => setTimeout(r, 1500)); // the language server publishes after a debounce
            assert.deepEqual(
                vscode.languages.getDiagnostics(input.original).map(d => `${codeOf(d)}: ${d.message}`),
                [],
            );
            const mentions = vscode.languages
                .getDiagnostics()
                .flatMap(([uri, ds]) =>
                    ds
                        .filter(
                            d =>
                                uri.toString() === input.original.toString() ||
                                uri.scheme === input.original.scheme ||
                                d.message.includes(input.original.path) ||
                                (d.relatedInformation ?? []).some(r => r.location.uri.scheme === input.original.scheme),
                        )
                        .map(d => `${uri.toString()}: ${codeOf(d)}: ${d.message}`),
                );
            assert.deepEqual(mentions, [], 'no diagnostic anywhere about the live document');

            assert.ok(live.getText().includes('// not readable:'), `the live side marks what it could not read:\n${live.getText()}`);
            assert.deepEqual(
                unmarkedDifferences(live.getText(), document.getText()),
                [],
                `only the pull marker and "not readable" lines differ; the live side:\n${live.getText()}`,
            );
        } finally {
            await vscode.window.tabGroups.close(tab);
        }
    });
});
