/**
 * The code map's invariants (ARCHITECTURE.md, "Code map"), checked over every import in src/: which folder may
 * import what. Each rule names the files it governs, what they must not import, and the exceptions that are
 * the truth today; a new import that breaks one fails here with the file, the import and the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

interface ImportSite {
    /** Repository-relative path of the importing file, `src/…`. */
    file: string;
    /** The specifier as written. */
    specifier: string;
    /** A relative specifier resolved to a repository-relative path (`src/providers/types.ts`); else the package or `node:` name. */
    target: string;
}

interface ImportRule {
    name: string;
    /** The importing files the rule governs. */
    appliesTo: (file: string) => boolean;
    /** The import targets forbidden to them. */
    forbids: (target: string) => boolean;
    /** Targets allowed although `forbids` matches them, each the truth for a reason given beside it. */
    except?: (site: ImportSite) => boolean;
    /** The exception is on its way out (a refactor removes the import): not an error when it matches nothing. */
    transitional?: boolean;
}

const NODE_HTTP = ['axios', 'node:http', 'node:https', 'node:http2', 'undici'];
const NODE_SOCKETS = ['node:net', 'node:dgram', 'node:tls'];
const isBuiltin = (target: string) => target.startsWith('node:');
const inFolder = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

export const IMPORT_RULES: readonly ImportRule[] = [
    {
        name: 'src/plan is pure: no node: module, no HTTP, and from src/providers only its types and the pure queue choice',
        appliesTo: inFolder('src/plan'),
        forbids: target => isBuiltin(target) || NODE_HTTP.includes(target) || target.startsWith('src/providers/') || target.startsWith('src/apply/'),
        except: site => site.target === 'src/providers/types.ts' || site.target === 'src/providers/dixa/queue-choice.ts',
    },
    {
        name: 'only src/providers/http speaks HTTP as a client (the sandbox serves it)',
        appliesTo: inFolder('src'),
        forbids: target => NODE_HTTP.includes(target),
        except: site => site.file.startsWith('src/providers/http/') || (site.file.startsWith('src/sandbox/') && site.target === 'node:http'),
    },
    {
        name: 'sockets only in src/sip (SIP probes), src/sandbox (its server) and src/providers/http (IP literal checks)',
        appliesTo: inFolder('src'),
        forbids: target => NODE_SOCKETS.includes(target),
        except: site => ['src/sip/', 'src/sandbox/', 'src/providers/http/'].some(folder => site.file.startsWith(folder)),
    },
    {
        name: 'src/language knows no vendor HTTP, no pipeline and no front end',
        appliesTo: inFolder('src/language'),
        forbids: target =>
            NODE_HTTP.includes(target) ||
            ['src/cli/', 'src/extension/', 'src/server/', 'src/providers/', 'src/sandbox/', 'src/apply/', 'src/plan/', 'src/model/', 'src/pull/', 'src/checklist/'].some(folder =>
                target.startsWith(folder),
            ),
    },
    {
        name: 'src/language reads files only through references/regular-file-system.ts (the web build has no file system)',
        appliesTo: inFolder('src/language'),
        // src/node-fs.ts is node:fs loaded with require (an ES import of node:fs costs every CLI start fs/promises).
        forbids: target => target === 'node:fs' || target === 'node:fs/promises' || target === 'src/node-fs.ts',
        except: site => site.file === 'src/language/references/regular-file-system.ts',
    },
    {
        name: 'src/model, src/graph, src/vendors and src/language/values are plain data and pure functions: no I/O, no providers but their types',
        appliesTo: file => ['src/model/', 'src/graph/', 'src/vendors/', 'src/language/values/'].some(folder => file.startsWith(folder)),
        forbids: target =>
            (isBuiltin(target) && target !== 'node:crypto') || NODE_HTTP.includes(target) || target.startsWith('src/providers/') || target.startsWith('src/sandbox/'),
        except: site => site.target === 'src/providers/types.ts',
    },
    {
        name: 'nothing below the front ends imports them (src/cli, src/extension, src/server)',
        appliesTo: file => !['src/cli/', 'src/extension/', 'src/server/'].some(folder => file.startsWith(folder)),
        forbids: target => ['src/cli/', 'src/extension/', 'src/server/'].some(folder => target.startsWith(folder)),
        // The doctor renders with the CLI's Styles type (one Styles for every renderer is issue 12's refactor).
        except: site => site.file === 'src/doctor/render.ts' && site.target === 'src/cli/cli-support.ts',
        transitional: true,
    },
];

