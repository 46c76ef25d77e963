/**
 * The honest peer (issue 11): what a user would script instead of sipflow — the same configuration as
 * YAML, parsed by js-yaml (or `yaml`), shape-checked by ajv against a JSON Schema, and then the checks a
 * schema cannot express, as sipflow makes them: every fallback and escalation names a declared queue, no
 * DID twice (compared as E.164), no assistant answering two departments, every DID a valid number by
 * libphonenumber-js's full metadata (sipflow's src/language/values/phone-number.ts). Duplicate names are
 * duplicate YAML keys, which both parsers reject. bench/peer.ts runs it as a command, measure.ts in process.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { load as loadJsYaml } from 'js-yaml';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parse as parseYaml } from 'yaml';
import { YAML_CONFIG_SCHEMA } from './generate.js';

export const PEER_PARSERS = ['js-yaml', 'yaml'] as const;
export type PeerParser = (typeof PEER_PARSERS)[number];

interface PeerConfiguration {
    readonly queues?: Readonly<Record<string, { readonly did: string }>>;
    readonly departments: Readonly<
        Record<string, { readonly did: string; readonly assistant: string; readonly fallback?: string; readonly escalate?: { readonly queue: string } }>
    >;
}

/** ajv compiles the schema once per process, as a script would. */
let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
    compiled ??= new Ajv({ allErrors: true }).compile(YAML_CONFIG_SCHEMA);
    return compiled;
}

/** Parses YAML with `parser`; a syntax error or duplicate key is a problem, not a crash. */
export function parsePeerYaml(source: string, parser: PeerParser): { data?: unknown; problems: string[] } {
    try {
        return { data: parser === 'js-yaml' ? loadJsYaml(source) : parseYaml(source), problems: [] };
    } catch (error) {
        return { problems: [`YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`] };
    }
}

/** The schema, then the cross-reference, uniqueness and number checks; one string per problem found. */
export function checkPeerConfiguration(data: unknown): string[] {
    const validateSchema = schemaValidator();
    if (!validateSchema(data)) return (validateSchema.errors ?? []).map(error => `schema: ${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
    const configuration = data as PeerConfiguration;
    const problems: string[] = [];
    const queues = configuration.queues ?? {};
    const didOwners = new Map<string, string>();
    const checkDid = (owner: string, did: string) => {
        const parsed = parsePhoneNumberFromString(did);
        if (!parsed?.isValid()) {
            problems.push(`${owner}: DID ${did} is not a valid number`);
            return;
        }
        const previous = didOwners.get(parsed.number);
        if (previous !== undefined) problems.push(`${owner}: DID ${did} is already used by ${previous}`);
        else didOwners.set(parsed.number, owner);
    };
    for (const [name, queue] of Object.entries(queues)) checkDid(`queue ${name}`, queue.did);
    const assistantOwners = new Map<string, string>();
    for (const [name, department] of Object.entries(configuration.departments)) {
        const owner = `department ${name}`;
        checkDid(owner, department.did);
        const previous = assistantOwners.get(department.assistant);
        if (previous !== undefined) problems.push(`${owner}: assistant ${department.assistant} already answers ${previous}`);
        else assistantOwners.set(department.assistant, owner);
        for (const queue of [department.fallback, department.escalate?.queue]) {
            if (queue !== undefined && !Object.hasOwn(queues, queue)) problems.push(`${owner}: no queue ${queue}`);
        }
    }
    return problems;
}

/** Parse + every check: the peer's whole verdict on one YAML text. */
export function validatePeerYaml(source: string, parser: PeerParser): string[] {
    const { data, problems } = parsePeerYaml(source, parser);
    return data === undefined && problems.length > 0 ? problems : checkPeerConfiguration(data);
}
