/**
 * The environment names a `.sipflow` text declares (`environment NAME {`), for the status bar and the
 * picker, which run on every keystroke: a scan without comments and strings instead of a parse. The
 * language (src/language/environments.ts) stays the judge when a plan is built.
 */
export function declaredEnvironments(text: string): string[] {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n\r]*|"(?:\\.|[^"\\\r\n])*"/g, match => ' '.repeat(match.length));
    const names = new Set<string>();
    for (const match of code.matchAll(/(?<![\w-])environment\s+([_a-zA-Z]\w*)\s*\{/g)) names.add(match[1]!);
    return [...names].sort();
}
