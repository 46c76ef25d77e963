import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { isQueue, type SipflowFile } from '../../src/language/generated/ast.js';
import { SipflowGrammar } from '../../src/language/generated/grammar.js';
import { SipflowLanguageMetaData } from '../../src/language/generated/module.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { EXAMPLE, exampleWith } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
type Kind = 'cli' | 'core' | 'editor';

/** Builds one document in fresh services: its diagnostics, and how many references the index knows of its first queue. */
async function build(text: string, kind: Kind) {
    const context = { ...EmptyFileSystem, forCli: kind === 'cli' };
    const services = kind === 'editor' ? createSipflowServices(context) : createSipflowCoreServices(context);
    const document = services.shared.workspace.LangiumDocuments.createDocument(URI.parse('file:///w/acme.sipflow'), text) as LangiumDocument<SipflowFile>;
    await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
    const queue = document.parseResult.value.integration?.members.find(isQueue);
    const references = queue ? services.shared.workspace.IndexManager.findAllReferences(queue, services.Sipflow.workspace.AstNodeLocator.getAstNodePath(queue)).count() : 0;
    return { diagnostics: (document.diagnostics ?? []).map(d => [d.code, d.severity, d.message, d.range]), references };
}

/** Every .sipflow file of the repository's examples and the editor fixtures, broken ones included. */
function repositoryFiles(): Array<[string, string]> {
    const found: Array<[string, string]> = [];
    for (const folder of ['examples', 'test/vscode/fixture']) {
        for (const entry of readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })) {
            if (entry.isFile() && entry.name.endsWith('.sipflow')) {
                const file = path.join(entry.parentPath, entry.name);
                found.push([path.relative(ROOT, file), readFileSync(file, 'utf8')]);
            }
        }
    }
    return found;
}

describe("createSipflowCoreServices: the CLI's services, without a language server", () => {
    const broken = exampleWith('fallback tier1', 'fallback tier9').replace('did "+4535551234"', 'did "4535551234"');

    it("report exactly what the editor's services report, for every example and fixture, clean or broken", async () => {
        const files: Array<[string, string]> = [['the example', EXAMPLE], ['the example, broken', broken], ...repositoryFiles()];
        expect(files.length).toBeGreaterThan(5);
        for (const [name, text] of files) {
            const editor = await build(text, 'editor');
            expect((await build(text, 'cli')).diagnostics, name).toEqual(editor.diagnostics);
            expect((await build(text, 'core')).diagnostics, name).toEqual(editor.diagnostics);
        }
        expect((await build(broken, 'cli')).diagnostics.map(([code]) => code)).toEqual(expect.arrayContaining(['linking-error', 'e164-invalid']));
    });

    it("keep no reference index with forCli, which the editor's services and the plain core services do", async () => {
        expect((await build(EXAMPLE, 'editor')).references).toBeGreaterThan(0);
        expect((await build(EXAMPLE, 'core')).references).toBeGreaterThan(0);
        expect((await build(EXAMPLE, 'cli')).references).toBe(0);
    });
});

describe('the grammar in production mode', () => {
    it('is generated in production mode, so that start-up skips Chevrotain’s grammar checks (langium-config.json)', () => {
        expect(SipflowLanguageMetaData.mode).toBe('production');
    });

    it('passes those checks when they run: the parser and lexer build in development mode', () => {
        const developmentMode = { ...SipflowLanguageMetaData, mode: 'development' as const };
        expect(SipflowGrammar().rules.length).toBeGreaterThan(10);
        // Building the parser runs Chevrotain's self-analysis (ambiguities, left recursion, unreachable tokens), which throws on a defect.
        const checked = createSipflowCoreServices({ ...EmptyFileSystem }, { LanguageMetaData: () => developmentMode });
        expect(checked.Sipflow.LanguageMetaData.mode).toBe('development');
        expect(() => checked.Sipflow.parser.LangiumParser).not.toThrow();
        expect(checked.Sipflow.parser.LangiumParser.parse('integration acme { }').lexerErrors).toEqual([]);
    });
});
