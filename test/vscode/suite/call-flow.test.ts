import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SipflowExtensionApi } from '../../../src/extension/main.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { dom } from './dom.js';
import { extensionApi, openFixture, report, sandboxAsLive, waitFor } from './helpers.js';

const DIXA_TOKEN = 'e2e-callflow-dixa-token-41c7';
const SYNTHFLOW_KEY = 'e2e-callflow-synthflow-key-93ab';
/** The webview content frame: its <title>. */
const FRAME = 'SIPflow call flow';
/** The issue's default beside-editor width. */
const PANEL_WIDTH = 700;

// The page's globals, typed for the functions that run in the webview frame or the workbench (the suite
// compiles without the DOM lib; each function is sent as source, so it reads them off its own globalThis).
interface PageNode {
    readonly nodeType: number;
    readonly textContent: string | null;
}
interface PageElement extends PageNode {
    readonly childNodes: ArrayLike<PageNode>;
    readonly scrollWidth: number;
    readonly clientWidth: number;
    getAttribute(name: string): string | null;
    checkVisibility(): boolean;
    focus(): void;
    dispatchEvent(event: unknown): boolean;
    getBoundingClientRect(): { readonly right: number; readonly width: number };
}
interface PageWindow {
    readonly document: {
        querySelectorAll(selector: string): ArrayLike<PageElement>;
        querySelector(selector: string): PageElement | null;
        readonly activeElement: unknown;
        readonly body: { readonly innerText: string };
        readonly documentElement: { readonly scrollWidth: number };
    };
    readonly innerWidth: number;
    getComputedStyle(element: PageElement): { readonly fontSize: string; readonly outlineStyle: string };
    readonly MouseEvent: new (type: string, init: object) => unknown;
    readonly KeyboardEvent: new (type: string, init: object) => unknown;
}

/** Activates (click, or Enter/Space as the page's keydown listener sees them) the node with this key inside the webview. */
function activate(target: string, how: 'click' | 'Enter' | ' '): Promise<boolean> {
    return dom.inWebview(
        FRAME,
        ({ target, how }: { target: string; how: string }) => {
            const w = globalThis as unknown as PageWindow;
            const element = Array.from(w.document.querySelectorAll(`[data-target="${target}"]`)).find(e => e.checkVisibility());
            if (!element) return false;
            element.focus();
            element.dispatchEvent(how === 'click' ? new w.MouseEvent('click', { bubbles: true }) : new w.KeyboardEvent('keydown', { key: how, bubbles: true }));
            return true;
        },
        { target, how },
    );
}