function sourceFiles(folder: string): string[] {
    return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
        .filter(entry => entry.isFile() && entry.name.endsWith('.ts'))
        .map(entry => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
        .filter(file => !file.startsWith('src/language/generated/'))
        .sort();
}

/** Every static import, re-export and dynamic `import('…')` of one file, with relative targets resolved. */
export function importsOf(file: string, text: string): ImportSite[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const sites: ImportSite[] = [];
    const add = (specifier: string) => {
        const target = specifier.startsWith('.') ? path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts') : specifier;
        sites.push({ file, specifier, target });
    };
    const visit = (node: ts.Node) => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text);
        else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
            add(node.arguments[0].text);
        else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
            add(node.moduleReference.expression.text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return sites;
}

export function violations(sites: readonly ImportSite[], rules: readonly ImportRule[] = IMPORT_RULES): string[] {
    return rules.flatMap(rule =>
        sites
            .filter(site => rule.appliesTo(site.file) && rule.forbids(site.target) && !(rule.except?.(site) ?? false))
            .map(site => `${site.file} imports '${site.specifier}': ${rule.name}`),
    );
}

const allSites = sourceFiles('src').flatMap(file => importsOf(file, readFileSync(path.join(root, file), 'utf8')));

describe('the code map (ARCHITECTURE.md): import rules over src/', () => {
    it('reads the imports of every hand-written source file', () => {
        const files = new Set(allSites.map(site => site.file));
        expect(files.size).toBeGreaterThan(100);
        expect(files).toContain('src/plan/compute.ts');
        expect(allSites.some(site => site.file === 'src/providers/http/client.ts' && site.target === 'axios')).toBe(true);
    });

    for (const rule of IMPORT_RULES) {
        it(rule.name, () => {
            expect(
                allSites.some(site => rule.appliesTo(site.file)),
                'the rule governs no file: its folder moved',
            ).toBe(true);
            expect(violations(allSites, [rule])).toEqual([]);
        });
    }

    it('every exception still names an import that exists (a stale exception would hide a new one)', () => {
        const stale = IMPORT_RULES.filter(
            rule => rule.except && !rule.transitional && !allSites.some(site => rule.appliesTo(site.file) && rule.forbids(site.target) && rule.except!(site)),
        );
        expect(stale.map(rule => rule.name)).toEqual([]);
    });

    it('reports a forbidden import with its file and rule (the checker is not vacuous)', () => {
        const planFetching = importsOf(
            'src/plan/compute.ts',
            "import axios from 'axios';\nimport { createDixaProvider } from '../providers/dixa/client.js';\nconst fs = await import('node:fs');",
        );
        const languageUsingCli = importsOf('src/language/lsp/hover.ts', "export { run } from '../../cli/main.js';");
        expect(violations([...planFetching, ...languageUsingCli])).toEqual([
            "src/plan/compute.ts imports 'axios': src/plan is pure: no node: module, no HTTP, and from src/providers only its types and the pure queue choice",
            "src/plan/compute.ts imports '../providers/dixa/client.js': src/plan is pure: no node: module, no HTTP, and from src/providers only its types and the pure queue choice",
            "src/plan/compute.ts imports 'node:fs': src/plan is pure: no node: module, no HTTP, and from src/providers only its types and the pure queue choice",
            "src/plan/compute.ts imports 'axios': only src/providers/http speaks HTTP as a client (the sandbox serves it)",
            "src/language/lsp/hover.ts imports '../../cli/main.js': src/language knows no vendor HTTP, no pipeline and no front end",
            "src/language/lsp/hover.ts imports '../../cli/main.js': nothing below the front ends imports them (src/cli, src/extension, src/server)",
        ]);
    });
});
