/**
 * Group commit: calls that arrive while a batch is being written wait and go together in the next
 * one. One statement for many rows costs the database about what one row does, so under a burst
 * (200 people pressing a button at once) the rows keep up, and a lone call goes at once, as before.
 *
 * If a batch of several fails, each call is tried again on its own: one row the database refuses
 * must not fail the others with it. Unless the failure says each would fail the same way (the
 * database is gone): then all fail at once, rather than one after another, each after a wait.
 */
export function createBatcher<In, Out>(
  write: (items: readonly In[]) => Promise<readonly Out[]>,
  options: { readonly max: number; readonly failsAll?: (error: unknown) => boolean },
): (item: In) => Promise<Out> {
  interface Waiting {
    readonly item: In;
    resolve(out: Out): void;
    reject(error: unknown): void;
  }
  let waiting: Waiting[] = [];
  let writing = false;

  const settle = async (batch: readonly Waiting[]) => {
    const outs = await write(batch.map((w) => w.item));
    if (outs.length !== batch.length)
      throw new Error(`a batch of ${batch.length} gave ${outs.length} answers`);
    for (const [i, w] of batch.entries()) w.resolve(outs[i] as Out);
  };

  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, options.max);
      waiting = waiting.slice(batch.length);
      try {
        await settle(batch);
      } catch (error) {
        if (batch.length === 1 || options.failsAll?.(error)) for (const one of batch) one.reject(error);
        else for (const one of batch) await settle([one]).catch((e: unknown) => one.reject(e));
      }
    }
    writing = false;
  }

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
