/** Durations as the language writes them: `30s`, `1m`, `500ms`. */

export type DurationCheck = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly reason: string };

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60 };

/** `30s`, `1m`, `500ms` → seconds. */
export function parseDuration(text: string): DurationCheck {
    const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(text);
    if (!match) return { ok: false, reason: `"${text}" is not a duration` };
    const [, amount, unit] = match;
    if (unit === '') return { ok: false, reason: `"${text}" has no unit: write ${amount}s (or ms, m)` };
    const factor = UNIT_SECONDS[unit];
    if (factor === undefined) return { ok: false, reason: `"${unit}" is not a duration unit: use ms, s or m` };
    return { ok: true, seconds: Number(amount) * factor };
}

/** Writes seconds back the way a person would: 30s, 2m, 500ms. */
export function formatDuration(seconds: number): string {
    if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
    if (seconds >= 60 && Number.isInteger(seconds / 60)) return `${seconds / 60}m`;
    return `${seconds}s`;
}
