import { Cancellation, delayNextTick, interruptAndCheck } from 'langium';

/**
 * A turn of the event loop, then Langium's cancellation check; the linker and the block-by-block validation
 * call it every so many nodes. A turn, not a microtask: a request that only needs the document's scopes
 * (completion) is read and answered in full during it, instead of advancing one await per check (Langium's
 * interruptAndCheck yields a turn only every 10 ms). ~80 turns per link at 10,000 departments: well under a
 * millisecond.
 */
export async function yieldToRequests(cancelToken: Cancellation.CancellationToken): Promise<void> {
    if (cancelToken === Cancellation.CancellationToken.None) return;
    await delayNextTick();
    await interruptAndCheck(cancelToken);
}
