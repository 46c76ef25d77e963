/**
 * Per-key mutual exclusion inside one apply run. Steps that read-modify-write an assistant's number or
 * action list hold that assistant's lock, so two steps of the same run never overwrite each other's
 * change. Keys are taken in sorted order, so steps needing several never deadlock.
 */
export class KeyedLocks {
    private readonly tails = new Map<string, Promise<void>>();

    async acquire(keys: readonly string[]): Promise<() => void> {
        const releases: Array<() => void> = [];
        for (const key of [...new Set(keys)].sort()) {
            const previous = this.tails.get(key) ?? Promise.resolve();
            let release!: () => void;
            const held = new Promise<void>(resolve => {
                release = resolve;
            });
            const tail = previous.then(() => held);
            this.tails.set(key, tail);
            await previous;
            releases.push(() => {
                release();
                if (this.tails.get(key) === tail) this.tails.delete(key);
            });
        }
        let released = false;
        return () => {
            if (released) return;
            released = true;
            for (const release of releases.reverse()) release();
        };
    }
}
