import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIPFLOW_FILE_OPENED } from '../../src/extension/context-keys.js';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

interface Step {
    readonly id: string;
    readonly completionEvents?: readonly string[];
    readonly media: { readonly markdown?: string };
}
interface Manifest {
    readonly contributes: {
        readonly walkthroughs: ReadonlyArray<{ readonly id: string; readonly steps: readonly Step[] }>;
        readonly commands: ReadonlyArray<{ readonly command: string }>;
    };
}

const manifest = JSON.parse(readFileSync(root('package.json'), 'utf8')) as Manifest;
const steps = manifest.contributes.walkthroughs.flatMap(walkthrough => walkthrough.steps);

/** The completion events VS Code's walkthroughs know (`onLanguage:` is not one: a step using it never completes). */
const KNOWN_EVENT_KINDS = ['onCommand', 'onLink', 'onView', 'onSettingChanged', 'onContext', 'onExtensionInstalled', 'onStepSelected'];

describe('the walkthrough', () => {
    it('completes its steps only on completion events VS Code knows', () => {
        const events = steps.flatMap(step => (step.completionEvents ?? []).map(event => [step.id, event] as const));
        expect(events.length).toBeGreaterThan(0);
        const unknown = events.filter(([, event]) => !KNOWN_EVENT_KINDS.includes(event.split(':')[0]));
        expect(unknown).toEqual([]);
    });

    it('every step can complete, and on something the extension provides', () => {
        const commands = new Set(manifest.contributes.commands.map(command => command.command));
        for (const step of steps) {
            expect(step.completionEvents?.length, step.id).toBeGreaterThan(0);
            for (const event of step.completionEvents ?? []) {
                const [kind, argument] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
                if (kind === 'onCommand') expect(commands.has(argument), event).toBe(true);
                if (kind === 'onContext') expect(argument, event).toBe(SIPFLOW_FILE_OPENED);
            }
            if (step.media.markdown) expect(existsSync(root(step.media.markdown)), step.media.markdown).toBe(true);
        }
    });

    it('completes "Create the example" when a .sipflow file is open, through the context key the extension sets', () => {
        const create = steps.find(step => step.id === 'createExample');
        expect(create?.completionEvents).toEqual(['onCommand:sipflow.createExample', `onContext:${SIPFLOW_FILE_OPENED}`]);
        // Both the desktop and the web entry set it.
        for (const entry of ['src/extension/main.ts', 'src/extension/browser.ts']) {
            expect(readFileSync(root(entry), 'utf8'), entry).toMatch(/^\s+trackSipflowFileOpened\(context\);$/m);
        }
        expect(readFileSync(root('src/extension/file-opened-context.ts'), 'utf8')).toContain("executeCommand('setContext', SIPFLOW_FILE_OPENED, true)");
    });
});
