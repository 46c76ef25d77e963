/**
 * Realistic generated integrations for the benchmark: one configuration rendered both as `.sipflow`
 * and as the YAML a user might write instead, so that the two front ends check the same data.
 */

export interface BenchQueue {
    readonly name: string;
    readonly displayName: string;
    readonly did: string;
    readonly kind: 'queue' | 'ring-group';
}

export interface BenchEscalation {
    readonly queue: string;
    readonly mode?: 'warm' | 'warm-with-context' | 'cold';
    readonly when?: string;
    readonly say?: string;
}

export interface BenchDepartment {
    readonly name: string;
    readonly comment?: string;
    readonly flow?: string;
    readonly did: string;
    readonly assistant: string;
    readonly timeout?: string;
    readonly fallback: string;
    readonly escalation: BenchEscalation;
}

export interface BenchIntegration {
    readonly name: string;
    readonly sipDomain: string;
    readonly region: 'eu';
    readonly workspace: string;
    readonly queues: readonly BenchQueue[];
    readonly departments: readonly BenchDepartment[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A deterministic, valid (version 4 shaped) UUID per index, distinct per department. */
function assistantId(index: number): string {
    const hex = ((index * 2654435761) >>> 0).toString(16).padStart(8, '0');
    return `${hex}-${pad(index % 10000, 4)}-4${pad(index % 1000, 3)}-8${pad((index * 7) % 1000, 3)}-${index.toString(16).padStart(12, '0')}`;
}

/**
 * `departmentCount` departments sharing one queue per eight departments (each department falls back to
 * one queue and escalates to the next), every sixth with an escalation block, every tenth commented.
 * Valid Danish DIDs: departments +45321xxxxx, queues +4570xxxxxx; no diagnostics expected.
 */
export function generateIntegration(departmentCount: number): BenchIntegration {
    const queueCount = Math.max(2, Math.ceil(departmentCount / 8));
    const queues: BenchQueue[] = Array.from({ length: queueCount }, (_, i) => ({
        name: `team_${pad(i, 4)}`,
        displayName: `Phone – Team ${i}`,
        did: `+4570${pad(200000 + i, 6)}`,
        kind: i % 5 === 4 ? 'ring-group' : 'queue',
    }));
    const departments: BenchDepartment[] = Array.from({ length: departmentCount }, (_, i) => {
        const fallback = queues[Math.floor(i / 8) % queueCount].name;
        const escalateTo = queues[(Math.floor(i / 8) + 1) % queueCount].name;
        return {
            name: `line_${pad(i, 5)}`,
            comment: i % 10 === 0 ? `Lines ${i}–${i + 9}: routed by the regional support desk` : undefined,
            flow: i % 3 === 0 ? `Support line ${i}` : undefined,
            did: `+4532${pad(100000 + i, 6)}`,
            assistant: assistantId(i + 1),
            timeout: i % 3 === 1 ? `${20 + (i % 4) * 10}s` : undefined,
            fallback,
            escalation:
                i % 6 === 0
                    ? { queue: escalateTo, mode: i % 18 === 0 ? 'warm-with-context' : 'warm', when: 'The caller asks for a human', say: 'One moment, please.' }
                    : { queue: escalateTo },
        };
    });
    return {
        name: 'bench',
        sipDomain: 'bench.sip.dixa.com',
        region: 'eu',
        workspace: '1738660423280x428309622607052800',
        queues,
        departments,
    };
}

export function toSipflow(integration: BenchIntegration): string {
    return render(integration, { queues: true, rest: true });
}

/**
 * The same integration split over two files, as users keep large ones: the queues in one, the blocks and
 * departments (which reference those queues) in the other.
 */
export function toSipflowFiles(integration: BenchIntegration): { readonly departments: string; readonly queues: string } {
    return { departments: render(integration, { queues: false, rest: true }), queues: render(integration, { queues: true, rest: false }) };
}

function render(integration: BenchIntegration, parts: { readonly queues: boolean; readonly rest: boolean }): string {
    const out: string[] = [
        `// Generated benchmark integration: ${integration.departments.length} departments, ${integration.queues.length} queues.`,
        `integration ${integration.name} {`,
        '',
    ];
    if (parts.rest)
        out.push(
            '  dixa {',
            `    sip-domain "${integration.sipDomain}"`,
            "    allowlist synthflow   // the region's signalling IPs",
            '  }',
            '',
            '  synthflow {',
            `    region ${integration.region}`,
            `    workspace "${integration.workspace}"`,
            '    trunk-auth ip',
            '  }',
            '',
        );
    for (const queue of parts.queues ? integration.queues : []) {
        out.push(`  queue ${queue.name} {`, `    name "${queue.displayName}"`, `    did "${queue.did}"`);
        if (queue.kind !== 'queue') out.push(`    kind ${queue.kind}`);
        out.push('  }', '');
    }
    for (const department of parts.rest ? integration.departments : []) {
        if (department.comment) out.push(`  /* ${department.comment} */`);
        out.push(`  department ${department.name} {`);
        if (department.flow) out.push(`    flow "${department.flow}"`);
        out.push(`    did "${department.did}"`, `    assistant "${department.assistant}"`);
        if (department.timeout) out.push(`    timeout ${department.timeout}`);
        out.push(`    fallback ${department.fallback}`);
        const escalation = department.escalation;
        if (escalation.mode || escalation.when || escalation.say) {
            out.push(`    escalate ${escalation.queue} {`);
            if (escalation.mode) out.push(`      mode ${escalation.mode}`);
            if (escalation.when) out.push(`      when "${escalation.when}"`);
            if (escalation.say) out.push(`      say "${escalation.say}"`);
            out.push('    }');
        } else {
            out.push(`    escalate ${escalation.queue}`);
        }
        out.push('  }', '');
    }
    out.push('}', '');
    return out.join('\n');
}

/** The same configuration as YAML, the way a user would write it by hand (comments included). */
export function toYaml(integration: BenchIntegration): string {
    const out: string[] = [
        `# Generated benchmark integration: ${integration.departments.length} departments, ${integration.queues.length} queues.`,
        `integration: ${integration.name}`,
        'dixa:',
        `  sip-domain: ${integration.sipDomain}`,
        "  allowlist: synthflow   # the region's signalling IPs",
        'synthflow:',
        `  region: ${integration.region}`,
        `  workspace: "${integration.workspace}"`,
        '  trunk-auth: ip',
        'queues:',
    ];
    for (const queue of integration.queues) {
        out.push(`  ${queue.name}:`, `    name: "${queue.displayName}"`, `    did: "${queue.did}"`);
        if (queue.kind !== 'queue') out.push(`    kind: ${queue.kind}`);
    }
    out.push('departments:');
    for (const department of integration.departments) {
        if (department.comment) out.push(`  # ${department.comment}`);
        out.push(`  ${department.name}:`);
        if (department.flow) out.push(`    flow: "${department.flow}"`);
        out.push(`    did: "${department.did}"`, `    assistant: "${department.assistant}"`);
        if (department.timeout) out.push(`    timeout: ${department.timeout}`);
        out.push(`    fallback: ${department.fallback}`);
        const escalation = department.escalation;
        out.push('    escalate:', `      queue: ${escalation.queue}`);
        if (escalation.mode) out.push(`      mode: ${escalation.mode}`);
        if (escalation.when) out.push(`      when: "${escalation.when}"`);
        if (escalation.say) out.push(`      say: "${escalation.say}"`);
    }
    out.push('');
    return out.join('\n');
}

/**
 * A JSON Schema for the YAML form: the shape checks a user gets for free from a schema (types,
 * enums, patterns, required keys). It cannot express libphonenumber's checks, queue references
 * across keys, duplicate DIDs or derived values; the sipflow validator does all of those.
 */
export const YAML_CONFIG_SCHEMA = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['integration', 'dixa', 'synthflow', 'departments'],
    properties: {
        integration: { type: 'string', pattern: '^[_a-zA-Z][_a-zA-Z0-9]*$' },
        dixa: {
            type: 'object',
            additionalProperties: false,
            required: ['sip-domain', 'allowlist'],
            properties: {
                'sip-domain': { type: 'string', pattern: '^([a-z0-9-]+\\.)+sip\\.dixa\\.com$' },
                allowlist: {
                    oneOf: [{ const: 'synthflow' }, { type: 'array', items: { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}$' } }],
                },
            },
        },
        synthflow: {
            type: 'object',
            additionalProperties: false,
            required: ['region', 'workspace'],
            properties: {
                region: { enum: ['global', 'us', 'eu'] },
                workspace: { type: 'string', minLength: 1 },
                'trunk-auth': { enum: ['ip'] },
            },
        },
        queues: {
            type: 'object',
            additionalProperties: {
                type: 'object',
                additionalProperties: false,
                required: ['did'],
                properties: {
                    name: { type: 'string' },
                    did: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' },
                    kind: { enum: ['queue', 'ring-group'] },
                },
            },
        },
        departments: {
            type: 'object',
            additionalProperties: {
                type: 'object',
                additionalProperties: false,
                required: ['did', 'assistant'],
                properties: {
                    flow: { type: 'string' },
                    did: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' },
                    assistant: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
                    timeout: { type: 'string', pattern: '^[0-9]+(ms|s|m)$' },
                    fallback: { type: 'string' },
                    uui: { type: 'string' },
                    escalate: {
                        type: 'object',
                        additionalProperties: false,
                        required: ['queue'],
                        properties: {
                            queue: { type: 'string' },
                            mode: { enum: ['warm', 'warm-with-context', 'cold'] },
                            when: { type: 'string' },
                            say: { type: 'string' },
                            failed: { type: 'string' },
                        },
                    },
                },
            },
        },
    },
} as const;
