import { createRequire } from 'node:module';
import { fs } from '../node-fs.js';

/**
 * CLI output that does not build Node's stdout and stderr streams unless something asks for them. Node
 * creates `process.stdout` on first use, and for a pipe (CI, an editor, `| head`) that is a net.Socket:
 * loading net, stream and tty costs ~4 ms of a ~130 ms `validate`, which writes its report once at the
 * end and needs none of it. `installOutput` (first thing in main.ts) makes the streams lazy; `write` then
 * writes straight to the file descriptor while no stream exists, and through the stream once one does, so
 * that output keeps its order. On Windows the streams are always used: they translate for the console.
 */
export type Channel = 'stdout' | 'stderr';

const FILE_DESCRIPTORS: Readonly<Record<Channel, number>> = { stdout: 1, stderr: 2 };

interface ChannelState {
    /** installOutput ran and Node has not created the stream yet: `write` goes to the descriptor. */
    direct: boolean;
    /** The reader went away (EPIPE): later writes are dropped. */
    closed: boolean;
}

const channels: Record<Channel, ChannelState> = {
    stdout: { direct: false, closed: false },
    stderr: { direct: false, closed: false },
};

const requireBuiltin = createRequire(import.meta.url);

/**
 * Makes process.stdout and process.stderr lazy (see above) and mutes them once their reader is gone: a
 * reader that goes away (`sipflow plan … | head -1`) closes the pipe, and writing then fails with EPIPE,
 * which Node raises as an unhandled 'error' event with a stack trace. Instead the closed channel is muted
 * and the command runs to its end (an apply in progress is not cut short), exiting as it would have.
 */
export function installOutput(): void {
    for (const channel of ['stdout', 'stderr'] as const) {
        const descriptor = Object.getOwnPropertyDescriptor(process, channel);
        const create = descriptor?.get;
        if (process.platform === 'win32' || !create || descriptor.configurable !== true) {
            muteClosedPipe(process[channel], channel);
            continue;
        }
        let stream: NodeJS.WriteStream | undefined;
        Object.defineProperty(process, channel, {
            configurable: true,
            enumerable: descriptor.enumerable,
            get(): NodeJS.WriteStream {
                if (!stream) {
                    stream = create.call(process) as NodeJS.WriteStream;
                    channels[channel].direct = false;
                    muteClosedPipe(stream, channel);
                }
                return stream;
            },
        });
        channels[channel].direct = true;
    }
}

function muteClosedPipe(stream: NodeJS.WriteStream, channel: Channel): void {
    stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        channels[channel].closed = true;
        // Later writes are dropped: the reader is gone. Callbacks still run, so awaiting code goes on.
        stream.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) => {
            const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
            if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
            return true;
        }) as typeof stream.write;
    });
}

/** Writes `text` to the channel, synchronously while no stream exists (see above). */
export function write(channel: Channel, text: string): void {
    const state = channels[channel];
    if (state.closed) return;
    if (!state.direct) {
        process[channel].write(text);
        return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    try {
        while (offset < bytes.length) offset += fs.writeSync(FILE_DESCRIPTORS[channel], bytes, offset);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
            state.closed = true;
            return;
        }
        // A non-blocking descriptor (inherited so) that is full: the stream waits for it to drain.
        if (code === 'EAGAIN') {
            process[channel].write(bytes.subarray(offset));
            return;
        }
        throw error;
    }
}

/** Is the channel a terminal? Asked without creating the stream (node:tty is loaded only then). */
export function isTerminal(channel: Channel): boolean {
    if (!channels[channel].direct) return process[channel].isTTY === true;
    return (requireBuiltin('node:tty') as typeof import('node:tty')).isatty(FILE_DESCRIPTORS[channel]);
}

/** For colorEnabled/stylesFor: a channel's terminal-ness, asked only when NO_COLOR leaves the answer open. */
export function terminalOf(channel: Channel): { readonly isTTY: boolean } {
    return {
        get isTTY() {
            return isTerminal(channel);
        },
    };
}
