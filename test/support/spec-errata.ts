/**
 * The vendor OpenAPI files as the contract tests use them: the shared copies, with the Dixa paths moved
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
 * Where the vendor specs live: `$SIPFLOW_SPECS_DIR`, else `../shared/specs` beside the repository
 * (CI clones the repo into another folder with shared/ next to it).
 */
export function specsDir(): string {
    const dir = process.env.SIPFLOW_SPECS_DIR ?? join(REPO_ROOT, '..', 'shared', 'specs');
    const probe = join(dir, 'dixa', 'dixa-api.yaml');
    if (!existsSync(probe)) {
        throw new Error(`vendor OpenAPI files not found: ${probe} is missing (set SIPFLOW_SPECS_DIR to the folder holding dixa/ and synthflow/)`);
    }
    return dir;
}

export const DIXA_SPEC_FILE = ['dixa', 'dixa-api.yaml'] as const;
export const SYNTHFLOW_SPEC_FILE = ['synthflow', 'synthflow-openapi.json'] as const;

export function readOriginalDixaSpec(dir = specsDir()): Json {
    return parseYaml(readFileSync(join(dir, ...DIXA_SPEC_FILE), 'utf8'), { maxAliasCount: -1 }) as Json;
}

export function readOriginalSynthflowSpec(dir = specsDir()): Json {
    return JSON.parse(readFileSync(join(dir, ...SYNTHFLOW_SPEC_FILE), 'utf8')) as Json;
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
            'a list of agents is an array (see shared/reference/synthflow-api.md §5).',
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
