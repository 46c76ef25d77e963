import * as vscode from 'vscode';
import { applyPlan, checkAccount, PlanConflictError, readLiveState, renderApplyText, type ApplyResult } from '../apply/index.js';
import { buildChecklist, checklistSummary, renderChecklistMarkdown, type Checklist } from '../checklist/index.js';
import type { DesiredState } from '../model/index.js';
import { acquireRunLock, describeHolder, RunLockHeldError, urlTarget, type HeldRunLock } from '../cli/run-lock.js';
import { computePlan, manualWorkLine, renderPlanText, summaryLine, type ChecklistCounts, type Plan } from '../plan/index.js';
import { readPullSnapshot, renderPulledConfiguration, type PulledConfiguration, type PullReference } from '../pull/index.js';

/** What the file pulled against says (pull/render.ts), beyond the Synthflow scope. */
interface PullHints {
    sipDomain?: string;
    integration?: string;
    reference?: PullReference;
}
import { ProviderError } from '../providers/types.js';
import { SYNTHFLOW_REGIONS, type SynthflowRegion } from '../vendors/synthflow-facts.js';
import type { CallFlowPanel } from './call-flow.js';
import { EXAMPLE_TEXT } from './example.js';
import { MissingCredentialsError, scopeOf, type Connections, type Endpoint, type SynthflowScope, type VendorConnection } from './connection.js';
import type { Credentials } from './credentials.js';
import type { ExtensionLog } from './log.js';
import type { PlanStore } from './plan-store.js';
import { readSettings, setTarget } from './settings.js';
import type { ViewDocuments } from './views.js';
import type { WorkspaceModel } from './workspace-model.js';

/** Options the commands take when called programmatically (tests, other extensions, keybindings). */
export interface ApplyCommandOptions {
    /** false skips the modal confirmation, like the CLI's `--yes`. */
    readonly confirm?: boolean;
}
export interface PullCommandOptions {
    readonly region?: SynthflowRegion;
    readonly workspace?: string;
}
export interface CredentialsCommandOptions {
    readonly dixa?: string;
    readonly synthflow?: string;
    /** Values for `env:NAME` references (trunk credentials). */
    readonly env?: Readonly<Record<string, string>>;
}

interface PlanOutcome {
    readonly desired: DesiredState;
    readonly plan: Plan;
    readonly checklist: Checklist;
    readonly endpoint: Endpoint;
}

/** Thrown to stop a command after it has told the user why. */
class Stopped extends Error {}

/**
 * The command handlers. Each one is UI around the core: the model (src/model), the plan (src/plan),
 * apply (src/apply), the checklist (src/checklist) and pull (src/pull) do the work.
 */
export class Commands {
    constructor(
        private readonly log: ExtensionLog,
        private readonly model: WorkspaceModel,
        private readonly connections: Connections,
        private readonly credentials: Credentials,
        private readonly plans: PlanStore,
        private readonly views: ViewDocuments,
        private readonly callFlow: CallFlowPanel,
    ) {}

