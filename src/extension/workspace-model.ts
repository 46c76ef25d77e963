import * as vscode from 'vscode';
import { pullReferenceOf, type PullReference } from '../pull/index.js';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { SipflowFile } from '../language/generated/ast.js';
import { createSipflowServices } from '../language/sipflow-module.js';
import { buildDesiredState, DesiredStateError, environmentsOf, ModelInputError, type DesiredState, type ModelProblem } from '../model/index.js';
import { declarationsOf, type Declarations } from '../graph/index.js';
import { readSettings } from './settings.js';
import { gatherIntegrationTexts } from './integration-texts.js';

export type ModelResult =
    | {
          readonly ok: true;
          readonly desired: DesiredState;
          /** For pull and Compare with Live: the file's names, defaults and comments. */
          readonly reference: PullReference;
          /** Where departments and queues are declared, for Call Flow's reveal. */
          readonly declarations: Declarations;
      }
    | { readonly ok: false; readonly message: string; readonly problems: readonly ModelProblem[] };

/** A model result and the URIs of the integration's files it was built from (Call Flow lists their Problems). */
export type LoadedModel = ModelResult & { readonly files: readonly string[] };

/**
 * Builds the desired state of the integration a `.sipflow` document declares, with the other files of
 * its integration by the scoping rule (src/language/references/integration-scope.ts: the same folder,
 * not its subfolders; pulled files stand alone). Editor
 * buffers win over the files on disk, so unsaved edits count. The language and the model do the work
 * (src/language, src/model); this only gathers the texts. The last result is cached by content.
 */
export class WorkspaceModel {
    private cache: { key: string; result: LoadedModel } | undefined;

    /** The selected environment (setting sipflow.environment) when the file declares any; else the default. */
    async load(main: vscode.TextDocument): Promise<LoadedModel> {
        const texts = await this.gather(main);
        const environment = readSettings().environment;
        const key = `${environment ?? ''}\u0002${[...texts].map(([uri, text]) => `${uri}\u0000${text}`).join('\u0001')}`;
        if (this.cache?.key === key) return this.cache.result;
        const result = await build(main.uri.toString(), texts, environment);
        this.cache = { key, result };
        return result;
    }

    /** The texts of `main`'s integration by the scoping rule; editor buffers win over the disk. */
    private async gather(main: vscode.TextDocument): Promise<Map<string, string>> {
        const open = new Map(vscode.workspace.textDocuments.map(d => [d.uri.toString(), d]));
        return gatherIntegrationTexts(
            { uri: main.uri.toString(), text: main.getText() },
            {
                async list(folder) {
                    const folderUri = vscode.Uri.parse(folder);
                    const entries = await vscode.workspace.fs.readDirectory(folderUri).then(undefined, () => [] as [string, vscode.FileType][]);
                    return (
                        entries
                            // FileType is a bit set: a link to a file is File | SymbolicLink.
                            .filter(([name, type]) => name.endsWith('.sipflow') && !name.startsWith('.') && (type & vscode.FileType.File) !== 0)
                            .map(([name]) => vscode.Uri.joinPath(folderUri, name).toString())
                            .sort()
                    );
                },
                async read(uri) {
                    const doc = open.get(uri);
                    if (doc) return doc.getText();
                    try {
                        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri)));
                    } catch {
                        return undefined; // unreadable: leave it out, as the language server does
                    }
                },
            },
        );
    }
}

async function build(mainUri: string, texts: ReadonlyMap<string, string>, selected: string | undefined): Promise<LoadedModel> {
    const services = createSipflowServices(EmptyFileSystem);
    const documents = services.shared.workspace.LangiumDocuments;
    const docs = [...texts].map(([uri, text]) => documents.createDocument(URI.parse(uri), text) as LangiumDocument<SipflowFile>);
    await services.shared.workspace.DocumentBuilder.build(docs, { validation: true });
    const main = docs.find(d => d.uri.toString() === URI.parse(mainUri).toString())!;
    const others = docs.filter(d => d !== main);
    // The files that declare main's integration (the folder's others are gathered too).
    const name = main.parseResult.value.integration?.name;
    const own = [main, ...others.filter(d => name !== undefined && d.parseResult.value.integration?.name === name)];
    const files = own.map(d => d.uri.toString());
    const declared = environmentsOf(main, others);
    // The selection applies to files that declare environments; one it does not name is refused, never
    // silently replaced by the default (a plan for the wrong accounts).
    if (selected !== undefined && declared.length > 0 && !declared.includes(selected)) {
        return {
            files,
            ok: false,
            message: `The file declares no environment ${selected} (its environments: ${declared.join(', ')}): select one with "SIPflow: Select Environment".`,
            problems: [],
        };
    }
    const environment = selected !== undefined && declared.includes(selected) ? selected : undefined;
    try {
        const desired = buildDesiredState(main, others, { environment });
        return { files, ok: true, desired, reference: pullReferenceOf(main, desired), declarations: declarationsOf(own) };
    } catch (e) {
        if (e instanceof DesiredStateError) return { files, ok: false, message: e.message, problems: e.problems };
        // No integration in the file (nothing to plan), or files of the integration left out.
        if (e instanceof ModelInputError) return { files, ok: false, message: e.message, problems: [] };
        throw e;
    }
}
