import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectCompletion } from 'langium/test';
import { CompletionItemKind, CompletionTriggerKind, InsertTextFormat, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import { insideStringOrComment, lastStartAtOrBefore, resolveCompletionItem } from '../../src/language/lsp/sipflow-completion-provider.js';
import { EXAMPLE, exampleWith } from './helpers.js';
import { editor, openFiles } from './editor-helpers.js';
import { SYNTHFLOW_REGION_FACTS } from '../../src/vendors/synthflow-facts.js';

const complete = expectCompletion(editor.Sipflow);

/** Runs completion at `<|>` and hands the list to `check`. */
async function completionAt(text: string, check: (list: CompletionList) => void): Promise<void> {
    await complete({ text, index: 0, assert: check, disposeAfterCheck: true });
}

const labels = (list: CompletionList) => list.items.map(item => item.label);
const item = (list: CompletionList, label: string): CompletionItem => {
    const found = list.items.find(candidate => candidate.label === label);
    if (!found) throw new Error(`no completion item ${label} in ${labels(list).join(', ')}`);
    return found;
};
const markdown = (completion: CompletionItem) => (typeof completion.documentation === 'object' ? completion.documentation.value : completion.documentation);

describe('completion: keywords in context', () => {
    it('offers the settings a department does not have yet, with their documentation', async () => {
        const text = 'integration a {\n  department d {\n    did "+4535551234"\n    <|>\n  }\n}';
        await complete({
            text,
            index: 0,
            expectedItems: ['flow', 'assistant', 'timeout', 'fallback', 'uui', 'header', 'escalate', 'escalate … { mode … }'],
            disposeAfterCheck: true,
        });
        await completionAt(text, list => {
            expect(item(list, 'timeout').kind).toBe(CompletionItemKind.Keyword);
            expect(markdown(item(list, 'timeout'))).toContain('5s–300s');
        });
    });

    it('offers organization in a dixa block until it is written, with its documentation', async () => {
        const text = 'integration a {\n  dixa {\n    sip-domain "a.sip.dixa.com"\n    <|>\n  }\n}';
        await complete({ text, index: 0, expectedItems: ['organization', 'allowlist'], disposeAfterCheck: true });
        await completionAt(text, list => expect(markdown(item(list, 'organization'))).toContain('the Dixa organization this file is for'));
        await completionAt('integration a {\n  dixa {\n    organization "a"\n    <|>\n  }\n}', list => expect(labels(list)).not.toContain('organization'));
    });

    it('still offers the keyword being retyped', async () => {
        await completionAt(exampleWith('    timeout 30s\n    fallback tier1', '    time<|>out 30s\n    fallback tier1'), list => {
            expect(labels(list)).toEqual(['timeout']);
        });
    });

    it('offers the members of an integration and the settings of an escalation', async () => {
        await complete({ text: 'integration a {\n  <|>\n}', index: 0, expectedItems: ['dixa', 'synthflow', 'queue', 'department', 'environment'], disposeAfterCheck: true });
        await complete({
            text: 'integration a { queue q { did "+4570101111" } department d { escalate q { <|> } } }',
            index: 0,
            expectedItems: ['mode', 'when', 'say', 'failed'],
            disposeAfterCheck: true,
        });
        await complete({ text: '<|>', index: 0, expectedItems: ['integration'], disposeAfterCheck: true });
    });

    it('offers no keywords where a new name is written (names may be spelled like soft keywords)', async () => {
        await completionAt('integration a {\n  queue <|>\n}', list => expect(labels(list)).toEqual([]));
    });

    it('inside an environment, offers the queues and departments it can override', async () => {
        const text =
            'integration a {\n  queue q1 { did "+4570101111" }\n  queue q2 { did "+4570102222" }\n  department d1 { did "+4535551234" }\n  environment s {\n    queue <|>\n  }\n}';
        await completionAt(text, list => expect(labels(list)).toEqual(['q1', 'q2']));
        await completionAt(text.replace('queue <|>', 'department <|>'), list => expect(labels(list)).toEqual(['d1']));
        await complete({
            text: 'integration a {\n  environment s {\n    <|>\n  }\n}',
            index: 0,
            expectedItems: ['dixa', 'synthflow', 'queue', 'department'],
            disposeAfterCheck: true,
        });
    });
});

describe('completion: queue references', () => {
    it('offers the queues of the file for fallback and escalate, as queues', async () => {
        await completionAt(exampleWith('fallback tier1', 'fallback <|>'), list => {
            expect(labels(list)).toEqual(['tier1', 'sales_desk']);
            expect(item(list, 'tier1').kind).toBe(CompletionItemKind.Struct);
        });
        await completionAt(exampleWith('escalate sales_desk', 'escalate <|>'), list => expect(labels(list)).toEqual(['tier1', 'sales_desk']));
    });

    it('filters by the typed prefix and replaces it', async () => {
        await completionAt(exampleWith('fallback tier1', 'fallback ti<|>'), list => {
            expect(labels(list)).toEqual(['tier1']);
            const edit = item(list, 'tier1').textEdit as { range: { start: { character: number }; end: { character: number } } };
            expect(edit.range.end.character - edit.range.start.character).toBe('ti'.length);
        });
    });

    it('offers queues declared in another file of the same integration, not those of another integration', async () => {
        const { close } = await openFiles({
            queues: 'integration acme {\n  queue remote {\n    did "+4570109999"\n  }\n}\n',
            foreign: 'integration other {\n  queue alien {\n    did "+4570108888"\n  }\n}\n',
        });
        try {
            await completionAt(exampleWith('fallback tier1', 'fallback <|>'), list => expect(labels(list)).toEqual(['tier1', 'sales_desk', 'remote']));
        } finally {
            await close();
        }
    });
});

describe('completion: values', () => {
    it('offers the regions with their description and hosts from the facts table', async () => {
        await completionAt(exampleWith('region eu', 'region <|>'), list => {
            expect(labels(list)).toEqual(['global', 'us', 'eu']);
            const eu = item(list, 'eu');
            expect(eu.kind).toBe(CompletionItemKind.EnumMember);
            expect(eu.detail).toBe(`value of region · ${SYNTHFLOW_REGION_FACTS.eu.description} · ${SYNTHFLOW_REGION_FACTS.eu.sipHost}`);
            expect(markdown(eu)).toContain('`sip.eu.synthflow.ai:32681`');
            expect(markdown(eu)).toContain('34.185.212.150');
        });
    });

    it('offers the transfer modes, each with a doc', async () => {
        await completionAt(exampleWith('mode warm', 'mode <|>'), list => {
            expect(labels(list)).toEqual(['warm', 'warm-with-context', 'cold']);
            expect(item(list, 'warm').detail).toBe('value of mode · Synthflow warm_transfer (default)');
            expect(markdown(item(list, 'cold'))).toContain('SIP REFER');
            expect(markdown(item(list, 'warm-with-context'))).toContain('warm_transfer_with_context');
        });
    });

    it('offers the queue kinds and the UUI key', async () => {
        await completionAt(exampleWith('kind ring-group', 'kind <|>'), list => expect(labels(list)).toEqual(['queue', 'ring-group']));
        await completionAt(exampleWith('uui phone_number', 'uui <|>'), list => expect(labels(list)).toEqual(['phone_number']));
    });
});

describe('completion: env references for trunk credentials', () => {
    it('offers the default for the setting first, then the other default, then names used in the workspace', async () => {
        const { close } = await openFiles({
            other: 'integration x {\n  synthflow {\n    trunk-auth credentials {\n      username env:ZED\n      password env:ACME_PW\n    }\n  }\n}\n',
        });
        try {
            await completionAt(exampleWith('trunk-auth ip', 'trunk-auth credentials {\n      username <|>\n    }'), list => {
                expect(labels(list)).toEqual(['env:DIXA_SIP_USERNAME', 'env:DIXA_SIP_PASSWORD', 'env:ACME_PW', 'env:ZED']);
                expect(item(list, 'env:DIXA_SIP_USERNAME').preselect).toBe(true);
                expect(item(list, 'env:ZED').kind).toBe(CompletionItemKind.Variable);
            });
        } finally {
            await close();
        }
    });

    it('completes after a bare "env:" and replaces it', async () => {
        const text = exampleWith('trunk-auth ip', 'trunk-auth credentials { password env:<|> }');
        await completionAt(text, list => {
            expect(labels(list)).toEqual(['env:DIXA_SIP_PASSWORD', 'env:DIXA_SIP_USERNAME']);
            const edit = item(list, 'env:DIXA_SIP_PASSWORD').textEdit as { range: { start: { line: number; character: number }; end: { character: number } } };
            const line = text.split('\n')[edit.range.start.line];
            expect(line.slice(edit.range.start.character, edit.range.end.character)).toBe('env:');
        });
    });

    it('replaces the whole env: token, also the part after the cursor, so no client writes "env:env:"', async () => {
        const text = exampleWith('trunk-auth ip', 'trunk-auth credentials { password env:DIXA_SIP_P<|>ASS }');
        await completionAt(text, list => {
            const completion = item(list, 'env:DIXA_SIP_PASSWORD');
            const edit = completion.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
            expect(edit.range.start.line).toBe(edit.range.end.line);
            const line = text.replace('<|>', '').split('\n')[edit.range.start.line];
            expect(line.slice(edit.range.start.character, edit.range.end.character)).toBe('env:DIXA_SIP_PASS');
            expect(edit.newText).toBe('env:DIXA_SIP_PASSWORD');
            expect(completion.filterText).toBe('env:DIXA_SIP_PASSWORD');
        });
    });

    it('filters by a partly typed name and does not propose the name being typed', async () => {
        await completionAt(exampleWith('trunk-auth ip', 'trunk-auth credentials { password env:DIXA_SIP_P<|> }'), list => {
            expect(labels(list)).toEqual(['env:DIXA_SIP_PASSWORD']);
        });
    });
});

describe('completion speed', () => {
    afterEach(() => vi.restoreAllMocks());

    /** A file of the size the benchmark uses: 10,000 departments, about 100,000 lines. */
    function bigFile(departments: number): string {
        const parts = [
            'integration big {',
            '  dixa {\n    sip-domain "big.sip.dixa.com"\n    allowlist synthflow\n  }',
            '  synthflow {\n    region eu\n    workspace "w"\n  }',
            '  queue tier1 {\n    name "T"\n    did "+4570101111"\n  }',
        ];
        for (let i = 0; i < departments; i++) {
            parts.push(
                `  department d${i} {\n    did "+4535${String(100000 + i).slice(-6)}"\n    assistant "b336ab4e-8f1e-4b6c-aca1-${String(i).padStart(12, '0')}"\n    timeout 30s\n    fallback tier1\n    escalate tier1 {\n      mode warm\n    }\n  }`,
            );
        }
        return `${parts.join('\n')}\n}\n`;
    }

    it('parses only the integration header and the current member, so completion stays fast on 10,000 departments', async () => {
        const text = bigFile(10_000);
        const { docs, close } = await openFiles({ big: text });
        try {
            const document = docs.big;
            const parse = vi.spyOn(editor.Sipflow.parser.CompletionParser, 'parse');
            const run = (offset: number) =>
                editor.Sipflow.lsp.CompletionProvider!.getCompletion(document, {
                    textDocument: { uri: document.uri.toString() },
                    position: document.textDocument.positionAt(offset),
                });
            const lastFallback = text.lastIndexOf('fallback tier1') + 'fallback '.length;
            const middleFallback = text.indexOf('fallback tier1', text.length / 2) + 'fallback '.length;
            expect(labels((await run(lastFallback))!)).toEqual(['tier1']);
            expect(labels((await run(middleFallback))!)).toEqual(['tier1']);
            expect(parse).toHaveBeenCalled();
            const longestParsed = Math.max(...parse.mock.calls.map(([input]) => input.length));
            expect(longestParsed).toBeLessThan(1_000);

            const timings: number[] = [];
            for (let i = 0; i < 7; i++) {
                const start = performance.now();
                await run(i % 2 === 0 ? lastFallback : middleFallback);
                timings.push(performance.now() - start);
            }
            timings.sort((a, b) => a - b);
            // The median, so that one garbage collection on a busy machine does not decide the result.
            expect(timings[3]).toBeLessThan(50);
        } finally {
            await close();
        }
    });

    it('falls back to a full parse when the parsed document is stale, and then still finds the right features', async () => {
        const { docs, close } = await openFiles({ main: EXAMPLE });
        try {
            const provider = editor.Sipflow.lsp.CompletionProvider as unknown as { shortenedPrefix(document: unknown, offset: number): string | undefined };
            const text = EXAMPLE;
            const offset = text.indexOf('fallback sales_desk') + 'fallback '.length;
            const prefix = provider.shortenedPrefix(docs.main.textDocument, offset);
            expect(prefix).toBe(`${text.slice(0, text.indexOf('{') + 1)}\n${text.slice(text.indexOf('  department sales') + 2, offset)}`);
            const stale = { ...docs.main.textDocument, uri: docs.main.textDocument.uri, getText: () => `${text} ` };
            expect(provider.shortenedPrefix(stale, offset)).toBeUndefined();
        } finally {
            await close();
        }
    });
});

/** Completion at `<|>` as a client asks for it: invoked (Ctrl+Space) or after a trigger character. */
async function completeAs(textWithCursor: string, triggerCharacter?: string): Promise<CompletionList> {
    const offset = textWithCursor.indexOf('<|>');
    const { docs, close } = await openFiles({ main: textWithCursor.replace('<|>', '') });
    try {
        const document = docs.main;
        const list = await editor.Sipflow.lsp.CompletionProvider!.getCompletion(document, {
            textDocument: { uri: document.uri.toString() },
            position: document.textDocument.positionAt(offset),
            context: triggerCharacter === undefined ? { triggerKind: CompletionTriggerKind.Invoked } : { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter },
        });
        return list!;
    } finally {
        await close();
    }
}

const isSnippet = (completion: CompletionItem) => completion.kind === CompletionItemKind.Snippet || completion.insertTextFormat === InsertTextFormat.Snippet;
const insertedText = (completion: CompletionItem) => (completion.textEdit as { newText: string } | undefined)?.newText ?? completion.insertText ?? completion.label;

describe('completion: only what fits the position', () => {
    const valuePositions: Array<[string, string, string, string[]]> = [
        ['fallback ', 'fallback tier1', 'fallback <|>', ['tier1', 'sales_desk']],
        ['escalate ', 'escalate sales_desk', 'escalate <|>', ['tier1', 'sales_desk']],
        ['region ', 'region eu', 'region <|>', ['global', 'us', 'eu']],
        ['mode ', 'mode warm', 'mode <|>', ['warm', 'warm-with-context', 'cold']],
        ['kind ', 'kind ring-group', 'kind <|>', ['queue', 'ring-group']],
        ['uui ', 'uui phone_number', 'uui <|>', ['phone_number']],
    ];
    for (const [name, search, replacement, expected] of valuePositions) {
        it(`after "${name}": exactly the values, no snippet, invoked or on the space`, async () => {
            for (const trigger of [undefined, ' ']) {
                const list = await completeAs(exampleWith(search, replacement), trigger);
                expect(labels(list)).toEqual(expected);
                expect(list.items.filter(isSnippet).map(i => i.label)).toEqual([]);
            }
        });
    }

    it('after "trunk-auth ": ip, and credentials as a block with tab stops on both env names', async () => {
        const list = await completeAs(exampleWith('trunk-auth ip', 'trunk-auth <|>'), ' ');
        expect(labels(list)).toEqual(['ip', 'credentials']);
        expect(isSnippet(item(list, 'ip'))).toBe(false);
        expect(item(list, 'credentials').insertTextFormat).toBe(InsertTextFormat.Snippet);
        expect(insertedText(item(list, 'credentials'))).toBe('credentials {\n\tusername env:${1:DIXA_SIP_USERNAME}\n\tpassword env:${2:DIXA_SIP_PASSWORD}\n}');
    });

    it("after the integration's closing brace: nothing", async () => {
        expect(labels(await completeAs(`${EXAMPLE}<|>`))).toEqual([]);
        expect(labels(await completeAs(`${EXAMPLE.trimEnd()}\n\n<|>`))).toEqual([]);
    });

    it('where a block may start: each block keyword once, inserting its skeleton with tab stops', async () => {
        const list = await completeAs('integration a {\n  <|>\n}');
        expect(labels(list)).toEqual(['dixa', 'synthflow', 'queue', 'department', 'environment']);
        expect(list.items.every(i => i.insertTextFormat === InsertTextFormat.Snippet && i.kind === CompletionItemKind.Keyword)).toBe(true);
        expect(insertedText(item(list, 'queue'))).toBe('queue ${1:name} {\n\tname "${2}"\n\tdid "+${3}"\n}');
        expect(insertedText(item(list, 'department'))).toBe('department ${1:name} {\n\tdid "+${2}"\n\tassistant "${3}"\n\tfallback ${4:queue}\n\tescalate $4\n}');
        expect(insertedText(item(await completeAs('<|>'), 'integration'))).toBe('integration ${1:name} {\n\t$0\n}');
    });

    it('inside an environment, blocks open empty: an override holds only what differs', async () => {
        const list = await completeAs('integration a {\n  environment s {\n    <|>\n  }\n}');
        expect(labels(list)).toEqual(['dixa', 'synthflow', 'queue', 'department']);
        expect(insertedText(item(list, 'queue'))).toBe('queue ${1:name} {\n\t$0\n}');
        expect(insertedText(item(list, 'dixa'))).toBe('dixa {\n\t$0\n}');
    });

    it('settings are plain keywords: no skeleton inside a block', async () => {
        const list = await completeAs('integration a {\n  queue q {\n    <|>\n  }\n}');
        expect(labels(list)).toEqual(['name', 'did', 'kind']);
        expect(list.items.filter(isSnippet)).toEqual([]);
    });

    it('offers plain keywords to a client without snippet support', async () => {
        const provider = editor.Sipflow.lsp.CompletionProvider as unknown as { clientCapabilities?: unknown };
        provider.clientCapabilities = { completionItem: { snippetSupport: false } };
        try {
            const list = await completeAs('integration a {\n  department d {\n    <|>\n  }\n}');
            expect(labels(list)).toEqual(['flow', 'did', 'assistant', 'timeout', 'fallback', 'uui', 'header', 'escalate']);
            expect(labels(list)).not.toContain('escalate … { mode … }');
            expect(list.items.filter(isSnippet)).toEqual([]);
            expect(insertedText(item(await completeAs('integration a {\n  <|>\n}'), 'queue'))).toBe('queue');
        } finally {
            provider.clientCapabilities = undefined;
        }
    });
});

describe('completion: trigger characters', () => {
    it('registers space and colon as trigger characters', () => {
        expect(editor.Sipflow.lsp.CompletionProvider!.completionOptions?.triggerCharacters).toEqual([' ', ':']);
    });

    it('answers a space with an empty, complete list where the previous word takes no value (no popup)', async () => {
        for (const [search, replacement] of [
            ['timeout 30s', 'timeout <|>'],
            ['did "+4535551234"', 'did <|>'],
            ['queue tier1 {', 'queue <|>'],
            ['    timeout 30s\n', '    timeout 30s\n    <|>\n'],
        ]) {
            const list = await completeAs(exampleWith(search, replacement), ' ');
            expect(list, replacement).toEqual({ items: [], isIncomplete: false });
        }
    });

    it('answers nothing inside strings and comments, even after a word that takes a value', async () => {
        for (const [search, replacement] of [
            ['say "One moment, I am putting you through to a colleague."', 'say "the fallback <|>"'],
            ['when "The caller asks for a human, or the problem cannot be solved"', 'when "region <|>'],
            ['// the Synthflow signalling IPs of the region below', '// the fallback <|>'],
            ['    timeout 30s\n', '    timeout 30s\n    /* choose a\n       region <|> */\n'],
        ]) {
            const list = await completeAs(exampleWith(search, replacement), ' ');
            expect(list, replacement).toEqual({ items: [], isIncomplete: false });
        }
    });

    it('answers a colon after "password env:" with the env names, and nowhere else', async () => {
        const list = await completeAs(exampleWith('trunk-auth ip', 'trunk-auth credentials {\n      password env:<|>\n    }'), ':');
        expect(labels(list)).toEqual(['env:DIXA_SIP_PASSWORD', 'env:DIXA_SIP_USERNAME']);
        const elsewhere = await completeAs(exampleWith('when "The caller asks for a human, or the problem cannot be solved"', 'when "note:<|>"'), ':');
        expect(elsewhere).toEqual({ items: [], isIncomplete: false });
    });

    it('insideStringOrComment follows strings, line comments and block comments across lines', () => {
        const at = (text: string) => insideStringOrComment(text.replace('|', ''), text.indexOf('|'));
        expect(at('fallback |')).toBe(false);
        expect(at('say "a \\" fallback |"')).toBe(true);
        expect(at('say "done" fallback |')).toBe(false);
        expect(at('x // y |')).toBe(true);
        expect(at('/* a\nb\n c | */')).toBe(true);
        expect(at('/* a\nb */ fallback |')).toBe(false);
        expect(at('/* a */\nfallback |')).toBe(false);
        expect(at('// a /* b\nfallback |')).toBe(false);
        expect(at('say "/* not a comment"\nfallback |')).toBe(false);
    });
});

describe('completion: every item says what it is', () => {
    it('settings name their block, blocks say what they open, values name their setting; all carry the keyword docs', async () => {
        const department = await completeAs('integration a {\n  department d {\n    <|>\n  }\n}');
        for (const completion of department.items) {
            expect(completion.detail, String(completion.label)).not.toBe('Keyword');
            expect(markdown(completion), String(completion.label)).toBeTruthy();
        }
        expect(item(department, 'timeout').detail).toBe('setting of department');
        expect(item(department, 'escalate').detail).toBe('setting of department');
        const escalation = await completeAs('integration a { queue q { did "+4570101111" } department d { escalate q { <|> } } }');
        expect(item(escalation, 'mode').detail).toBe('setting of escalate');
        const members = await completeAs('integration a {\n  <|>\n}');
        expect(item(members, 'queue').detail).toBe('block: a Dixa agent queue at a DID');
        expect(markdown(item(members, 'queue'))).toContain('a Dixa agent queue reachable at a DID');
        const kinds = await completeAs(exampleWith('kind ring-group', 'kind <|>'));
        expect(item(kinds, 'ring-group').detail).toBe('value of kind · Dixa ring group');
        const auth = await completeAs(exampleWith('trunk-auth ip', 'trunk-auth <|>'));
        expect(item(auth, 'ip').detail).toBe('value of trunk-auth · Dixa trusts the source IP');
        expect(markdown(item(auth, 'ip'))).toContain('source IP');
    });

    it('a queue offered for fallback shows its Dixa name and DID', async () => {
        const list = await completeAs(exampleWith('fallback tier1', 'fallback <|>'));
        expect(item(list, 'tier1').detail).toBe('queue · "Phone – Tier 1" · +4570101111');
        // The documentation comes on completionItem/resolve, not in the list (1,250 queues at 10,000 departments).
        expect(item(list, 'tier1').documentation).toBeUndefined();
        const resolved = resolveCompletionItem(JSON.parse(JSON.stringify(item(list, 'tier1'))) as CompletionItem);
        expect(markdown(resolved)).toContain('**fallback**');
        expect(markdown(resolved)).toContain('**queue tier1**: Dixa queue "Phone – Tier 1", reached at `+4570101111`');
        const escalation = await completeAs(exampleWith('escalate sales_desk', 'escalate <|>'));
        expect(markdown(resolveCompletionItem(item(escalation, 'sales_desk')))).toContain('**escalate**');
    });
});

describe('the member a completion is in', () => {
    it('is found by binary search, reading only the starts it probes (a start is a walk down the CST)', () => {
        const starts = Array.from({ length: 11_250 }, (_, index) => index * 40);
        let read = 0;
        const startOf = (index: number) => (read++, starts[index]);
        for (const offset of [0, 39, 40, 225_000, 449_959, 449_960, 10_000_000]) {
            read = 0;
            expect(lastStartAtOrBefore(starts.length, startOf, offset), String(offset)).toBe(starts.filter(start => start <= offset).at(-1));
            expect(read, String(offset)).toBeLessThanOrEqual(Math.ceil(Math.log2(starts.length)) + 1);
        }
        expect(lastStartAtOrBefore(starts.length, startOf, -1)).toBeUndefined();
        expect(lastStartAtOrBefore(0, startOf, 5)).toBeUndefined();
    });
});