    register(context: vscode.ExtensionContext): void {
        const reg = (id: string, fn: (...args: never[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
        reg('sipflow.plan', (uri?: vscode.Uri) => this.guard(() => this.plan(uri)));
        reg('sipflow.compareWithLive', (uri?: vscode.Uri) => this.guard(() => this.compareWithLive(uri)));
        reg('sipflow.apply', (uri?: vscode.Uri, options?: ApplyCommandOptions) => this.guard(() => this.apply(uri, options)));
        reg('sipflow.pull', (options?: PullCommandOptions) => this.guard(() => this.pull(options)));
        reg('sipflow.showChecklist', (uri?: vscode.Uri) => this.guard(() => this.showChecklist(uri)));
        reg('sipflow.showCallFlow', (uri?: vscode.Uri) => this.guard(() => this.showCallFlow(uri)));
        reg('sipflow.setCredentials', (options?: CredentialsCommandOptions) => this.guard(() => this.setCredentials(options)));
        reg('sipflow.clearCredentials', () => this.guard(() => this.clearCredentials()));
        reg('sipflow.useSandbox', () => this.guard(() => this.useTarget('sandbox')));
        reg('sipflow.useLive', () => this.guard(() => this.useTarget('live')));
        reg('sipflow.showLog', () => this.log.show());
        reg('sipflow.createExample', () => this.guard(() => this.createExample()));
    }

    // ─── Plan ──────────────────────────────────────────────────────────────────────────────────────

    async plan(uri?: vscode.Uri): Promise<Plan | undefined> {
        const document = await this.document(uri);
        const desired = await this.desired(document, 'plan');
        const outcome = await this.withProgress(`SIPflow: planning ${desired.integration}`, (progress, signal) => this.computePlan(document, desired, progress, signal));
        await this.showPlan(document, outcome);
        return outcome.plan;
    }

    private async computePlan(document: vscode.TextDocument, desired: DesiredState, progress: Progress, signal: AbortSignal): Promise<PlanOutcome> {
        const version = document.version;
        return this.withSession(scopeOf(desired), signal, async session => {
            progress.report({ message: `reading ${session.endpoint.label}…` });
            const live = await readLiveState(desired, session.providers);
            // The account guard: Plan and Apply (which applies this plan) refuse another organization's token.
            checkAccount(desired, live.dixa.organization, fileName(document.uri));
            this.plans.rememberAssistants(desired.integration, live.synthflow.assistants, 'plan');
            const plan = computePlan(desired, live);
            // The checklist is verified against what the plan already read from Dixa: no second read.
            const checklist = buildChecklist(desired, live.dixa);
            this.plans.set(document.uri, { plan, version, target: session.endpoint.target, at: new Date() });
            this.views.set(this.views.uriFor('checklist', document.uri), renderChecklistMarkdown(checklist));
            this.log.info(`Plan for ${desired.integration} against ${session.endpoint.label}: ${summaryLine(plan.summary)}`);
            return { desired, plan, checklist, endpoint: session.endpoint };
        });
    }

    private async showPlan(document: vscode.TextDocument, outcome: PlanOutcome): Promise<void> {
        const uri = this.setPlanDocument(document, outcome);
        this.log.block('info', renderPlanText(outcome.plan, { color: false }));
        await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    }

    /** Writes the plan view's text (refreshing an open view in place); `note` heads it, e.g. after an apply. */
    private setPlanDocument(document: vscode.TextDocument, outcome: PlanOutcome, note?: string): vscode.Uri {
        const header =
            (note ? `# ${note}\n` : '') +
            `# sipflow plan — ${fileName(document.uri)} against ${outcome.endpoint.label}, ${new Date().toLocaleString()}\n` +
            `# ${manualWorkLine(outcome.plan.summary, checklistCounts(outcome.checklist))} (SIPflow: Show Manual Checklist)\n\n`;
        const uri = this.views.uriFor('plan', document.uri);
        this.views.set(uri, header + renderPlanText(outcome.plan, { color: false }));
        return uri;
    }

    // ─── Apply ─────────────────────────────────────────────────────────────────────────────────────

    async apply(uri?: vscode.Uri, options: ApplyCommandOptions = {}): Promise<ApplyResult | undefined> {
        const document = await this.document(uri);
        const errors = vscode.languages.getDiagnostics(document.uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
        if (errors.length > 0) {
            void this.offer(
                vscode.window.showErrorMessage(
                    `SIPflow: ${fileName(document.uri)} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before applying.`,
                    'Show Problems',
                ),
                { 'Show Problems': 'workbench.actions.view.problems' },
            );
            throw new Stopped();
        }
        const desired = await this.desired(document, 'apply');
        // The CLI's run lock, held from the plan through the apply: a concurrent `sipflow apply` (or a
        // second Apply here) could otherwise create the same Dixa queue.
        const lock = await this.takeRunLock(document, desired);
        try {
            return await this.applyHoldingLock(document, desired, options);
        } finally {
            lock.release();
        }
    }

    private async takeRunLock(document: vscode.TextDocument, desired: DesiredState): Promise<HeldRunLock> {
        const endpoint = await this.connections.endpoint(scopeOf(desired));
        const key = { integration: desired.integration, workspace: desired.synthflow.workspace, target: urlTarget(endpoint.dixa.baseUrl, endpoint.synthflow.baseUrl) };
        try {
            return await acquireRunLock(key, {
                timeoutMs: 0,
                command: `VS Code: SIPflow Apply ${fileName(document.uri)}`,
                onStaleRemoved: holder => this.log.warn(`Took over the lock of ${desired.integration}: ${describeHolder(holder)} is no longer running.`),
            });
        } catch (e) {
            if (!(e instanceof RunLockHeldError) || e.holder === undefined) throw e;
            this.log.error(e.message);
            void vscode.window.showErrorMessage(
                `SIPflow: ${desired.integration} is being applied by ${describeHolder(e.holder)}; nothing was sent. Apply again when it has finished.`,
                { modal: false },
            );
            throw new Stopped();
        }
    }

    private async applyHoldingLock(document: vscode.TextDocument, desired: DesiredState, options: ApplyCommandOptions): Promise<ApplyResult | undefined> {
        const planning = Date.now();
        const outcome = await this.withProgress(`SIPflow: planning ${desired.integration}`, (progress, signal) => this.computePlan(document, desired, progress, signal));
        await this.showPlan(document, outcome);
        const { plan, endpoint } = outcome;
        // VS Code keeps a progress notification open for 800 ms at the least (NOTIFICATION_MIN_VISIBLE_MS)
        // even when its work is done sooner; a modal shown before then has "planning…" lingering behind it.
        const confirming = options.confirm !== false && plan.summary.conflict === 0 && plan.hasChanges;
        if (confirming) await delay(NOTIFICATION_MIN_VISIBLE_MS - (Date.now() - planning));
        if (plan.summary.conflict > 0) {
            const conflicts = plan.items.filter(i => i.kind === 'conflict').map(i => i.summary);
            this.log.error(`Apply refused: ${conflicts.length} conflict(s): ${conflicts.join('; ')}`);
            void vscode.window.showErrorMessage(`SIPflow: the plan has ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}; nothing was applied. ${conflicts[0]}`, {
                modal: false,
            });
            throw new Stopped();
        }
        if (!plan.hasChanges) {
            void this.offer(
                vscode.window.showInformationMessage(
                    `SIPflow: ${desired.integration} is in sync with ${endpoint.label}; nothing to apply. ${checklistSummary(outcome.checklist)}.`,
                    'Open Checklist',
                ),
                { 'Open Checklist': () => this.openChecklist(document.uri) },
            );
            return undefined;
        }
        const s = plan.summary;
        if (options.confirm !== false) {
            const counts = `create ${s.create} · update ${s.update + s.adopt} · attach ${s.attach}`;
            const choice = await vscode.window.showWarningMessage(
                `Apply ${desired.integration} to ${endpoint.label}?`,
                {
                    modal: true,
                    detail:
                        `${counts}\n\n${manualWorkLine(s, checklistCounts(outcome.checklist))}.\n\nThe plan is open beside the file.` +
                        (endpoint.target === 'live' ? '\n\nThis changes your live Dixa and Synthflow accounts.' : ''),
                },
                'Apply',
            );
            if (choice !== 'Apply') {
                this.log.info('Apply cancelled at the confirmation.');
                return undefined;
            }
        }
        const result = await this.withProgress(`SIPflow: applying ${desired.integration} to ${endpoint.label}`, async (progress, signal) => {
            return this.withSession(scopeOf(desired), signal, async session => {
                const trunk = desired.synthflow.trunkAuth;
                const env = await this.credentials.env(trunk.kind === 'credentials' ? [trunk.usernameEnv, trunk.passwordEnv] : []);
                let done = 0;
                return applyPlan(plan, session.providers, {
                    concurrency: readSettings().applyConcurrency,
                    signal,
                    env,
                    onProgress: event => {
                        if (event.type === 'step-started') {
                            progress.report({ message: this.log.redact(`(${event.completed + 1}/${event.total}) ${event.step.summary}`) });
                        } else {
                            const increment = event.total > 0 ? ((event.completed - done) / event.total) * 100 : 0;
                            done = event.completed;
                            progress.report({ increment, message: this.log.redact(`(${event.completed}/${event.total}) ${event.outcome.message ?? event.step.summary}`) });
                            this.log[event.type === 'step-failed' ? 'error' : 'info'](
                                `${event.type.replace('step-', '')}: ${event.step.summary}${event.outcome.error ? ` — ${event.outcome.error.message}` : ''}`,
                            );
                        }
                    },
                });
            });
        });
        this.log.block(result.ok ? 'info' : 'error', renderApplyText(result, { color: false }));
        this.views.set(this.views.uriFor('result', document.uri), renderApplyText(result, { color: false }));
        // Re-plan quietly: the status bar, the CodeLens and the checklist then show what is left.
        let after: PlanOutcome | undefined;
        try {
            after = await this.computePlan(document, desired, { report: () => undefined }, new AbortController().signal);
        } catch (e) {
            this.log.warn(`Could not re-read the live state after apply: ${this.message(e)}`);
        }
        // The plan beside the file would otherwise still say "+ create" for what was just created.
        const appliedAt = `${verbOf(result)} at ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
        const planUri = this.views.uriFor('plan', document.uri);
        if (after) this.setPlanDocument(document, after, `${appliedAt} — re-planned from the live state: this is what is left`);
        else this.views.set(planUri, `# ${appliedAt} — the live state could not be re-read (see the log); plan again to see what is left.\n`);
        const c = result.counts;
        // A step cancelled with its request in flight may have been made; one cancelled before it started was not.
        const interrupted = result.outcomes.filter(o => o.status === 'cancelled' && o.error !== null).length;
        const summary =
            `${c.succeeded} step${c.succeeded === 1 ? '' : 's'} done` +
            (c.failed ? `, ${c.failed} failed` : '') +
            (c.skipped ? `, ${c.skipped} not attempted` : '') +
            (interrupted ? `, ${interrupted} interrupted (may have been made)` : '') +
            (c.cancelled - interrupted ? `, ${c.cancelled - interrupted} not started` : '') +
            (after ? `. ${checklistSummary(after.checklist)}.` : '.');
        const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
        const what =
            result.status === 'cancelled' ? `applying ${desired.integration} to ${endpoint.label} was cancelled` : `${desired.integration} ${verbOf(result)} to ${endpoint.label}`;
        void this.offer(show(`SIPflow: ${what}: ${summary}`, 'Show Result', 'Show Log', 'Open Checklist'), {
            'Show Result': () => vscode.window.showTextDocument(this.views.uriFor('result', document.uri), { preview: true, viewColumn: vscode.ViewColumn.Beside }),
            'Show Log': () => this.log.show(),
            'Open Checklist': () => this.openChecklist(document.uri),
        });
        return result;
    }

    // ─── Checklist, pull, compare ──────────────────────────────────────────────────────────────────

    async showChecklist(uri?: vscode.Uri): Promise<Checklist> {
        const document = await this.document(uri);
        const desired = await this.desired(document, 'check');
        const checklist = await this.withProgress(`SIPflow: verifying the manual checklist of ${desired.integration}`, (progress, signal) =>
            this.withSession(scopeOf(desired), signal, async session => {
                progress.report({ message: `reading Dixa (${session.endpoint.label})…` });
                const live = await readLiveState(desired, session.providers);
                this.plans.rememberAssistants(desired.integration, live.synthflow.assistants, 'checklist');
                return buildChecklist(desired, live.dixa);
            }),
        );
        this.views.set(this.views.uriFor('checklist', document.uri), renderChecklistMarkdown(checklist));
        this.log.info(checklistSummary(checklist));
        await this.openChecklist(document.uri);
        return checklist;
    }

    private async openChecklist(source: vscode.Uri): Promise<void> {
        const uri = this.views.uriFor('checklist', source);
        if (this.views.get(uri) === undefined) {
            await this.showChecklist(source);
            return;
        }
        try {
            await vscode.commands.executeCommand('markdown.showPreview', uri);
        } catch {
            await vscode.window.showTextDocument(uri, { preview: true });
        }
    }

    async pull(options: PullCommandOptions = {}): Promise<vscode.TextDocument | undefined> {
        const active = vscode.window.activeTextEditor?.document;
        let scope: SynthflowScope | undefined;
        let hints: PullHints = {};
        if (options.region && options.workspace) scope = { region: options.region, workspace: options.workspace };
        else if (active?.languageId === 'sipflow') {
            const result = await this.model.load(active);
            if (result.ok) {
                scope = scopeOf(result.desired);
                hints = { sipDomain: result.desired.dixa.sipDomain, integration: result.desired.integration, reference: result.reference };
            }
        }
        scope ??= await this.askScope();
        if (!scope) return undefined;
        const pulled = await this.pullConfiguration(scope, hints);
        const document = await vscode.workspace.openTextDocument({ language: 'sipflow', content: pulled.text });
        await vscode.window.showTextDocument(document);
        const notes = pulled.notes.length > 0 ? ` ${pulled.notes.length} note${pulled.notes.length === 1 ? '' : 's'} in the log.` : '';
        void vscode.window.showInformationMessage(
            `SIPflow: pulled ${pulled.integration}: ${pulled.departments} department${pulled.departments === 1 ? '' : 's'}, ${pulled.queues} queue${pulled.queues === 1 ? '' : 's'}.${notes}`,
        );
        return document;
    }

    async compareWithLive(uri?: vscode.Uri): Promise<void> {
        const document = await this.document(uri);
        const desired = await this.desired(document, 'compare');
        const loaded = await this.model.load(document);
        const reference = loaded.ok ? loaded.reference : undefined;
        const pulled = await this.pullConfiguration(scopeOf(desired), { sipDomain: desired.dixa.sipDomain, integration: desired.integration, ...(reference ? { reference } : {}) });
        const live = this.views.uriFor('live', document.uri);
        this.views.set(live, pulled.text);
        await vscode.commands.executeCommand('vscode.diff', live, document.uri, `${fileName(document.uri)}: live ↔ file`);
    }

    private async pullConfiguration(scope: SynthflowScope, hints: PullHints): Promise<PulledConfiguration> {
        return this.withProgress('SIPflow: pulling from Dixa and Synthflow', (progress, signal) =>
            this.withSession(scope, signal, async session => {
                progress.report({ message: `reading ${session.endpoint.label}…` });
                const snapshot = await readPullSnapshot(session.providers);
                const pulled = renderPulledConfiguration(snapshot, { ...scope, ...hints });
                this.log.info(`Pulled ${pulled.integration} from ${session.endpoint.label}: ${pulled.departments} departments, ${pulled.queues} queues.`);
                for (const note of pulled.notes) this.log.warn(`pull: ${note}`);
                return pulled;
            }),
        );
    }

    private async askScope(): Promise<SynthflowScope | undefined> {
        const region = await vscode.window.showQuickPick([...SYNTHFLOW_REGIONS], {
            title: 'SIPflow: Pull — Synthflow region',
            placeHolder: 'The region of your Synthflow workspace',
        });
        if (!region) return undefined;
        const workspace = await vscode.window.showInputBox({
            title: 'SIPflow: Pull — Synthflow workspace id',
            prompt: 'The Synthflow workspace id the numbers live in (Synthflow → Settings)',
            ignoreFocusOut: true,
            validateInput: v => (v.trim() ? undefined : 'The workspace id is needed to list its numbers'),
        });
        return workspace ? { region: region as SynthflowRegion, workspace: workspace.trim() } : undefined;
    }

    // ─── Call flow ─────────────────────────────────────────────────────────────────────────────────

    async showCallFlow(uri?: vscode.Uri): Promise<void> {
        await this.callFlow.show(await this.document(uri));
    }

    // ─── Credentials and targets ───────────────────────────────────────────────────────────────────

    async setCredentials(options?: CredentialsCommandOptions): Promise<void> {
        if (options && (options.dixa || options.synthflow || options.env)) {
            await this.credentials.store({ ...(options.dixa ? { dixa: options.dixa } : {}), ...(options.synthflow ? { synthflow: options.synthflow } : {}) });
            for (const [name, value] of Object.entries(options.env ?? {})) await this.credentials.storeEnv(name, value);
            return;
        }
        const envNames = await this.envNamesOfActiveFile();
        const picks: Array<vscode.QuickPickItem & { id: string }> = [
            { id: 'both', label: 'Dixa API token and Synthflow API key' },
            { id: 'dixa', label: 'Dixa API token', detail: 'Dixa → Settings → Integrations → API tokens' },
            { id: 'synthflow', label: 'Synthflow API key', detail: 'Synthflow → Settings → API keys' },
            ...envNames.map(name => ({ id: `env:${name}`, label: `env:${name}`, detail: 'A trunk credential the file refers to' })),
        ];
        const pick = await vscode.window.showQuickPick(picks, {
            title: 'SIPflow: Set API Credentials',
            placeHolder: "Stored in VS Code's secret storage, never in settings or files",
        });
        if (!pick) return;
        const ask = (what: string) =>
            vscode.window.showInputBox({
                title: `SIPflow: ${what}`,
                prompt: `${what} (kept in VS Code's secret storage)`,
                password: true,
                ignoreFocusOut: true,
                validateInput: v => (v.trim() ? undefined : 'Enter a value, or press Escape to cancel'),
            });
        if (pick.id.startsWith('env:')) {
            const value = await ask(pick.label);
            if (value) await this.credentials.storeEnv(pick.id.slice(4), value);
            return;
        }
        const dixa = pick.id === 'synthflow' ? undefined : await ask('Dixa API token');
        if (pick.id !== 'synthflow' && !dixa) return;
        const synthflow = pick.id === 'dixa' ? undefined : await ask('Synthflow API key');
        if (pick.id !== 'dixa' && !synthflow) return;
        await this.credentials.store({ ...(dixa ? { dixa } : {}), ...(synthflow ? { synthflow } : {}) });
        void vscode.window.showInformationMessage("SIPflow: credentials stored in VS Code's secret storage.");
    }

    async clearCredentials(): Promise<void> {
        await this.credentials.clear();
        void vscode.window.showInformationMessage("SIPflow: API credentials cleared from VS Code's secret storage.");
    }

    async useTarget(target: 'sandbox' | 'live'): Promise<void> {
        await setTarget(target);
        this.plans.clear();
        this.log.info(`Target: ${target === 'sandbox' ? 'the in-process sandbox' : 'the live Dixa and Synthflow accounts'}.`);
        if (target === 'live') {
            const keys = await this.credentials.get();
            if (!keys.dixa || !keys.synthflow) {
                void this.offer(vscode.window.showWarningMessage('SIPflow: now using the live accounts. Set the API credentials before planning.', 'Set API Credentials'), {
                    'Set API Credentials': 'sipflow.setCredentials',
                });
                return;
            }
        }
        void vscode.window.showInformationMessage(`SIPflow: now using ${target === 'sandbox' ? 'the sandbox (in-process, demo data)' : 'the live Dixa and Synthflow accounts'}.`);
    }

    private async envNamesOfActiveFile(): Promise<string[]> {
        const active = vscode.window.activeTextEditor?.document;
        if (active?.languageId !== 'sipflow') return [];
        const result = await this.model.load(active);
        const trunk = result.ok ? result.desired.synthflow.trunkAuth : undefined;
        return trunk?.kind === 'credentials' ? [trunk.usernameEnv, trunk.passwordEnv] : [];
    }

    async createExample(): Promise<void> {
        const folder = vscode.workspace.workspaceFolders?.[0];
        const text = EXAMPLE_TEXT;
        if (folder) {
            const uri = vscode.Uri.joinPath(folder.uri, 'acme.sipflow');
            try {
                await vscode.workspace.fs.stat(uri);
            } catch {
                await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
            }
            await vscode.window.showTextDocument(uri);
        } else {
            await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sipflow', content: text }));
        }
    }

    // ─── Plumbing ──────────────────────────────────────────────────────────────────────────────────

    private async document(uri?: vscode.Uri): Promise<vscode.TextDocument> {
        if (uri instanceof vscode.Uri) {
            if (uri.scheme === 'sipflow-view' && uri.query) uri = vscode.Uri.parse(uri.query);
            return vscode.workspace.openTextDocument(uri);
        }
        const active = vscode.window.activeTextEditor?.document;
        if (active?.languageId === 'sipflow') return active;
        const visible = vscode.window.visibleTextEditors.map(e => e.document).filter(d => d.languageId === 'sipflow');
        if (visible.length === 1) return visible[0]!;
        void vscode.window.showWarningMessage('SIPflow: open a .sipflow file first.');
        throw new Stopped();
    }

    private async desired(document: vscode.TextDocument, verb: string): Promise<DesiredState> {
        const result = await this.model.load(document);
        if (result.ok) return result.desired;
        this.log.block('error', result.message);
        const first = result.problems[0];
        // No problems listed: the file is valid but there is nothing to build (no integration declared).
        const reason = first ? `${result.problems.length} error${result.problems.length === 1 ? '' : 's'} to fix first (${first.code}: ${first.message}).` : result.message;
        void this.offer(vscode.window.showErrorMessage(`SIPflow: cannot ${verb} ${fileName(document.uri)}: ${reason}`, 'Show Problems'), {
            'Show Problems': 'workbench.actions.view.problems',
        });
        throw new Stopped();
    }

    private async withSession<T>(scope: SynthflowScope, signal: AbortSignal, fn: (session: VendorConnection) => Promise<T>): Promise<T> {
        const session = await this.connections.open(scope, signal);
        try {
            return await fn(session);
        } finally {
            session.close();
        }
    }

    private withProgress<T>(title: string, fn: (progress: Progress, signal: AbortSignal) => Promise<T>): Promise<T> {
        return Promise.resolve(
            vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
                const abort = new AbortController();
                const sub = token.onCancellationRequested(() => {
                    this.log.warn(`${title}: cancelled by the user.`);
                    abort.abort();
                });
                return fn(progress, abort.signal).finally(() => sub.dispose());
            }),
        );
    }

    /** Runs a command, turning every failure into one clear (redacted) message. Returns undefined after one. */
    private async guard<T>(fn: () => Promise<T>): Promise<T | undefined> {
        try {
            return await fn();
        } catch (e) {
            if (e instanceof Stopped) return undefined;
            const message = this.message(e);
            this.log.error(message);
            if (e instanceof MissingCredentialsError) {
                void this.offer(vscode.window.showErrorMessage(`SIPflow: ${message}`, 'Set API Credentials', 'Use Sandbox'), {
                    'Set API Credentials': 'sipflow.setCredentials',
                    'Use Sandbox': 'sipflow.useSandbox',
                });
            } else {
                void this.offer(vscode.window.showErrorMessage(`SIPflow: ${message}`, 'Show Log'), { 'Show Log': () => this.log.show() });
            }
            return undefined;
        }
    }

    private message(e: unknown): string {
        if (e instanceof ProviderError) return this.log.redact(`${e.message}${e.status ? ` (HTTP ${e.status})` : ''}`);
        if (e instanceof PlanConflictError) return this.log.redact(e.message);
        return this.log.redact(e instanceof Error ? e.message : String(e));
    }

    private async offer(choice: Thenable<string | undefined>, actions: Record<string, string | (() => unknown)>): Promise<void> {
        const picked = await choice;
        const action = picked ? actions[picked] : undefined;
        if (typeof action === 'string') await vscode.commands.executeCommand(action);
        else if (action) await action();
    }
}

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * How long VS Code keeps a progress notification open at the least, plus a margin for the extension
 * host ⇄ workbench round trip. The rule, in ProgressService.withNotificationProgress
 * (src/vs/workbench/services/progress/browser/progressService.ts; in code-server 4.139.1's
 * out/vs/code/browser/workbench/workbench.js): `typeof options.delay === 'number' && options.delay > 0
 * ? await task.promise : await Promise.all([timeout(800), task.promise])`, then `notification.close()`.
 * An extension's withProgress passes no `delay`, so the toast closes 800 ms after it opened at the
 * earliest, however soon its work ends; test/vscode/suite/apply-ui.test.ts checks the modal has none behind it.
 */
const NOTIFICATION_MIN_VISIBLE_MS = 900;

function delay(ms: number): Promise<void> {
    return ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve();
}

function checklistCounts(checklist: Checklist): ChecklistCounts {
    const { verified, failed, unverifiable } = checklist.counts;
    return { steps: checklist.items.length, verified, failed, unverifiable, notChecked: checklist.counts['not-checked'] };
}

function verbOf(result: ApplyResult): string {
    return result.status === 'cancelled' ? 'cancelled' : result.ok ? 'applied' : 'partly applied';
}

function fileName(uri: vscode.Uri): string {
    return uri.path.split('/').pop() || uri.toString();
}
