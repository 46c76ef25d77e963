// SipflowLinker walks the AST its own way (a plain loop instead of streamAst/streamReferences). It must link
// exactly the references Langium's walk finds, in the same order, and resolve each as DefaultLinker does.
import { AstUtils, Cancellation, DocumentState, EmptyFileSystem, OperationCancelled, URI, type Reference } from 'langium';
import { describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { OneShotLinker, SipflowLinker } from '../../src/language/references/sipflow-linker.js';
import { createSipflowCoreServices } from '../../src/language/sipflow-core-module.js';
import { yieldToRequests } from '../../src/language/yield-to-requests.js';
import { EXAMPLE } from './helpers.js';

const WITH_ENVIRONMENT_AND_ERRORS = `${EXAMPLE.trimEnd().replace(/\}\s*$/, '')}
  department extra {
    fallback nowhere
    escalate tier1
    escalate "sip:+4570101111@acme.sip.dixa.com"
  }
  environment staging {
    department support {
      fallback sales_desk
    }
  }
}
`;

async function linked(text: string) {
    const services = createSipflowServices(EmptyFileSystem);
    const document = services.shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse('file:///linker/file.sipflow'));
    await services.shared.workspace.DocumentBuilder.build([document], { validation: false });
    return { services, document };
}

describe('the linker', () => {
    it('is the linker of the sipflow services', () => {
        expect(createSipflowServices(EmptyFileSystem).Sipflow.references.Linker).toBeInstanceOf(SipflowLinker);
    });

    for (const [name, text] of [
        ['the example with an environment and unresolvable references', WITH_ENVIRONMENT_AND_ERRORS],
        ['a generated 300-department file', toSipflow(generateIntegration(300))],
    ] as const) {
        it(`links every reference Langium's walk finds, in its order: ${name}`, async () => {
            const { document } = await linked(text);
            const expected = AstUtils.streamAst(document.parseResult.value)
                .flatMap(node => AstUtils.streamReferences(node))
                .map(info => info.reference as Reference)
                .toArray();
            expect(expected.length).toBeGreaterThan(3);
            expect(document.references).toEqual(expected);
            for (const reference of expected) expect(reference.ref !== undefined || reference.error !== undefined).toBe(true);
            const failed = expected.filter(reference => reference.error).map(reference => reference.$refText);
            if (name.startsWith('the example')) expect(failed).toEqual(['nowhere']);
            else expect(failed).toEqual([]);
        });
    }

    it('unlinks as Langium does, without deleting fields: every reference unresolved, then linked again to the same target', async () => {
        const { services, document } = await linked(WITH_ENVIRONMENT_AND_ERRORS);
        const references = [...document.references] as Reference[];
        const targets = references.map(reference => reference.ref);
        const errors = references.map(reference => reference.error?.message);
        services.shared.workspace.DocumentBuilder.resetToState(document, DocumentState.ComputedScopes);
        expect(document.references).toEqual([]);
        for (const [index, reference] of references.entries()) {
            const fields = reference as unknown as Record<string, unknown>;
            expect(fields._ref).toBeUndefined();
            expect(fields._nodeDescription).toBeUndefined();
            // Assigned, not deleted (Langium deletes it): the object keeps its shape, as a deleted field puts it in dictionary mode.
            if (targets[index] !== undefined) expect('_nodeDescription' in fields, reference.$refText).toBe(true);
        }
        await services.Sipflow.references.Linker.link(document);
        expect(document.references).toEqual(references);
        expect(references.map(reference => reference.ref)).toEqual(targets);
        expect(references.map(reference => reference.error?.message)).toEqual(errors);
        expect(errors.filter(Boolean)).toHaveLength(1);
    });

    it('yields a turn of the event loop to waiting requests during a cancelable build, and stops a cancelled one', async () => {
        const source = new Cancellation.CancellationTokenSource();
        let turned = false;
        setImmediate(() => (turned = true));
        await yieldToRequests(source.token);
        expect(turned).toBe(true);
        source.cancel();
        await expect(yieldToRequests(source.token)).rejects.toBe(OperationCancelled);
        // A build nobody can cancel (the CLI's) does not pay for turns.
        let turnedAgain = false;
        setImmediate(() => (turnedAgain = true));
        await yieldToRequests(Cancellation.CancellationToken.None);
        expect(turnedAgain).toBe(false);
    });
});

