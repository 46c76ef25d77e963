/**
 * Terminal styling, one implementation for every renderer (plan, apply, checklist, doctor, diagnostics,
 * probe). Colour is on only when the stream is a terminal and NO_COLOR is unset (https://no-color.org);
 * `--no-color` sets NO_COLOR for the run (cli-support.ts addNoColorOption), so that rule is the only one.
 * Depends on nothing, so that pure layers (src/plan, src/checklist) can use it.
 */

export interface Styles {
    readonly bold: (text: string) => string;
    readonly dim: (text: string) => string;
    readonly red: (text: string) => string;
    readonly green: (text: string) => string;
    readonly yellow: (text: string) => string;
    readonly blue: (text: string) => string;
    readonly cyan: (text: string) => string;
}

/** Whether output to this stream may be coloured: a terminal, and NO_COLOR unset or empty. */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
    // NO_COLOR first: asking a stream whether it is a terminal may create it (src/cli/output.ts).
    return !env.NO_COLOR && stream.isTTY === true;
}

/** ANSI styles when `color`, else styles that return the text unchanged. */
export function styles(color: boolean): Styles {
    const style = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
    return {
        bold: style(1, 22),
        dim: style(2, 22),
        red: style(31, 39),
        green: style(32, 39),
        yellow: style(33, 39),
        blue: style(34, 39),
        cyan: style(36, 39),
    };
}

/** No colour: what a renderer uses when it is given none. */
export const PLAIN_STYLES: Styles = styles(false);

/** The styles for output to `stream` under the rules above. */
export function stylesFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Styles {
    return styles(colorEnabled(stream, env));
}

/** What a renderer's options say about colour: `styles` if given, else ANSI when `color` is true, else none. */
export interface StyleOptions {
    readonly styles?: Styles;
    /** ANSI colours (the caller has checked colorEnabled). */
    readonly color?: boolean;
}

export function stylesOf(options: StyleOptions): Styles {
    return options.styles ?? (options.color === true ? styles(true) : PLAIN_STYLES);
}
