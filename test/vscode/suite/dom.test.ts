import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import * as vscode from 'vscode';
import { dom } from './dom.js';
import { openFixture, waitFor } from './helpers.js';

describe('the DOM probe channel', () => {
    it('counts, reads, evaluates and screenshots the workbench page', async () => {
        assert.equal(await dom.count('.monaco-workbench'), 1);
        assert.equal(await dom.count('.monaco-workbench', { hasText: 'no such text in the workbench 4c1f' }), 0);
        const document = await openFixture('acme.sipflow');
        // The editor tab shows the file's name: the page is the workbench this extension host belongs to.
        let seen: string[] = [];
        await waitFor('the acme.sipflow tab', async () => {
            seen = await dom.evaluate(() => {
                const page = globalThis as unknown as { document: { title: string; querySelectorAll(s: string): Iterable<{ getAttribute(n: string): string | null }> } };
                return [page.document.title, ...[...page.document.querySelectorAll('[role="tab"]')].map(t => t.getAttribute('aria-label') ?? '')];
            });
            return seen.some(t => t.includes('acme.sipflow'));
        }).catch((e: Error) => assert.fail(`${e.message}; the page shows ${JSON.stringify(seen)}`));
        const sum = await dom.evaluate((arg: { a: number; b: number }) => arg.a + arg.b, { a: 2, b: 3 });
        assert.equal(sum, 5);
        const shot = await dom.screenshot('dom-channel');
        assert.ok(existsSync(shot) && statSync(shot).size > 1000, shot);
        await vscode.window.showTextDocument(document);
    });

    it('reports what it cannot do instead of passing', async () => {
        await assert.rejects(dom.click('.no-such-element-9d2e', 300), /dom\.click: .*Timeout/);
        await assert.rejects(
            dom.inWebview('no such webview 7b1a', () => 1),
            /no webview frame/,
        );
    });
});
