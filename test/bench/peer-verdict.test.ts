/**
 * The benchmark compares sipflow with a peer (bench/peer-checks.ts: js-yaml or `yaml`, ajv and the same
 * checks); that is fair only if both reach the same verdict on the same configuration. Here each is run on
 * the generated integration and on copies broken one way each: both accept the first and reject the rest.
 */
import { EmptyFileSystem, URI } from 'langium';
import { describe, expect, it } from 'vitest';
import { generateIntegration, toSipflow, toYaml, type BenchIntegration } from '../../bench/generate.js';
import { PEER_PARSERS, validatePeerYaml } from '../../bench/peer-checks.js';
import { createSipflowServices } from '../../src/language/sipflow-module.js';

async function sipflowErrors(integration: BenchIntegration): Promise<string[]> {
    const services = createSipflowServices(EmptyFileSystem);
    const document = services.shared.workspace.LangiumDocuments.createDocument(URI.parse('file:///peer/bench.sipflow'), toSipflow(integration));
    await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
    return (document.diagnostics ?? []).filter(d => d.severity === 1).map(d => String(d.code));
}

const valid = generateIntegration(40);
const withDepartment = (index: number, change: Partial<BenchIntegration['departments'][number]>): BenchIntegration => ({
    ...valid,
    departments: valid.departments.map((department, i) => (i === index ? { ...department, ...change } : department)),
});

const BROKEN: ReadonlyArray<[string, BenchIntegration]> = [
    ['a fallback to an undeclared queue', withDepartment(3, { fallback: 'team_9999' })],
    ['an escalation to an undeclared queue', withDepartment(5, { escalation: { queue: 'team_9999' } })],
    ['a DID used twice', withDepartment(7, { did: valid.departments[2].did })],
    ['a DID that is no valid number', withDepartment(9, { did: '+4512' })],
    ['one assistant answering two departments', withDepartment(11, { assistant: valid.departments[1].assistant })],
];

describe('the peer and sipflow agree on the verdict', () => {
    it('both accept the generated integration', async () => {
        expect(await sipflowErrors(valid)).toEqual([]);
        for (const parser of PEER_PARSERS) expect(validatePeerYaml(toYaml(valid), parser)).toEqual([]);
    });

    it.each(BROKEN)('both reject %s', async (_label, broken) => {
        expect((await sipflowErrors(broken)).length).toBeGreaterThan(0);
        for (const parser of PEER_PARSERS) expect(validatePeerYaml(toYaml(broken), parser).length).toBeGreaterThan(0);
    });

    it('the peer reports a YAML syntax error instead of throwing', () => {
        for (const parser of PEER_PARSERS) expect(validatePeerYaml('departments: [unclosed', parser)[0]).toMatch(/^YAML: /);
    });
});
