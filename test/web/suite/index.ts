// The web suite's entry (extensionTestsPath in VS Code for the web): mocha's browser build in the web
// extension host (a web worker). Report lines carry a prefix so that the launcher can pick them out of
// the workbench's own console output, and the last one is a JSON summary.
import 'mocha/mocha.js';

export const REPORT_PREFIX = '[sipflow-web] ';

interface BrowserMocha {
    setup(options: { ui: string; reporter: string; timeout: number; color: boolean }): void;
    run(done: (failures: number) => void): { stats?: { passes: number; failures: number; pending: number } };
}
declare const mocha: BrowserMocha;
/** The browser build's class, whose reporters the instance uses. */
declare const Mocha: { reporters: { Base: { consoleLog: (...args: unknown[]) => void } } };

export function run(): Promise<void> {
    const log = (...args: unknown[]) => console.log(REPORT_PREFIX + args.map(a => String(a)).join(' '));
    mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60_000, color: false });
    Mocha.reporters.Base.consoleLog = (format: unknown, ...args: unknown[]) => {
        let i = 0;
        const text = String(format ?? '').replace(/%[sdio]/g, () => String(args[i++]));
        for (const line of text.split('\n')) log(line);
        if (i < args.length) log(args.slice(i).map(String).join(' '));
    };
    // The tests register with the globals mocha.setup defined, so they are loaded only now.
    require('./web.test.js');
    return new Promise((resolve, reject) => {
        const runner = mocha.run(failures => {
            const s = runner.stats ?? { passes: 0, failures, pending: 0 };
            log(`__SIPFLOW_SUMMARY__ ${JSON.stringify({ passed: s.passes, failed: s.failures, pending: s.pending })}`);
            if (failures > 0) reject(new Error(`${failures} tests failed.`));
            else resolve();
        });
    });
}

declare const require: (id: string) => unknown;
