import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Cancellation, EmptyFileSystem, isOperationCancelled, URI } from 'langium';
import { parseHelper } from 'langium/test';
import { afterAll, describe, expect, it } from 'vitest';
import { INTERNAL_ERROR_CODE, MAX_DIAGNOSTICS_PER_FILE, PROBLEMS_CAPPED_CODE } from '../../src/language/diagnostic-codes.js';
import type { SipflowAstType, SipflowFile } from '../../src/language/generated/ast.js';
import { RegularFileSystem } from '../../src/language/references/regular-file-system.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE, exampleWith, validate } from './helpers.js';

/** The example with `count` invalid IPs in a second allowlist: `count` ip-invalid errors. */
function withInvalidIps(count: number, text = EXAMPLE): string {
    const ips = Array.from({ length: count }, (_, i) => `"x${i}"`).join(', ');
    return text.replace('allowlist synthflow', `allowlist synthflow\n    allowlist ${ips}`);
}

describe('diagnostics are capped per file', () => {
    it('keeps the first 1,000 (errors first) and ends with one that counts the rest', async () => {
        const text = withInvalidIps(1200, exampleWith('mode warm', 'mode cold'));
        const { diagnostics } = await validate(text);
        expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
        const last = diagnostics[diagnostics.length - 1];
        expect(last.code).toBe(PROBLEMS_CAPPED_CODE);
        expect(last.message).toMatch(/^… and 201 more problems in this file \(200 errors, 1 warning\)/);
        expect(last.severity).toBe(1);
        expect((last.data as { hidden: unknown }).hidden).toEqual({ error: 200, warning: 1, info: 0, hint: 0 });
        expect(diagnostics.slice(0, -1).every(d => d.code === 'ip-invalid')).toBe(true);
        // In position order, the cap marker last (it sits at the end of the file).
        const lines = diagnostics.map(d => d.range.start.line);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
    });

    it('takes the severity of the worst problem it hides, so hidden warnings do not fail the file', async () => {
        const departments = Array.from(
            { length: 5 },
            (_, i) => `  department d${i} {\n    did "+453555010${i}"\n    assistant "00000000-0000-4000-8000-00000000000${i}"\n    escalate tier1 { mode cold }\n  }\n`,
        ).join('');
        const text = withInvalidIps(MAX_DIAGNOSTICS_PER_FILE, EXAMPLE.replace(/\}\s*$/, `${departments}}\n`));
        const { diagnostics } = await validate(text);
        const last = diagnostics[diagnostics.length - 1];
        expect(last.code).toBe(PROBLEMS_CAPPED_CODE);
        expect((last.data as { hidden: unknown }).hidden).toEqual({ error: 0, warning: 10, info: 0, hint: 0 });
        expect(last.severity).toBe(2);
    });

    it('does not add a marker at or below the cap', async () => {
        const { diagnostics } = await validate(withInvalidIps(MAX_DIAGNOSTICS_PER_FILE));
        expect(diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE);
        expect(diagnostics.some(d => d.code === PROBLEMS_CAPPED_CODE)).toBe(false);
    });

    it('140,000 problems in one file: no stack overflow, all counted', async () => {
        const { diagnostics } = await validate(withInvalidIps(140_000));
        const last = diagnostics[diagnostics.length - 1];
        expect(last.code).toBe(PROBLEMS_CAPPED_CODE);
        expect((last.data as { hidden: { error: number } }).hidden.error).toBe(140_000 - MAX_DIAGNOSTICS_PER_FILE);
    }, 60_000);
});

describe('a failing check', () => {
    it('is an internal-error diagnostic, never a clean file', async () => {
        const services = createSipflowServices(EmptyFileSystem);
        services.Sipflow.validation.ValidationRegistry.register<SipflowAstType>({
            Queue: (): void => {
                throw new Error('check exploded');
            },
        });
        const document = await parseHelper<SipflowFile>(services.Sipflow)(EXAMPLE, { validation: true });
        const internal = (document.diagnostics ?? []).filter(d => d.code === INTERNAL_ERROR_CODE);
        // One per queue of the example, each an error that names the failure.
        expect(internal).toHaveLength(2);
        for (const diagnostic of internal) {
            expect(diagnostic.severity).toBe(1);
            expect(diagnostic.message).toContain('internal error: check exploded');
        }
    });

    it('that rejects asynchronously is an internal-error too', async () => {
        const services = createSipflowServices(EmptyFileSystem);
        services.Sipflow.validation.ValidationRegistry.register<SipflowAstType>({
            Queue: async (): Promise<void> => {
                await new Promise(resolve => setTimeout(resolve, 1));
                throw new Error('late failure');
            },
        });
        const document = await parseHelper<SipflowFile>(services.Sipflow)(EXAMPLE, { validation: true });
        const internal = (document.diagnostics ?? []).filter(d => d.code === INTERNAL_ERROR_CODE);
        expect(internal.map(d => d.message)).toEqual([expect.stringContaining('internal error: late failure'), expect.stringContaining('internal error: late failure')]);
    });
});

