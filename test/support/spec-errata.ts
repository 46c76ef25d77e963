/**
 * The vendor OpenAPI files as the contract tests use them: the copies in specs/, with the Dixa paths moved
 * from /beta to /v1 and a short, explicit list of errata — places where a file contradicts itself, so
 * that no response (not even the file's own example) could validate. Each erratum says why; each is
 * proven necessary by test/sandbox/contract-harness.test.ts. Nothing else is changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

type Json = Record<string, unknown>;

/** The repository root (two levels above test/support). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the vendor specs live: `$SIPFLOW_SPECS_DIR`, else the repository's own `specs/` (so a plain clone
 * runs every suite; specs/README.md says where each file comes from).
 */
export function specsDir(): string {
    return process.env.SIPFLOW_SPECS_DIR ?? join(REPO_ROOT, 'specs');
}

export const DIXA_SPEC_FILE = ['dixa', 'dixa-api.yaml'] as const;
export const SYNTHFLOW_SPEC_FILE = ['synthflow', 'synthflow-openapi.json'] as const;

/**
 * Reads one spec file; a missing one is an error naming it (a suite that needs it must fail, not skip).
 */
export function readSpecFile(dir: string, file: readonly string[]): string {
    const path = join(dir, ...file);
    if (!existsSync(path)) {
        throw new Error(`vendor OpenAPI file missing: ${path} (the repository's specs/ holds it; SIPFLOW_SPECS_DIR overrides the folder)`);
    }
    return readFileSync(path, 'utf8');
}

export function readOriginalDixaSpec(dir = specsDir()): Json {
    return parseYaml(readSpecFile(dir, DIXA_SPEC_FILE), { maxAliasCount: -1 }) as Json;
}

export function readOriginalSynthflowSpec(dir = specsDir()): Json {
    return JSON.parse(readSpecFile(dir, SYNTHFLOW_SPEC_FILE)) as Json;
}

export interface Erratum {
    readonly vendor: 'dixa' | 'synthflow';
    readonly where: string;
    readonly why: string;
    readonly apply: (spec: Json) => void;
}

function schemas(spec: Json): Record<string, Json> {
    return (spec.components as { schemas: Record<string, Json> }).schemas;
}

export const ERRATA: readonly Erratum[] = [
    {
        vendor: 'dixa',
        where: 'components.schemas.BulkError: oneOf → anyOf',
        why:
            'The seven BulkError variants overlap ({id, message} satisfies EmptyPatchSet, Infrastructure, Integrity, NotFound1, ' +
            'Validation, ErrorResponse and InvalidArgument at once) and there is no discriminator, so under oneOf no ' +
            'BulkActionFailure validates, including the spec’s own example for PATCH /queues/{queueId}/members.',
        apply: spec => {
            const bulkError = schemas(spec).BulkError!;
            bulkError.anyOf = bulkError.oneOf;
            delete bulkError.oneOf;
        },
    },
    {
        vendor: 'synthflow',
        where: 'GET /assistants/ → response.assistants: object → array of the same item schema',
        why:
            'The list endpoint types `assistants` as a single object while GET /assistants/{model_id} returns an array; ' +
            'a list of agents is an array (see specs/README.md, and the reference notes on GET /assistants/).',
        apply: spec => {
            const response = schemas(spec).AssistantsGetResponsesContentApplicationJsonSchemaResponse!;
            const properties = response.properties as Json;
            properties.assistants = { type: 'array', items: properties.assistants };
        },
    },
];

/** The Dixa spec with /beta paths as /v1, plus the Dixa errata. */
export function contractDixaSpec(dir = specsDir()): Json {
    const spec = readOriginalDixaSpec(dir);
    const paths: Json = {};
    for (const [path, item] of Object.entries(spec.paths as Json)) paths[path.replace(/^\/beta(?=\/|$)/, '/v1')] = item;
    spec.paths = paths;
    for (const e of ERRATA) if (e.vendor === 'dixa') e.apply(spec);
    return spec;
}

/** The Synthflow spec plus the Synthflow errata. */
export function contractSynthflowSpec(dir = specsDir()): Json {
    const spec = readOriginalSynthflowSpec(dir);
    for (const e of ERRATA) if (e.vendor === 'synthflow') e.apply(spec);
    return spec;
}
