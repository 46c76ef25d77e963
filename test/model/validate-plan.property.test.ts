// Property: `sipflow validate` exits 0 ⇔ `sipflow plan` accepts the file. That is, a document has no
// error diagnostics ⇔ buildDesiredState succeeds; and when it refuses, it lists exactly those errors.
// Files are mutations of the canonical example: settings, blocks and tokens dropped, duplicated or
// replaced, truncation and garbage. SIPFLOW_FUZZ_SEED replays a failure (fast-check prints the seed
// and path); SIPFLOW_FUZZ_RUNS changes the number of files (default 2,000).
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDesiredState, DesiredStateError, diagnosticAppliesTo, environmentsOf, ModelInputError } from '../../src/model/index.js';
import { EXAMPLE as CANONICAL, validate } from '../language/helpers.js';

/**
 * The canonical example, and the same with environments that override every kind of block (the second
 * property): each configuration validate reports on must be the one plan --env builds.
 */
const WITH_ENVIRONMENTS = `${CANONICAL.slice(0, CANONICAL.lastIndexOf('}'))}
  environment staging {
    dixa {
      sip-domain "acme-staging.sip.dixa.com"
    }
    synthflow {
      region us
      workspace "staging-ws"
    }
    queue tier1 {
      did "+4570109999"
    }
    department support {
      did "+4535559999"
      timeout 45s
      escalate tier1 {
        mode cold
      }
    }
  }

  environment prod {
    department sales {
      assistant "11111111-2222-4333-8444-555555555555"
    }
  }
}
`;

const RUNS = Number(process.env.SIPFLOW_FUZZ_RUNS ?? 2000);
const SEED = process.env.SIPFLOW_FUZZ_SEED === undefined ? undefined : Number(process.env.SIPFLOW_FUZZ_SEED);

/** Values that are wrong in interesting ways, and fragments that are valid elsewhere. */
const GARBAGE = [
    '"+45 12"',
    '"+4570101111"',
    '"+4535551234"',
    '"sip:+4570101111@acme.sip.dixa.com"',
    '"sip:+4570109999@other.sip.dixa.com"',
    '"+4570102222"',
    '"nope"',
    '"  "',
    '""',
    '"b336ab4e-8f1e-4b6c-aca1-d8f95b5b3ef6"',
    '"acme"',
    '"10.0.0.1"',
    '"999.1.1.1"',
    '0s',
    '2s',
    '30',
    '1h',
    '500ms',
    '{',
    '}',
    ',',
    'escalate tier1',
    'escalate sales_desk',
    'fallback tier1',
    'did',
    'name',
    'env:SIP_USER',
    'trunk-auth credentials { username env:U password "p" }',
    'trunk-auth credentials { username env:U }',
    'queue tier1 { name "Phone – Tier 1" did "+4570101111" }',
    'queue q9 { did "+4570109999" }',
    'dixa { }',
    'synthflow { region us }',
    'department x { did "+4535550000" assistant "0e4d6c2a-6b1f-4f0e-9a53-3b8b2d1c7f90" }',
    'allowlist "34.89.186.33"',
    'region global',
    '// c',
    '/*',
    '§',
    '\u0000',
    'integration other {',
    'environment staging {',
    'environment prod { queue tier1 { did "+4535551234" } }',
    'queue tier9 { did "+4570109999" }',
    'department nobody { timeout 2s }',
    'synthflow { region global }',
    'dixa { sip-domain "other.sip.dixa.com" }',
];

type Mutation = (text: string) => string;

