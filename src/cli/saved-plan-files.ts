/**
 * Where a saved plan's `.sipflow` files are. A plan stores them relative to its own folder, so that a
 * plan made in one checkout applies in another checkout of the same commit; and it may only name files
 * inside its checkout (the nearest folder above it holding `.git`, else its own folder), so that an
 * edited plan cannot make apply read integrations from elsewhere on the machine.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CurrentSources } from '../apply/index.js';
import type { DesiredState } from '../model/index.js';
import { parsePlanJson, PlanFormatError, type SavedPlan, type SavedPlanSource } from '../plan/index.js';
import { UsageError, type Styles } from './cli-support.js';
import { CommandError, loadIntegration } from './vendor-session.js';
import { SIPFLOW_EXTENSION } from './workspace.js';

/** The checkout a plan file belongs to: the nearest folder at or above `folder` with a `.git`, else `folder`. */
export async function checkoutRoot(folder: string): Promise<string> {
    let current = path.resolve(folder);
    for (;;) {
        if (
            await stat(path.join(current, '.git')).then(
                () => true,
                () => false,
            )
        )
            return current;
        const parent = path.dirname(current);
        if (parent === current) return path.resolve(folder);
        current = parent;
    }
}

function isInside(root: string, target: string): boolean {
    const relative = path.relative(root, target);
    return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The desired state's files as a plan saved in `planFolder` stores them: relative, `/`-separated. */
export function sourcesRelativeTo(desired: DesiredState, planFolder: string): SavedPlanSource[] {
    return desired.sources.map(source => ({
        path: path.relative(path.resolve(planFolder), fileURLToPath(source.uri)).split(path.sep).join('/'),
        sha256: source.sha256,
    }));
}

/** For `plan --out`: the sources relative to the plan file; refused when they are outside its checkout. */
export async function sourcesForPlanFile(desired: DesiredState, planFile: string): Promise<SavedPlanSource[]> {
    const folder = path.dirname(path.resolve(planFile));
    const root = await checkoutRoot(folder);
    const outside = desired.sources.map(s => fileURLToPath(s.uri)).filter(file => !isInside(root, file));
    if (outside.length > 0) {
        throw new UsageError(`${planFile}: save the plan inside the checkout of its .sipflow files (${outside.join(', ')} is outside ${root}), so that it can be applied`);
    }
    return sourcesRelativeTo(desired, folder);
}

/**
 * Reads a saved plan and checks it (schema, content hash, dependencies): no source file is read. A file
 * that cannot be read is a UsageError; a malformed or edited one is `refuse(reason)`.
 */
export async function readSavedPlanFile(
    planFile: string,
    refuse: (reason: string) => Error = reason => new CommandError(`${planFile}: ${reason.replace(/\.$/, '')}.`),
): Promise<SavedPlan> {
    const text = await readFile(planFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`${planFile}: cannot read (${error.code ?? error.message})`);
    });
    try {
        return parsePlanJson(text);
    } catch (error) {
        if (error instanceof PlanFormatError) throw refuse(error.message);
        throw error;
    }
}

export interface LoadedSavedPlan extends CurrentSources {
    readonly saved: SavedPlan;
}

/**
 * Reads and checks a saved plan (schema, content hash, dependencies), then loads the integration from
 * the files it names, as they are now. Every refusal is one line (CommandError, exit 1) and comes
 * before any request.
 */
export async function loadSavedPlan(planFile: string, out: { write(text: string): unknown }, styles: Styles): Promise<LoadedSavedPlan> {
    const refuse = (reason: string) => new CommandError(`${planFile}: ${reason.replace(/\.$/, '')}: nothing was applied.`);
    const saved = await readSavedPlanFile(planFile, refuse);
    return { saved, ...(await loadSavedPlanSources(planFile, saved, refuse, out, styles)) };
}

/**
 * The integration of a checked saved plan, loaded from the files it names as they are now: each must be
 * a relative `.sipflow` path inside the plan's checkout (symbolic links followed). Refusals are `refuse(reason)`.
 */
export async function loadSavedPlanSources(
    planFile: string,
    saved: SavedPlan,
    refuse: (reason: string) => Error,
    out: { write(text: string): unknown },
    styles: Styles,
): Promise<CurrentSources> {
    const folder = path.dirname(path.resolve(planFile));
    const root = await checkoutRoot(folder);
    const realRoot = await realpath(root);
    const files: string[] = [];
    for (const source of saved.sources) {
        const shown = JSON.stringify(source.path).slice(0, 120);
        if (path.posix.isAbsolute(source.path) || path.win32.isAbsolute(source.path) || source.path.includes('\\')) {
            throw refuse(`source ${shown} is not a relative path`);
        }
        const file = path.resolve(folder, source.path);
        if (!isInside(root, file)) throw refuse(`source ${shown} is outside the plan's checkout (${root})`);
        if (!file.endsWith(SIPFLOW_EXTENSION)) throw refuse(`source ${shown} is not a ${SIPFLOW_EXTENSION} file`);
        // Through symbolic links too: the file itself must be in the checkout.
        const real = await realpath(file).catch(() => undefined);
        if (real === undefined) throw refuse(`its source file ${shown} cannot be read (make a new plan)`);
        if (!isInside(realRoot, real)) throw refuse(`source ${shown} links outside the plan's checkout (${root})`);
        files.push(file);
    }
    const main = path.relative(process.cwd(), files[0]!) || files[0]!;
    const { desired } = await loadIntegration(main, out, styles, { env: saved.environment ?? undefined });
    return { desired, sources: sourcesRelativeTo(desired, folder) };
}
