// SipflowLinker walks the AST its own way (a plain loop instead of streamAst/streamReferences). It must link
// exactly the references Langium's walk finds, in the same order, and resolve each as DefaultLinker does.
import { AstUtils, Cancellation, DocumentState, EmptyFileSystem, OperationCancelled, URI, type Reference } from 'langium';
import { describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';
import { SipflowLinker } from '../../src/language/references/sipflow-linker.js';
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
