import type { AstNode, DiagnosticInfo, ValidationAcceptor } from 'langium';
import { DIAGNOSTICS, type DiagnosticCode } from '../diagnostic-codes.js';

/** What code actions need to know about a diagnostic, carried in its LSP `data`. */
export interface SipflowDiagnosticData {
    readonly code: DiagnosticCode;
    /** A replacement text the quick fix can insert (canonical DID, SIP URI, …). */
    readonly replacement?: string;
    /** Values the quick fix adds (missing allowlist IPs). */
    readonly values?: readonly string[];
    /** A name the quick fix uses (the queue to create). */
    readonly name?: string;
    /** The environments a finding holds in (only findings of an environment's configuration carry it). */
    readonly environments?: readonly string[];
}

/** Reports a diagnostic with the severity fixed for its code in DIAGNOSTICS. */
export function report<N extends AstNode>(
    accept: ValidationAcceptor,
    code: DiagnosticCode,
    message: string,
    info: Omit<DiagnosticInfo<N>, 'code' | 'data'>,
    data: Omit<SipflowDiagnosticData, 'code'> = {},
): void {
    accept(DIAGNOSTICS[code], message, { ...info, code, data: { code, ...data } } as DiagnosticInfo<N>);
}