/** Each linked reference as `container type.property → target or error`, sorted: the set, not the order. */
function outcome(references: readonly Reference[]): string[] {
    return references
        .map(reference => {
            const info = reference as unknown as { _ref?: unknown };
            const container = (reference as unknown as { $refNode?: { astNode?: { $type: string } } }).$refNode?.astNode?.$type ?? '?';
            return `${container} ${reference.$refText} → ${reference.ref ? (reference.ref as { name?: string }).name : `error: ${reference.error?.message}`} ${info._ref === undefined ? 'unlinked' : ''}`;
        })
        .sort();
}

/** A one-shot build (as the CLI makes): its document and every reference its AST holds, by Langium's walk. */
async function linkedOnce(text: string) {
    const services = createSipflowCoreServices({ ...EmptyFileSystem, forCli: true });
    const document = services.shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse('file:///linker/once.sipflow'));
    await services.shared.workspace.DocumentBuilder.build([document], { validation: false });
    const inAst = AstUtils.streamAst(document.parseResult.value)
        .flatMap(node => AstUtils.streamReferences(node))
        .map(info => info.reference as Reference)
        .toArray();
    return { services, document, inAst };
}

describe('the one-shot linker (CLI)', () => {
    const twice = EXAMPLE.replace(/fallback (\w+)/, 'fallback nowhere\n    fallback $1');
    for (const [name, text] of [
        ['the example with an environment and unresolvable references', WITH_ENVIRONMENT_AND_ERRORS],
        ['a generated 300-department file', toSipflow(generateIntegration(300))],
        ['a fallback written twice (the first reference is replaced)', twice],
    ] as const) {
        it(`links exactly the references in the AST, in source order, as SipflowLinker resolves them: ${name}`, async () => {
            const { services, document, inAst } = await linkedOnce(text);
            expect(services.Sipflow.references.Linker).toBeInstanceOf(OneShotLinker);
            expect(inAst.length).toBeGreaterThan(3);
            expect([...document.references].sort(bySource)).toEqual([...inAst].sort(bySource));
            expect(document.references).toEqual([...document.references].sort(bySource));
            const { document: walked } = await linked(text);
            expect(outcome(document.references as Reference[])).toEqual(outcome(walked.references as Reference[]));
        });
    }

    it('skips a reference the parser replaced: a setting written twice links only the one that counts', async () => {
        const { document, inAst } = await linkedOnce(twice);
        expect(document.references.map(reference => reference.$refText)).not.toContain('nowhere');
        expect(inAst.map(reference => reference.$refText)).not.toContain('nowhere');
    });

    it('links a reference in an array property, and a multi-reference, as the walk does', async () => {
        // The grammar has neither today; a parser that builds them must not leave them unlinked. The example's
        // first department gets, after its build, an array of one reference and one multi-reference to tier1.
        const { services, document } = await linkedOnce(EXAMPLE);
        const linker = services.Sipflow.references.Linker as OneShotLinker;
        const department = AstUtils.streamAst(document.parseResult.value).find(node => node.$type === 'Department')!;
        const single = linker.buildReference(department, 'fallback', undefined, 'tier1');
        const multi = linker.buildMultiReference(department, 'fallback', undefined, 'tier1');
        (department as unknown as { fallback: unknown }).fallback = [single, multi];
        document.references = [];
        await linker.link(document);
        expect(document.references).toEqual([single, multi]);
        expect((single.ref as { name?: string } | undefined)?.name).toBe('tier1');
        expect(multi.items.map(item => (item.ref as { name?: string }).name)).toEqual(['tier1']);
    });

    // A department that escalates before it falls back: source order links the escalation's queue first,
    // Langium's walk the department's own fallback (its node before the nodes inside it).
    const escalatesFirst = `${EXAMPLE.trimEnd().replace(/\}\s*$/, '')}\n  department later {\n    escalate tier1\n    fallback tier1\n  }\n}\n`;

    it('links in source order where that differs from the walk', async () => {
        const { document, inAst } = await linkedOnce(escalatesFirst);
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(document.references).not.toEqual(inAst);
        expect(document.references).toEqual([...inAst].sort(bySource));
    });

    it('falls back to the walk for a file with syntax errors (recovery may drop nodes it built references for)', async () => {
        const { document, inAst } = await linkedOnce(`${escalatesFirst}queue {\n`);
        expect(document.parseResult.parserErrors.length).toBeGreaterThan(0);
        expect(document.references).toEqual(inAst);
        expect(document.references).not.toEqual([...inAst].sort(bySource));
    });
});

/** Source order of references: by the offset of their text. */
function bySource(a: { $refNode?: { offset: number } }, b: { $refNode?: { offset: number } }): number {
    return (a.$refNode?.offset ?? 0) - (b.$refNode?.offset ?? 0);
}
