import { createRequire } from 'node:module';

/**
 * Above this much input, the CLI keeps V8's young generation from growing. Parsing a large file allocates
 * mostly short-lived objects; V8 otherwise doubles the young generation as they arrive, and validate of
 * 10,000 departments (2 MB) peaks at ~300 MB RSS instead of ~180 MB, and is no faster (1,000 departments,
 * 200 KB: a little slower). Below it the flag buys nothing, and loading node:v8 for it costs ~6 ms of a
 * ~260 ms process.
 */
export const LARGE_INPUT_BYTES = 64 * 1024;

const requireBuiltin = createRequire(import.meta.url);
let keptSmall = false;

/** Call before reading each file with its size; sets the flag once the inputs together pass LARGE_INPUT_BYTES. */
export function noteInputSize(total: number): void {
    if (keptSmall || total <= LARGE_INPUT_BYTES) return;
    keptSmall = true;
    (requireBuiltin('node:v8') as typeof import('node:v8')).setFlagsFromString('--semi-space-growth-factor=1');
}