/** The mutations of `base`: its lines, tokens and blocks dropped, repeated, moved or replaced, and garbage. */
function mutation(base: string): fc.Arbitrary<Mutation> {
    const LINES = base.split('\n');
    /** Every token of the example (strings kept whole), the pool replacements are drawn from. */
    const TOKENS = [...new Set(base.match(/"[^"\n]*"|[^\s"]+/g) ?? [])];

    /** The ranges [first, last] of lines that open a block (`… {`) and its closing `}`. */
    const BLOCKS: ReadonlyArray<readonly [number, number]> = (() => {
        const blocks: Array<[number, number]> = [];
        const open: number[] = [];
        LINES.forEach((line, index) => {
            const code = line.replace(/\/\/.*$/, '');
            if (/\{\s*$/.test(code)) open.push(index);
            else if (/^\s*\}\s*$/.test(code) && open.length > 0) blocks.push([open.pop()!, index]);
        });
        return blocks;
    })();

    const lineIndex = fc.nat({ max: LINES.length - 1 });
    const fraction = fc.double({ min: 0, max: 1, noNaN: true });
    const replacement = fc.oneof(fc.constantFrom(...TOKENS), fc.constantFrom(...GARBAGE), fc.string({ maxLength: 6 }));

    const onLines =
        (edit: (lines: string[]) => void): Mutation =>
        text => {
            const lines = text.split('\n');
            edit(lines);
            return lines.join('\n');
        };

    return fc.oneof(
        {
            weight: 4,
            arbitrary: lineIndex.map(i =>
                onLines(lines => {
                    lines.splice(i % lines.length, 1);
                }),
            ),
        },
        {
            weight: 3,
            arbitrary: lineIndex.map(i =>
                onLines(lines => {
                    const at = i % lines.length;
                    lines.splice(at, 0, lines[at]);
                }),
            ),
        },
        {
            weight: 2,
            arbitrary: fc.tuple(lineIndex, lineIndex).map(([from, to]) =>
                onLines(lines => {
                    lines.splice(to % lines.length, 0, lines[from % lines.length]);
                }),
            ),
        },
        {
            weight: 2,
            arbitrary: fc.nat({ max: BLOCKS.length - 1 }).map(b =>
                onLines(lines => {
                    const [first, last] = BLOCKS[b];
                    if (last < lines.length) lines.splice(first, last - first + 1);
                }),
            ),
        },
        {
            weight: 2,
            arbitrary: fc.nat({ max: BLOCKS.length - 1 }).map(b =>
                onLines(lines => {
                    const [first, last] = BLOCKS[b];
                    if (last < lines.length) lines.splice(last + 1, 0, ...lines.slice(first, last + 1));
                }),
            ),
        },
        {
            weight: 5,
            arbitrary: fc.tuple(lineIndex, fc.nat(), replacement).map(([i, t, value]) =>
                onLines(lines => {
                    const at = i % lines.length;
                    const tokens = lines[at].match(/"[^"\n]*"|[^\s"]+|\s+/g) ?? [];
                    const words = tokens.map((token, index) => [token, index] as const).filter(([token]) => !/^\s+$/.test(token));
                    if (words.length === 0) return;
                    tokens[words[t % words.length][1]] = value;
                    lines[at] = tokens.join('');
                }),
            ),
        },
        {
            weight: 2,
            arbitrary: fc.tuple(lineIndex, fc.nat()).map(([i, t]) =>
                onLines(lines => {
                    const at = i % lines.length;
                    const tokens = lines[at].match(/"[^"\n]*"|[^\s"]+|\s+/g) ?? [];
                    if (tokens.length > 0) tokens.splice(t % tokens.length, 1);
                    lines[at] = tokens.join('');
                }),
            ),
        },
        { weight: 1, arbitrary: fraction.map(f => (text: string) => text.slice(0, Math.floor(text.length * f))) },
        {
            weight: 2,
            arbitrary: fc.tuple(fraction, fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 12 }))).map(([f, junk]) => (text: string) => {
                const at = Math.floor(text.length * f);
                return `${text.slice(0, at)}${junk}${text.slice(at)}`;
            }),
        },
    );
}

/** The configurations a file declares: the default (undefined) and each environment. */
function configurationsOf(document: Parameters<typeof environmentsOf>[0]): Array<string | undefined> {
    return [undefined, ...environmentsOf(document)];
}

async function holdsFor(base: string, runs: number): Promise<void> {
    const outcomes = { accepted: 0, refused: 0, nothingToPlan: 0 };
    await fc.assert(
        // Mapped to the text, so that a counterexample is printed as the file that breaks the property.
        fc.asyncProperty(
            fc.array(mutation(base), { minLength: 1, maxLength: 3 }).map(steps => steps.reduce((current, mutate) => mutate(current), base)),
            async text => {
                const { document, diagnostics } = await validate(text);
                if (document.parseResult.value.integration === undefined) {
                    // Nothing declared: validate reports only what is written; plan has nothing to build.
                    expect(() => buildDesiredState(document)).toThrow(ModelInputError);
                    outcomes.nothingToPlan++;
                    return;
                }
                for (const environment of configurationsOf(document)) {
                    // What `validate --env NAME` reports (the default's findings and this environment's).
                    const errors = diagnostics.filter(d => d.severity === 1 && diagnosticAppliesTo(d, environment));
                    let outcome: unknown;
                    try {
                        outcome = buildDesiredState(document, [], { environment });
                    } catch (error) {
                        outcome = error;
                    }
                    const which = environment === undefined ? 'the default' : `environment ${environment}`;
                    if (errors.length === 0) {
                        expect(outcome instanceof Error ? `plan refused ${which} of a file validate passes: ${outcome.message}` : 'accepted').toBe('accepted');
                        outcomes.accepted++;
                    } else {
                        expect(outcome, `plan accepted ${which} of a file validate refuses`).toBeInstanceOf(DesiredStateError);
                        const problems = (outcome as DesiredStateError).problems;
                        expect(problems.map(p => [p.code, p.line, p.column])).toEqual(errors.map(d => [d.code, d.range.start.line + 1, d.range.start.character + 1]));
                        outcomes.refused++;
                    }
                }
            },
        ),
        { numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
    // Both sides of the equivalence must actually be exercised, or the property proves little.
    expect(outcomes.accepted, JSON.stringify(outcomes)).toBeGreaterThan(runs / 20);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(runs / 4);
}

// A file takes ~2 ms alone, far more on a loaded machine: the time allowed grows with SIPFLOW_FUZZ_RUNS.
const TIMEOUT_MS = Math.max(120_000, RUNS * 60);

describe('validate exits 0 ⇔ plan accepts', () => {
    it(
        `holds for ${RUNS} mutations of the canonical example`,
        async () => {
            await holdsFor(CANONICAL, RUNS);
        },
        TIMEOUT_MS,
    );

    it(
        `holds for ${Math.ceil(RUNS / 2)} mutations of the example with environments, for the default and each environment`,
        async () => {
            await holdsFor(WITH_ENVIRONMENTS, Math.ceil(RUNS / 2));
        },
        TIMEOUT_MS * 1.5,
    );
});
