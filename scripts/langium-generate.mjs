// Runs `langium generate`, folding its "multiple assignments" warnings into one line: the grammar lets a
// block's settings come in any order (`(… | …)*`), so Langium warns that a setting could be written twice.
// That is intended — the validator reports a repeated setting as `setting-duplicate` — and the warnings
// would otherwise bury real ones in every build log. Every other line, and the exit code, pass through.
// Then, when generation succeeded, scripts/token-table.mjs writes the grammar's token table next to its output.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../node_modules/langium-cli/bin/langium.js', import.meta.url));
const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], { encoding: 'utf8' });
const intended = /Found multiple assignments to '.*' with the '=' assignment operator/;
let folded = 0;
for (const [stream, text] of [
    [process.stdout, result.stdout],
    [process.stderr, result.stderr],
]) {
    const lines = (text ?? '').split('\n').filter(line => {
        if (intended.test(line)) {
            folded++;
            return false;
        }
        return true;
    });
    stream.write(lines.join('\n'));
}
if (folded > 0) process.stdout.write(`(${folded} intended "multiple assignments" warnings folded: settings may come in any order; repeats are reported as setting-duplicate)\n`);
process.exitCode = result.status ?? 1;
if (result.status === 0) await import('./token-table.mjs');
