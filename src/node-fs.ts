import { createRequire } from 'node:module';
import type { Dirent, Stats } from 'node:fs';

/**
 * node:fs loaded with require, not import. An ES import of node:fs makes Node build the module's ES
 * facade, which reads every export, `fs.promises` included, and so loads fs/promises with readline and
 * REPL history behind it (~2 ms of every CLI start; the CommonJS peer a user would script pays none of
 * it). `fs.promises` stays a lazy getter here: nothing on the CLI's path touches it.
 * test/cli/lazy-loading.test.ts checks that validate loads neither.
 */
export const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');

/** fs.stat as a promise, without fs/promises. */
export function stat(path: string): Promise<Stats> {
    return new Promise((resolve, reject) => fs.stat(path, (error, stats) => (error ? reject(error) : resolve(stats))));
}

/** fs.readFile as UTF-8 text, without fs/promises. */
export function readTextFile(path: string): Promise<string> {
    return new Promise((resolve, reject) => fs.readFile(path, 'utf8', (error, text) => (error ? reject(error) : resolve(text))));
}

/** fs.readdir with file types, without fs/promises. */
export function readDirectoryEntries(path: string): Promise<Dirent[]> {
    return new Promise((resolve, reject) => fs.readdir(path, { withFileTypes: true }, (error, entries) => (error ? reject(error) : resolve(entries))));
}
