import { describe, expect, it } from 'vitest';
import { EmptyFileSystem, GrammarAST } from 'langium';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import type { Department, Escalation, SynthflowBlock } from '../../src/language/generated/ast.js';
import { isDepartment } from '../../src/language/generated/ast.js';
import { integrationParts } from '../../src/language/integration-parts.js';
import { keywordOf, ownKeywords, settingWritten } from '../../src/language/validation/own-keywords.js';
import { EXAMPLE, exampleWith, rangeText, validate } from './helpers.js';

/** The setting-duplicate diagnostics of a text, as the text each covers, with its line. */
async function duplicatesOf(text: string): Promise<Array<[string, number]>> {
    const { document, diagnostics } = await validate(text);
    return diagnostics.filter(d => d.code === 'setting-duplicate').map(d => [rangeText(document, d), d.range.start.line]);
}

async function departmentNamed(text: string, name: string): Promise<Department> {
    const { document } = await validate(text);
    const found = document.parseResult.value.integration!.members.find((m): m is Department => isDepartment(m) && m.name === name);
    if (!found) throw new Error(`no department ${name}`);
    return found;
}

describe('own keywords (the settings a block writes, read from its own CST children)', () => {
    it("are the block keyword and its settings in source order, not a nested block's, not a name", async () => {
        const support = await departmentNamed(EXAMPLE, 'support');
        expect(ownKeywords(support).map(leaf => leaf.text)).toEqual(['department', '{', 'flow', 'did', 'assistant', 'timeout', 'fallback', 'uui', '}']);
        const escalation: Escalation = support.escalations[0]!;
        expect(ownKeywords(escalation).map(leaf => leaf.text)).toEqual(['escalate', '{', 'mode', 'when', 'say', '}']);
    });

    it('spell their keyword as the text says: keywordOf reads the grammar, not the document', async () => {
        const { document } = await validate(EXAMPLE);
        const parts = integrationParts(document.parseResult.value.integration!);
        const leaves = [...parts.departments, ...parts.queues, ...parts.departments.flatMap(d => d.escalations)].flatMap(node => [...ownKeywords(node)]);
        expect(leaves.length).toBeGreaterThan(30);
        for (const leaf of leaves) expect(keywordOf(leaf)).toBe(leaf.text);
    });

    it('include the settings of credentials, reached through the TrunkAuth rule', async () => {
        const text = exampleWith('trunk-auth ip', 'trunk-auth credentials {\n      username env:SIP_USER\n      password env:SIP_PASS\n    }');
        const { document } = await validate(text);
        const synthflow: SynthflowBlock = integrationParts(document.parseResult.value.integration!).synthflow!;
        expect(ownKeywords(synthflow.trunkAuth!).map(leaf => leaf.text)).toEqual(['credentials', '{', 'username', 'password', '}']);
    });

    it('a setting written twice is reported on the repeat, in a department, an escalation and credentials', async () => {
        const lineOf = (text: string, search: string) => text.slice(0, text.lastIndexOf(search)).split('\n').length - 1;
        const department = exampleWith('    timeout 30s\n    fallback tier1', '    timeout 30s\n    timeout 45s\n    fallback tier1');
        expect(await duplicatesOf(department)).toEqual([['timeout', lineOf(department, 'timeout 45s')]]);
        const escalation = exampleWith('      mode warm\n', '      mode warm\n      mode cold\n');
        expect(await duplicatesOf(escalation)).toEqual([['mode', lineOf(escalation, 'mode cold')]]);
        const credentials = exampleWith('trunk-auth ip', 'trunk-auth credentials {\n      username env:A\n      password env:B\n      username env:C\n    }');
        expect(await duplicatesOf(credentials)).toEqual([['username', lineOf(credentials, 'username env:C')]]);
    });

    it('a name spelt like a keyword is not a setting: department did, queue mode', async () => {
        const namedDid = exampleWith('department support {', 'department did {');
        expect(await duplicatesOf(namedDid)).toEqual([]);
        const withoutDid = namedDid.replace('    did "+4535551234"\n', '');
        expect(settingWritten(await departmentNamed(withoutDid, 'did'), 'did')).toBe(false);
        expect(settingWritten(await departmentNamed(namedDid, 'did'), 'did')).toBe(true);
        const queueMode = exampleWith('queue tier1 {', 'queue mode {')
            .replace(/fallback tier1/g, 'fallback mode')
            .replace('escalate tier1', 'escalate mode');
        expect(await duplicatesOf(queueMode)).toEqual([]);
        const fallbackNamedFallback = exampleWith('queue tier1 {', 'queue fallback {')
            .replace(/fallback tier1/g, 'fallback fallback')
            .replace('escalate tier1', 'escalate fallback');
        expect(await duplicatesOf(fallbackNamedFallback)).toEqual([]);
        expect(await duplicatesOf(fallbackNamedFallback.replace('fallback fallback', 'fallback fallback\n    fallback fallback'))).toHaveLength(1);
    });
});

describe("own keywords' Keyword test", () => {
    it('may compare $type: no grammar type extends Keyword, so GrammarAST.isKeyword is exactly that', () => {
        // collectOwnKeywords compares grammarSource.$type with 'Keyword' instead of asking the reflection;
        // a Langium whose grammar language adds a subtype of Keyword would make that miss keywords.
        expect(GrammarAST.reflection.getAllSubTypes(GrammarAST.Keyword.$type)).toEqual([GrammarAST.Keyword.$type]);
    });

    it('integrationParts may sort members by $type: no type of the language extends the four it sorts', () => {
        const { Sipflow } = createSipflowServices(EmptyFileSystem);
        for (const type of ['Department', 'Queue', 'DixaBlock', 'SynthflowBlock']) expect(Sipflow.shared.AstReflection.getAllSubTypes(type)).toEqual([type]);
    });
});