describe('Call Flow beside the editor', function () {
    this.timeout(120_000);
    let api: SipflowExtensionApi;
    let sandbox: Sandbox;
    let file: vscode.TextDocument;
    let sidebarWasOpen = false;
    const config = () => vscode.workspace.getConfiguration('sipflow');

    before(async () => {
        api = await extensionApi();
        sandbox = await sandboxAsLive({ dixa: DIXA_TOKEN, synthflow: SYNTHFLOW_KEY });
        await vscode.commands.executeCommand('sipflow.setCredentials', { dixa: DIXA_TOKEN, synthflow: SYNTHFLOW_KEY });
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        file = await openFixture('acme.sipflow');
        const rendered = api.nextCallFlowRender();
        await vscode.commands.executeCommand('sipflow.showCallFlow', file.uri);
        await rendered;
    });

    after(async () => {
        // The workbench as the other suites expect it: one editor group, the side bar as it was.
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.commands.executeCommand('workbench.action.editorLayoutSingle');
        if (sidebarWasOpen) await vscode.commands.executeCommand('workbench.action.toggleSidebarVisibility');
        await vscode.commands.executeCommand('sipflow.clearCredentials');
        await config().update('dixa.baseUrl', undefined, vscode.ConfigurationTarget.Global);
        await config().update('synthflow.baseUrl', undefined, vscode.ConfigurationTarget.Global);
        await config().update('target', undefined, vscode.ConfigurationTarget.Global);
        await sandbox?.close();
    });

    it('shows the assistant id before any read, and its Synthflow name once a plan has read it', async () => {
        const html = api.callFlowHtml() ?? '';
        assert.ok(html.includes('assistant b336ab4e…'), 'the id before any read');
        assert.ok(!html.includes('Acme DK support front door'), 'no name before any read');
        await vscode.commands.executeCommand('sipflow.plan', file.uri);
        // The plan opened beside, over the Call Flow: the file back in the first column, the Call Flow beside it.
        await vscode.window.showTextDocument(file, vscode.ViewColumn.One);
        const rendered = api.nextCallFlowRender();
        await vscode.commands.executeCommand('sipflow.showCallFlow', file.uri);
        await rendered;
        await waitFor('the names in the webview', () =>
            dom.inWebview(FRAME, () => (globalThis as unknown as PageWindow).document.body.innerText.includes('Acme DK support front door')).catch(() => false),
        );
        const after = api.callFlowHtml() ?? '';
        assert.ok(after.includes('Acme DK support front door') && after.includes('Acme DK sales front door'), 'both names');
        assert.ok(after.includes('b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6'), 'the id stays as detail');
    });

    it(`is legible at ${PANEL_WIDTH} px: no text under 11 px, nothing clipped, a screenshot saved`, async () => {
        // The side bars closed (the 1400 px window's editor area is then about 1350 px), the editor area
        // split so that the Call Flow's group is PANEL_WIDTH wide: the Call Flow beside a file, as opened.
        sidebarWasOpen = (await dom.count('.part.sidebar')) > 0;
        await vscode.commands.executeCommand('workbench.action.closeSidebar');
        await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
        await waitFor('the side bar closed', async () => (await dom.count('.part.sidebar')) === 0);
        const area = await dom.evaluate(() => (globalThis as unknown as PageWindow).document.querySelector('.part.editor')!.getBoundingClientRect().width);
        const innerWidth = () => dom.inWebview(FRAME, () => (globalThis as unknown as PageWindow).innerWidth).catch(() => 0);
        // Group sizes are proportions of the editor area (the grid scales them to it).
        await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: area - PANEL_WIDTH }, { size: PANEL_WIDTH }] });
        const width = await waitFor(
            `the panel resized to ${PANEL_WIDTH} px (editor area ${area} px)`,
            async () => {
                const inner = await innerWidth();
                return Math.abs(inner - PANEL_WIDTH) <= 24 ? inner : undefined;
            },
            10_000,
        );
        const measured = await dom.inWebview(FRAME, () => {
            const w = globalThis as unknown as PageWindow;
            const document = w.document;
            const TEXT_NODE = 3;
            const texts = Array.from(document.querySelectorAll('body *')).filter(
                e => e.checkVisibility() && Array.from(e.childNodes).some(n => n.nodeType === TEXT_NODE && n.textContent!.trim() !== ''),
            );
            const sizes = texts.map(e => ({ size: parseFloat(w.getComputedStyle(e).fontSize), text: e.textContent!.trim().slice(0, 40) }));
            const smallest = sizes.reduce((a, b) => (b.size < a.size ? b : a));
            const table = document.querySelector('table.details')!.getBoundingClientRect();
            const diagram = document.querySelector('.diagram')!;
            const layout = Array.from(document.querySelectorAll('svg.callflow'))
                .filter(s => s.checkVisibility())
                .map(s => s.getAttribute('class'));
            return {
                count: sizes.length,
                smallest,
                layout,
                viewport: w.innerWidth,
                pageScrollWidth: document.documentElement.scrollWidth,
                tableRight: table.right,
                diagramOverflow: diagram.scrollWidth - diagram.clientWidth,
            };
        });
        report(
            `      Call Flow at ${width} px: ${measured.count} text elements, smallest ${measured.smallest.size} px ("${measured.smallest.text}"), layout ${measured.layout.join(', ')}`,
        );
        assert.ok(measured.count > 40, `text found: ${measured.count}`);
        assert.ok(measured.smallest.size >= 11, `smallest text ${measured.smallest.size} px: "${measured.smallest.text}"`);
        assert.deepEqual(measured.layout, ['callflow tall'], 'the stacked layout at this width');
        assert.ok(measured.pageScrollWidth <= measured.viewport, `no horizontal overflow: ${measured.pageScrollWidth} > ${measured.viewport}`);
        assert.ok(measured.tableRight <= measured.viewport, `the table is not clipped: right edge ${measured.tableRight} > ${measured.viewport}`);
        assert.ok(measured.diagramOverflow <= 0, `the diagram fits: ${measured.diagramOverflow} px too wide`);
        const shot = await dom.screenshot('call-flow-700');
        const png = readFileSync(shot);
        assert.ok(statSync(shot).size > 1000, `a non-empty screenshot at ${shot}`);
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
        report(`      screenshot: ${shot} (${png.length} bytes)`);
    });

    it('is keyboard focusable: every node is a labelled button in tab order, with a visible focus outline', async () => {
        const focusable = await dom.inWebview(FRAME, () => {
            const w = globalThis as unknown as PageWindow;
            return Array.from(w.document.querySelectorAll('[tabindex="0"]'))
                .filter(e => e.checkVisibility())
                .map(e => {
                    e.focus();
                    return {
                        target: e.getAttribute('data-target'),
                        role: e.getAttribute('role'),
                        label: e.getAttribute('aria-label'),
                        focused: w.document.activeElement === e,
                        outline: w.getComputedStyle(e).outlineStyle,
                    };
                });
        });
        const nodeKeys = ['did:support', 'flow:support', 'assistant:support', 'q0', 'did:sales', 'flow:sales', 'assistant:sales', 'q1'];
        assert.deepEqual(
            focusable.map(f => f.target),
            [...nodeKeys, 'edge:2', 'edge:3', 'edge:6', 'edge:7'],
            'nodes, then escalation and fallback labels',
        );
        for (const f of focusable) {
            assert.equal(f.role, 'button', `${f.target} is a button`);
            assert.ok(f.label && f.label.endsWith('Reveal its declaration'), `${f.target} is labelled: ${f.label}`);
            assert.ok(f.focused, `${f.target} takes focus`);
            assert.notEqual(f.outline, 'none', `${f.target} shows its focus`);
        }
        assert.ok(focusable.find(f => f.target === 'assistant:support')!.label!.includes('Acme DK support front door'));
    });

    for (const [target, how, text, line] of [
        ['did:sales', 'click', 'sales', 'department sales {'],
        ['q0', ' ', 'tier1', 'queue tier1 {'],
        ['edge:7', 'Enter', 'sales_desk', 'fallback sales_desk'],
        ['assistant:support', 'click', '"b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"', 'assistant "b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"'],
    ] as const) {
        it(`${how === 'click' ? 'a click on' : `${how === ' ' ? 'Space' : how} on`} ${target} selects "${text}" in the file's column`, async () => {
            // Start elsewhere in the file, so that the selection can only come from the reveal.
            await vscode.window.showTextDocument(file, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(0, 0, 0, 0), preserveFocus: true });
            assert.ok(await activate(target, how), `${target} is in the webview`);
            const editor = await waitFor(`the selection of ${target}`, () => {
                const e = vscode.window.activeTextEditor;
                return e && e.document.uri.toString() === file.uri.toString() && !e.selection.isEmpty ? e : undefined;
            });
            assert.equal(editor.document.getText(editor.selection), text);
            assert.equal(editor.document.lineAt(editor.selection.start.line).text.trim(), line);
            assert.equal(editor.viewColumn, vscode.ViewColumn.One, 'in the column the file is in, not over the Call Flow');
        });
    }

    it('lists the errors as Problems does: each once, as path:line:col message', async () => {
        const broken = await openFixture('broken/numbers.sipflow');
        const problems = await waitFor("the broken file's errors in Problems", () => {
            const errors = vscode.languages.getDiagnostics(broken.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
            return errors.length >= 5 ? errors : undefined;
        });
        const distinct = new Set(problems.map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`));
        const rendered = api.nextCallFlowRender();
        await vscode.commands.executeCommand('sipflow.showCallFlow', broken.uri);
        await rendered;
        const items = await waitFor('the error list', () => {
            const html = api.callFlowHtml() ?? '';
            const listed = [...html.matchAll(/<li>([^<]*)<\/li>/g)].map(m =>
                m[1]!
                    .replace(/&#39;/g, "'")
                    .replace(/&quot;/g, '"')
                    .replace(/&lt;/g, '<')
                    .replace(/&gt;/g, '>')
                    .replace(/&amp;/g, '&'),
            );
            return listed.length === distinct.size ? { html, listed } : undefined;
        });
        assert.ok(items.html.includes(`${distinct.size} error${distinct.size === 1 ? '' : 's'} to fix first`), 'the count Problems shows');
        assert.ok(!items.html.includes('file:///'), 'no file URI');
        assert.deepEqual(new Set(items.listed), new Set([...distinct].map(p => `broken/numbers.sipflow:${p}`)), 'the same errors, once each');
        await vscode.window.showTextDocument(broken);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
});