describe('checks that return a promise', () => {
    it('are awaited, and the checks after them, on the node and inside it, still run in order', async () => {
        const services = createSipflowServices(EmptyFileSystem);
        const order: string[] = [];
        services.Sipflow.validation.ValidationRegistry.register<SipflowAstType>({
            Department: [
                async (department, accept): Promise<void> => {
                    await new Promise(resolve => setTimeout(resolve, 1));
                    order.push(`async ${department.name}`);
                    accept('warning', 'from the async check', { node: department, property: 'name' });
                },
                department => void order.push(`sync ${department.name}`),
            ],
            Escalation: escalation => void order.push(`escalation of ${escalation.$container.name}`),
        });
        const document = await parseHelper<SipflowFile>(services.Sipflow)(EXAMPLE, { validation: true });
        const departments = [...EXAMPLE.matchAll(/department (\w+)/g)].map(match => match[1]);
        expect(departments.length).toBeGreaterThan(0);
        // Each department's async check, then its sync one, then its escalations, before the next department.
        expect(order.filter(entry => !entry.startsWith('escalation')).join(' ')).toBe(departments.map(name => `async ${name} sync ${name}`).join(' '));
        const firstEscalation = order.findIndex(entry => entry.startsWith('escalation'));
        expect(firstEscalation).toBeGreaterThan(order.indexOf(`sync ${departments[0]}`));
        expect(document.diagnostics?.filter(d => d.message === 'from the async check')).toHaveLength(departments.length);
    });
});

describe("the language server's workspace scan", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sipflow-scan-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('skips a FIFO named *.sipflow (and a link to it) without opening it', async () => {
        writeFileSync(path.join(dir, 'acme.sipflow'), EXAMPLE);
        execFileSync('mkfifo', [path.join(dir, 'pipe.sipflow')]);
        symlinkSync('pipe.sipflow', path.join(dir, 'link.sipflow'));
        const { shared } = createSipflowServices(RegularFileSystem);
        // Opening the FIFO would block this await forever (the test would time out).
        await shared.workspace.WorkspaceManager.initializeWorkspace([{ uri: URI.file(dir).toString(), name: 'scan' }]);
        const loaded = shared.workspace.LangiumDocuments.all.map(d => path.basename(d.uri.fsPath)).toArray();
        expect(loaded).toEqual(['acme.sipflow']);
    }, 20_000);

    it('refuses, instead of hanging on, a file that became a FIFO after it was loaded', async () => {
        const folder = mkdtempSync(path.join(dir, 'replaced-'));
        const file = path.join(folder, 'acme.sipflow');
        writeFileSync(file, EXAMPLE);
        const { shared } = createSipflowServices(RegularFileSystem);
        await shared.workspace.WorkspaceManager.initializeWorkspace([{ uri: URI.file(folder).toString(), name: 'replaced' }]);
        expect(shared.workspace.LangiumDocuments.all.count()).toBe(1);
        unlinkSync(file);
        execFileSync('mkfifo', [file]);
        await expect(shared.workspace.DocumentBuilder.update([URI.file(file)], [])).rejects.toThrow(/not a regular file/);
    }, 20_000);
});

describe('validation of a large environment', () => {
    it('checks for cancellation inside it, not only between the members of the integration', async () => {
        const services = createSipflowServices(EmptyFileSystem);
        const source = new Cancellation.CancellationTokenSource();
        let checked = 0;
        services.Sipflow.validation.ValidationRegistry.register<SipflowAstType>({
            Department: () => {
                if (++checked === 10) source.cancel();
            },
        });
        // One member of the integration holding 3,000 blocks.
        const overrides = '    department support {\n      timeout 30s\n    }\n'.repeat(3000);
        const text = EXAMPLE.replace(/\}\s*$/, `  environment big {\n${overrides}  }\n}\n`);
        const document = services.shared.workspace.LangiumDocuments.createDocument(URI.parse('file:///limits/big-environment.sipflow'), text);
        expect(document.parseResult.parserErrors).toEqual([]);
        await services.shared.workspace.DocumentBuilder.build([document], { validation: false });
        const outcome = await services.Sipflow.validation.DocumentValidator.validateDocument(document, {}, source.token).then(
            () => 'finished',
            (error: unknown) => (isOperationCancelled(error) ? 'cancelled' : error),
        );
        expect(outcome).toBe('cancelled');
        // Cancelled within a thousand nodes of the request, not after all 3,000 overrides.
        expect(checked).toBeGreaterThanOrEqual(10);
        expect(checked).toBeLessThan(1200);
    }, 60_000);
});
