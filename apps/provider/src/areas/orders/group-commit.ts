/**
 * Group commit for single-row writes: a write that arrives while fewer than `maxInFlight`
 * statements run goes at once (no added latency when idle); writes that arrive meanwhile wait and
 * go together in the next statement. Under load an order's two writes then cost a share of a
 * statement each instead of a round trip each; on this machine a socket write is the most
 * expensive thing an order does.
 *
 * `write` receives the batch and answers one result per item, in order. When a batch of several
 * fails, each item is tried alone, so one bad row never fails the writes that shared its batch.
 */
export interface GroupCommitOptions<T, R> {
  write: (items: readonly T[]) => Promise<readonly R[]>;
  maxBatch?: number;
  maxInFlight?: number;
  /**
   * When set, a write that finds nothing in flight waits for this (e.g. `setImmediate`) before it
   * goes, so the writes of every request read in the same turn of the event loop share it. For an
   * embedded database (PGlite) whose statements run on this thread: one order's whole chain of
   * promises then runs before the next request is even read, so nothing would ever wait to be
   * grouped, and each statement's fixed cost is paid once per order.
   */
  defer?: (run: () => void) => void;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export function createGroupCommit<T, R>(options: GroupCommitOptions<T, R>): (item: T) => Promise<R> {
  const maxBatch = options.maxBatch ?? 256;
  const maxInFlight = options.maxInFlight ?? 2;
  let queue: Waiting<T, R>[] = [];
  let inFlight = 0;
  let deferred = false;

  async function run(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await options.write(batch.map((w) => w.item));
      if (results.length !== batch.length)
        throw new Error(`group commit: ${results.length} results for ${batch.length} writes`);
      batch.forEach((w, i) => w.resolve(results[i] as R));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      for (const w of batch) {
        try {
          const [result] = await options.write([w.item]);
          w.resolve(result as R);
        } catch (one) {
          w.reject(one);
        }
      }
    }
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  function submit(): void {
    if (!options.defer || inFlight > 0) {
      pump();
      return;
    }
    if (deferred) return;
    deferred = true;
    options.defer(() => {
      deferred = false;
      pump();
    });
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      submit();
    });
}
