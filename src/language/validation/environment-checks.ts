import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import type { Integration } from '../generated/ast.js';
import { Environment, isDepartment, isDixaBlock, isEnvironment, isQueue, isSynthflowBlock } from '../generated/ast.js';
import { environmentBlocksOf } from '../environments.js';
import { integrationParts } from '../integration-parts.js';
import { report as reportAny } from './report.js';

/** Is the node inside an `environment` block (an override, checked through the environment's effective view)? */
export function insideEnvironment(node: AstNode): boolean {
    // By $type, not isEnvironment: no type extends Environment (test/language/environments.test.ts checks), and
    // this runs for most checks on every node, each time up to the file's root.
    for (let current: AstNode | undefined = node; current; current = current.$container) if (current.$type === Environment.$type) return true;
    return false;
}

/**
 * What an environment may say: each override names a top-level queue or department of the integration
 * (in any of its files), overrides it once per environment, and the environment holds at most one dixa
 * and one synthflow block. `siblings` are the integration's other files; an environment may be spread
 * over them, so "once" counts across files (reported in the file whose URI sorts later).
 */
export function checkEnvironment(environment: Environment, siblings: readonly Integration[], accept: ValidationAcceptor): void {
    if (!environment.name) return; // the parser has reported it
    // These hold in this environment only: plans of the default and of other environments are not blocked.
    const report: typeof reportAny = (acceptor, code, message, info, data = {}) => reportAny(acceptor, code, message, info, { ...data, environments: [environment.name] });
    const integration = environment.$container;
    const own = integration.members.filter(isEnvironment);
    if (own.find(env => env.name === environment.name) !== environment) {
        report(accept, 'name-duplicate', `Environment ${environment.name} is already declared in this file: merge its settings into the first one.`, {
            node: environment,
            property: 'name',
        });
    }
    const files = [integration, ...siblings];
    const queues = new Set(files.flatMap(file => integrationParts(file).queues.map(queue => queue.name)));
    const departments = new Set(files.flatMap(file => integrationParts(file).departments.map(department => department.name)));
    const uri = AstUtils.getDocument(environment).uri.toString();
    // The same environment's blocks in this file before this one, and in files whose URI sorts earlier.
    const earlier = environmentBlocksOf(files)
        .filter(env => env.name === environment.name && env !== environment)
        .filter(env => {
            const otherUri = AstUtils.getDocument(env).uri.toString();
            return otherUri < uri || (otherUri === uri && own.indexOf(env) < own.indexOf(environment));
        });
    const seen = new Map<string, AstNode>();
    for (const override of earlier.flatMap(env => env.overrides)) {
        const id = overrideId(override);
        if (id && !seen.has(id)) seen.set(id, override);
    }
    for (const override of environment.overrides) {
        const id = overrideId(override);
        if (!id) continue;
        if (isQueue(override) && !queues.has(override.name)) {
            report(
                accept,
                'environment-target-unknown',
                `Environment ${environment.name} overrides queue ${override.name}, which integration ${integration.name} does not declare: an environment changes the settings of a top-level queue; declare "queue ${override.name} { … }" at the top level first${suggest(queues)}.`,
                { node: override, property: 'name' },
            );
        } else if (isDepartment(override) && !departments.has(override.name)) {
            report(
                accept,
                'environment-target-unknown',
                `Environment ${environment.name} overrides department ${override.name}, which integration ${integration.name} does not declare: an environment changes the settings of a top-level department; declare "department ${override.name} { … }" at the top level first${suggest(departments)}.`,
                { node: override, property: 'name' },
            );
        }
        const first = seen.get(id);
        if (first) {
            const what = isDixaBlock(override) ? 'the dixa block' : isSynthflowBlock(override) ? 'the synthflow block' : id.replace(':', ' ');
            const code = isDixaBlock(override) || isSynthflowBlock(override) ? 'block-duplicate' : 'name-duplicate';
            const info = isDixaBlock(override)
                ? { node: override, keyword: 'dixa' }
                : isSynthflowBlock(override)
                  ? { node: override, keyword: 'synthflow' }
                  : { node: override, property: 'name' };
            report(accept, code, `Environment ${environment.name} already overrides ${what} at ${where(first)}: merge the settings there.`, info as Parameters<typeof report>[3]);
        } else {
            seen.set(id, override);
        }
    }
}

function overrideId(node: AstNode): string | undefined {
    if (isDixaBlock(node)) return 'dixa';
    if (isSynthflowBlock(node)) return 'synthflow';
    if (isQueue(node)) return node.name ? `queue:${node.name}` : undefined;
    if (isDepartment(node)) return node.name ? `department:${node.name}` : undefined;
    return undefined;
}

function suggest(names: ReadonlySet<string>): string {
    return names.size > 0 ? `, or override one of: ${[...names].sort().join(', ')}` : '';
}

/** `acme.sipflow:12` */
function where(node: AstNode): string {
    const document = AstUtils.getDocument(node);
    const file = document.uri.path.split('/').pop() ?? document.uri.toString();
    return `${file}:${(node.$cstNode?.range.start.line ?? 0) + 1}`;
}
