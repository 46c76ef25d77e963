import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/**
 * Entry point VS Code's extension host calls (`extensionTestsPath`): runs every *.test.cjs next to this
 * file with mocha's spec reporter. The report goes to the console (the Electron launcher shows it) and,
 * when SIPFLOW_E2E_REPORT names a file, to that file too (the code-server launcher streams it, because
 * the browser workbench mixes the extension host's console with its own logs). The last line of that
 * file is a JSON summary for the launcher.
 */
export async function run(): Promise<void> {
    const reportFile = process.env.SIPFLOW_E2E_REPORT;
    const write = (text: string) => {
        if (reportFile) fs.appendFileSync(reportFile, text);
    };
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const consoleLog = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => {
        write(`${format(...args)}\n`);
        consoleLog(...args);
    };

    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
    if (process.env.SIPFLOW_E2E_GREP) mocha.grep(process.env.SIPFLOW_E2E_GREP);
    const dir = __dirname;
    for (const f of fs
        .readdirSync(dir)
        .filter(f => f.endsWith('.test.cjs'))
        .sort())
        mocha.addFile(path.join(dir, f));
    await new Promise<void>((resolve, reject) => {
        const runner = mocha.run(failures => {
            const s = runner.stats ?? { passes: 0, failures, pending: 0 };
            write(`__SIPFLOW_SUMMARY__ ${JSON.stringify({ passed: s.passes, failed: s.failures, pending: s.pending })}\n`);
            if (failures > 0) reject(new Error(`${failures} tests failed.`));
            else resolve();
        });
    });
}
