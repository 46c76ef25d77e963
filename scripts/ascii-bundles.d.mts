// Types of ascii-bundles.mjs (plain JavaScript so that esbuild.mjs can import it on any supported Node).

/** `source` with every comment made ASCII, same length; throws, naming file, line and column, on non-ASCII outside a comment. */
export function asciiComments(source: string, options?: { fileName?: string; sourceType?: 'script' | 'module' }): string;

/** Rewrites every .cjs/.js/.mjs bundle directly in `directory` in place; returns the files changed. */
export function asciiBundles(directory: string): string[];
