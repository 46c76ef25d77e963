/** The sandbox state on disk (`--state FILE`): loaded once, rewritten atomically after every change. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { seedState, type SeedName } from './seed.js';
import { checkState, type SandboxState } from './state.js';

/** The state in `path` if it exists, else the seed (written to `path` when given). */
export function loadState(path: string | undefined, seed: SeedName): SandboxState {
    if (path && existsSync(path)) {
        let parsed: unknown;
        try {
            parsed = JSON.parse(readFileSync(path, 'utf8'));
        } catch (error) {
            throw new Error(`cannot read the sandbox state file ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        return checkState(parsed, path);
    }
    const state = seedState(seed);
    if (path) writeStateFile(path, state);
    return state;
}

/** Write to a temporary file, then rename: a reader never sees half a state. */
export function writeStateFile(path: string, state: SandboxState): void {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, path);
}

/** A Dixa organization's subdomain is a DNS label; anything else would not be a state Dixa can be in. */
export function checkSubdomain(subdomain: string): string {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(subdomain))
        throw new Error(`the Dixa organization subdomain must be a DNS label (letters, digits, inner dashes), got "${subdomain}"`);
    return subdomain;
}
