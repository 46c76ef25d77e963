/**
 * Redaction: every string a provider lets out (error messages, log lines) passes through a
 * Redactor that knows the API key and every write-only secret (trunk passwords) seen so far.
 * This is the second line of defence; the first is never putting headers or bodies in messages.
 */
export const REDACTED = '[REDACTED]';

export class Redactor {
    private readonly secrets = new Set<string>();

    constructor(secrets: Iterable<string | undefined> = []) {
        for (const secret of secrets) this.add(secret);
    }

    add(secret: string | undefined): void {
        if (secret === undefined) return;
        const trimmed = secret.trim();
        if (trimmed.length === 0) return;
        this.secrets.add(secret);
        if (trimmed !== secret) this.secrets.add(trimmed);
        // How the value would look once URL- or JSON-encoded, in case a server echoes it that way.
        this.secrets.add(encodeURIComponent(trimmed));
        this.secrets.add(JSON.stringify(trimmed).slice(1, -1));
    }

    redact(text: string): string {
        let out = text;
        // Longest first, so a secret containing another is replaced whole.
        for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
            if (secret.length > 0 && out.includes(secret)) out = out.split(secret).join(REDACTED);
        }
        return out;
    }
}
