import { AstUtils, type AstNode } from 'langium';
import { describe, expect, it } from 'vitest';
import { AstWalk } from '../../src/language/validation/sipflow-document-validator.js';
import { generateIntegration, toSipflow } from '../../bench/generate.js';
import { EXAMPLE, validate } from './helpers.js';

/** The walk's nodes as `$type name`, pruning below the nodes `prune` picks, the same way for both walks. */
function order(walk: { next(): IteratorResult<AstNode, unknown>; prune(): void }, prune: (node: AstNode) => boolean): string[] {
    const seen: string[] = [];
    for (let next = walk.next(); !next.done; next = walk.next()) {
        const node = next.value as AstNode;
        seen.push(`${node.$type} ${(node as { name?: string }).name ?? ''}`);
        if (prune(node)) walk.prune();
    }
    return seen;
}

describe("AstWalk (the validator's walk)", () => {
    for (const [label, text] of [
        ['the example', EXAMPLE],
        ['a generated 50-department integration', toSipflow(generateIntegration(50))],
    ] as const) {
        it(`visits ${label} in streamAst's order`, async () => {
            const root = (await validate(text)).document.parseResult.value;
            const ours = order(new AstWalk(root), () => false);
            expect(ours.length).toBeGreaterThan(10);
            expect(ours).toEqual(order(AstUtils.streamAst(root).iterator(), () => false));
        });

        it(`prunes ${label} as streamAst's iterator does`, async () => {
            const root = (await validate(text)).document.parseResult.value;
            // Every other department, counted afresh for each walk: what is under it is skipped.
            const everyOther = () => {
                let departments = 0;
                return (node: AstNode) => node.$type === 'Department' && departments++ % 2 === 0;
            };
            const ours = order(new AstWalk(root), everyOther());
            expect(ours).toEqual(order(AstUtils.streamAst(root).iterator(), everyOther()));
            expect(ours.length).toBeLessThan(order(new AstWalk(root), () => false).length);
        });
    }
});
