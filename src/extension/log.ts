import * as vscode from 'vscode';
import { Redactor } from '../providers/http/redact.js';

/**
 * Patterns redacted whatever the known secrets are: credentials that travel in headers or query
 * strings, should a vendor ever echo one back in an error body.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
    /(authorization\s*[:=]\s*)("?)(?:bearer\s+)?[^\s",}]+/gi,
    /(\bbearer\s+)()[A-Za-z0-9._~+/=-]{8,}/gi,
    /((?:api[_-]?key|token|password|trunk_pwd|secret)\s*["']?\s*[:=]\s*)(["']?)[^\s"',}]+/gi,
];

/**
 * The "SIPflow" log output channel. Every line passes through a redactor that knows each secret value
 * the extension has handled (API keys, `env:` secrets from SecretStorage) and the patterns above, so a
 * secret never reaches the channel. The redacted lines are also kept in memory (the last 2 000) for the
 * extension's test API.
 */
export class ExtensionLog implements vscode.Disposable {
    private readonly channel: vscode.LogOutputChannel;
    private readonly redactor = new Redactor();
    private readonly recent: string[] = [];

    constructor(name = 'SIPflow') {
        this.channel = vscode.window.createOutputChannel(name, { log: true });
    }

    /** Registers a secret value: from now on it is replaced by [REDACTED] wherever it would appear. */
    addSecret(value: string | undefined): void {
        this.redactor.add(value);
    }

    redact(text: string): string {
        let out = this.redactor.redact(text);
        for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, (_m, prefix: string, quote: string) => `${prefix}${quote}[REDACTED]`);
        return out;
    }

    info(message: string): void {
        this.write('info', message);
    }
    warn(message: string): void {
        this.write('warn', message);
    }
    error(message: string | Error): void {
        this.write('error', message instanceof Error ? message.message : message);
    }
    debug(message: string): void {
        this.write('debug', message);
    }

    /** Writes a multi-line block (a rendered plan or result) as separate lines. */
    block(level: 'info' | 'warn' | 'error', text: string): void {
        for (const line of text.replace(/\n$/, '').split('\n')) this.write(level, line);
    }

    show(): void {
        this.channel.show(true);
    }

    /** The redacted lines written so far (most recent last). */
    lines(): readonly string[] {
        return this.recent;
    }

    private write(level: 'info' | 'warn' | 'error' | 'debug', message: string): void {
        const safe = this.redact(message);
        this.recent.push(`${new Date().toISOString()} [${level}] ${safe}`);
        if (this.recent.length > 2000) this.recent.splice(0, this.recent.length - 2000);
        this.channel[level](safe);
    }

    dispose(): void {
        this.channel.dispose();
    }
}
