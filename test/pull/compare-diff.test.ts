import { describe, expect, it } from 'vitest';
import { changedHunks, unmarkedDifferences } from '../vscode/suite/line-diff.js';

// The rule the code-server suite's "Compare with Live after apply" test applies to the diff it sees.
const FILE = ['integration acme {', '  // the support line', '  department support {', '    timeout 30s', '  }', '}'].join('\n');
const HEADER =
    '// sipflow pull: live state of integration acme, read from Dixa and Synthflow.\n// Checked by itself wherever it is. To adopt it as your configuration, delete the line above.\n';

describe('unmarkedDifferences (Compare with Live after apply)', () => {
    it('allows the pull header and a line marked "not readable" whose code is the file\'s', () => {
        const live = HEADER + FILE.replace('    timeout 30s', '    timeout 30s  // not readable: Dixa has no API for flow steps (kept from the file)');
        expect(changedHunks(live, FILE).length).toBe(2);
        expect(unmarkedDifferences(live, FILE)).toEqual([]);
    });

    it('reports any other difference, on either side', () => {
        const live = HEADER + FILE.replace('  // the support line\n', '').replace('support {', 'sales {');
        expect(unmarkedDifferences(live, FILE)).toEqual(['live:   department sales {', 'file:   // the support line', 'file:   department support {']);
    });

    it("reports a marked line whose value differs from the file's", () => {
        const live = HEADER + FILE.replace('    timeout 30s', '    timeout 45s  // not readable: the recommended value');
        expect(unmarkedDifferences(live, FILE)).toEqual(['file:     timeout 30s']);
    });

    it('allows no header comment lines that do not follow the pull marker', () => {
        expect(unmarkedDifferences(`// hand-written\n${FILE}`, FILE)).toEqual(['live: // hand-written']);
    });
});
