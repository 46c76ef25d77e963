/**
 * The typed vendor shapes (src/providers/{dixa,synthflow}/api-types.ts) against the vendor OpenAPI
 * files: every interface names its schemas (`@schema`), every field it declares exists in one of them
 * (or is a documented `@extension`), and every field the first schema requires is a required field
 * of the interface. Read with the TypeScript compiler, so inherited fields count too.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { contractDixaSpec, contractSynthflowSpec, REPO_ROOT } from '../support/spec-errata.js';

type Json = Record<string, unknown>;

interface SchemaFacts {
    readonly properties: Set<string>;
    readonly required: Set<string>;
}

function resolveRef(spec: Json, node: Json): Json {
    let current = node;
    for (let guard = 0; typeof current['$ref'] === 'string' && guard < 20; guard++) {
        const path = (current['$ref'] as string).replace(/^#\//, '').split('/');
        current = path.reduce<Json>((o, k) => o[decodeURIComponent(k).replace(/~1/g, '/').replace(/~0/g, '~')] as Json, spec);
    }
    return current;
}

/** Properties (union over allOf/oneOf/anyOf) and required fields (top level and allOf) of a schema. */
function factsOf(spec: Json, node: Json, seen = new Set<Json>()): SchemaFacts {
    const schema = resolveRef(spec, node);
    const facts: SchemaFacts = { properties: new Set(), required: new Set() };
    if (seen.has(schema)) return facts;
    seen.add(schema);
    for (const name of Object.keys((schema['properties'] as Json | undefined) ?? {})) facts.properties.add(name);
    for (const name of (schema['required'] as string[] | undefined) ?? []) facts.required.add(name);
    for (const part of (schema['allOf'] as Json[] | undefined) ?? []) {
        const f = factsOf(spec, part, seen);
        f.properties.forEach(p => facts.properties.add(p));
        f.required.forEach(r => facts.required.add(r));
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
        for (const part of (schema[key] as Json[] | undefined) ?? []) factsOf(spec, part, seen).properties.forEach(p => facts.properties.add(p));
    }
    return facts;
}

/** `Name` → components.schemas.Name; `METHOD /path request` → that operation's JSON request body. */
function schemaFor(spec: Json, reference: string): Json {
    const op = /^(GET|POST|PUT|PATCH|DELETE) (\S+) request$/.exec(reference);
    if (op) {
        const operation = ((spec['paths'] as Json)[op[2]!] as Json | undefined)?.[op[1]!.toLowerCase()] as Json | undefined;
        const schema = (((operation?.['requestBody'] as Json | undefined)?.['content'] as Json | undefined)?.['application/json'] as Json | undefined)?.['schema'];
        if (!schema) throw new Error(`no JSON request body for ${reference}`);
        return schema as Json;
    }
    const schema = ((spec['components'] as Json)['schemas'] as Json)[reference];
    if (!schema) throw new Error(`no schema ${reference}`);
    return schema as Json;
}

interface InterfaceFacts {
    readonly name: string;
    readonly schemas: string[];
    readonly extensions: string[];
    readonly generic: boolean;
    /** field → optional? */
    readonly fields: Map<string, boolean>;
}

function interfacesOf(file: string): InterfaceFacts[] {
    const program = ts.createProgram([file], {
        strict: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        noEmit: true,
        skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file)!;
    const out: InterfaceFacts[] = [];
    source.forEachChild(node => {
        if (!ts.isInterfaceDeclaration(node) || !node.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) return;
        const tags = ts.getJSDocTags(node).map(tag => ({ name: tag.tagName.text, text: ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '' }));
        const fields = new Map<string, boolean>();
        for (const symbol of checker.getPropertiesOfType(checker.getTypeAtLocation(node))) {
            fields.set(symbol.getName(), (symbol.flags & ts.SymbolFlags.Optional) !== 0);
        }
        out.push({
            name: node.name.text,
            schemas: tags.filter(t => t.name === 'schema').map(t => t.text),
            extensions: tags.filter(t => t.name === 'extension').map(t => t.text.split(/\s/)[0]!),
            generic: tags.some(t => t.name === 'generic'),
            fields,
        });
    });
    return out;
}

const VENDORS = [
    { vendor: 'dixa', file: join(REPO_ROOT, 'src/providers/dixa/api-types.ts'), spec: contractDixaSpec },
    { vendor: 'synthflow', file: join(REPO_ROOT, 'src/providers/synthflow/api-types.ts'), spec: contractSynthflowSpec },
] as const;

describe.each(VENDORS)('$vendor api-types.ts against the vendor OpenAPI file', ({ file, spec: load }) => {
    const spec = load();
    const interfaces = interfacesOf(file);

    it('declares interfaces, each naming its schemas', () => {
        expect(interfaces.length).toBeGreaterThan(10);
        for (const i of interfaces) expect(i.generic || i.schemas.length > 0, `${i.name} has no @schema`).toBe(true);
    });

    it.each(interfaces.filter(i => !i.generic).map(i => [i.name, i] as const))('%s matches its schemas', (_, i) => {
        const facts = i.schemas.map(s => factsOf(spec, schemaFor(spec, s)));
        const known = new Set(facts.flatMap(f => [...f.properties]));
        const unknown = [...i.fields.keys()].filter(f => !known.has(f) && !i.extensions.includes(f));
        expect(unknown, `${i.name}: fields not in ${i.schemas.join(', ')}`).toEqual([]);
        const stale = i.extensions.filter(e => known.has(e));
        expect(stale, `${i.name}: @extension fields the spec does declare`).toEqual([]);
        const missingRequired = [...facts[0]!.required].filter(r => i.fields.get(r) !== false);
        expect(missingRequired, `${i.name}: fields ${i.schemas[0]} requires, absent or optional here`).toEqual([]);
    });
});
