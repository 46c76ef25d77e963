/**
 * `node out/peer.cjs validate FILE.yaml [--parser js-yaml|yaml]`: the benchmark's peer as a whole process,
 * what `sipflow validate FILE.sipflow` is compared with (bench/main.ts). Prints each problem and a count;
 * exit 0 when there are none, 1 otherwise (also for a file it cannot read), like sipflow validate.
 */
import { readFileSync } from 'node:fs';
import { PEER_PARSERS, validatePeerYaml, type PeerParser } from './peer-checks.js';

function main(args: readonly string[]): number {
    let parser: string = 'js-yaml';
    const files: string[] = [];
    const [command, ...rest] = args;
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '--parser') parser = rest[++i] ?? '';
        else files.push(rest[i]);
    }
    if (command !== 'validate' || files.length !== 1 || !(PEER_PARSERS as readonly string[]).includes(parser)) {
        process.stderr.write(`usage: peer validate FILE.yaml [--parser ${PEER_PARSERS.join('|')}]\n`);
        return 1;
    }
    let source: string;
    try {
        source = readFileSync(files[0], 'utf8');
    } catch (error) {
        process.stderr.write(`peer: ${files[0]}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})\n`);
        return 1;
    }
    const problems = validatePeerYaml(source, parser as PeerParser);
    const lines = problems.map(problem => `${files[0]}: ${problem}`);
    lines.push(`${problems.length} problem${problems.length === 1 ? '' : 's'} in 1 file`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return problems.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
