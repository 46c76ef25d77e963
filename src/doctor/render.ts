import type { Styles } from '../text/styles.js';
import type { DoctorReport, Verdict } from './probes.js';

const MARK: Record<Verdict, string> = { confirmed: '✓', contradicted: '✗', unknown: '?' };

/** One line per probe: mark, verdict, what it checks, then what was read, indented. */
export function renderDoctorText(report: DoctorReport, styles: Styles): string {
    const colour: Record<Verdict, (text: string) => string> = { confirmed: styles.green, contradicted: styles.red, unknown: styles.yellow };
    const lines = [styles.bold(`sipflow doctor: integration ${report.integration}${report.writeProbes ? ' (with write probes)' : ' (read-only)'}`)];
    for (const f of report.findings) {
        lines.push(`${colour[f.verdict](`${MARK[f.verdict]} ${f.verdict.padEnd(12)}`)} ${f.probe}: ${f.title}${f.assumption ? styles.dim(` [${f.assumption}]`) : ''}`);
        lines.push(`    ${f.read}`);
    }
    for (const problem of report.problems) lines.push(styles.red(`! ${problem}`));
    const { confirmed, contradicted, unknown } = report.counts;
    lines.push(
        `${confirmed} confirmed, ${contradicted} contradicted, ${unknown} unknown${report.problems.length > 0 ? `, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}` : ''}`,
    );
    return lines.join('\n');
}
