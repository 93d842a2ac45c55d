import { createGroupCommit } from './group-commit';

/** A write whose statements the test finishes by hand, recording each batch. */
function controlledWrite(fail?: (item: number) => boolean) {
  const batches: number[][] = [];
  const open: Array<() => void> = [];
  const write = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push([...items]);
      open.push(() =>
        items.some((i) => fail?.(i))
          ? reject(new Error(`bad row in ${items.join(',')}`))
          : resolve(items.map((i) => i * 10)),
      );
    });
  return { batches, write, finishNext: () => open.shift()?.() };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('sends the first writes at once and the ones that arrive meanwhile together, each answered with its own result', async () => {
    const w = controlledWrite();
    const commit = createGroupCommit({ write: w.write, maxInFlight: 1 });
    const first = commit(1);
    const rest = [commit(2), commit(3), commit(4)];
    expect(w.batches).toEqual([[1]]);
    w.finishNext();
    await settle();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    w.finishNext();
    await expect(first).resolves.toBe(10);
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40]);
  });

  it('with defer, waits for it before a write on an idle connection, so writes of the same turn go together', async () => {
    const w = controlledWrite();
    const turns: Array<() => void> = [];
    const commit = createGroupCommit({ write: w.write, maxInFlight: 1, defer: (run) => turns.push(run) });
    const firstTurn = [commit(1), commit(2)];
    expect(w.batches).toEqual([]);
    expect(turns).toHaveLength(1);
    turns.shift()?.();
    expect(w.batches).toEqual([[1, 2]]);
    // A statement is running: later writes queue behind it as without defer.
    const next = commit(3);
    expect(turns).toHaveLength(0);
    w.finishNext();
    await settle();
    expect(w.batches).toEqual([[1, 2], [3]]);
    w.finishNext();
    await expect(Promise.all([...firstTurn, next])).resolves.toEqual([10, 20, 30]);
  });

  it('caps a batch, and runs up to maxInFlight statements at once', async () => {
    const w = controlledWrite();
    const commit = createGroupCommit({ write: w.write, maxInFlight: 2, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((i) => commit(i));
    expect(w.batches).toEqual([[1], [2]]);
    w.finishNext();
    await settle();
    expect(w.batches).toEqual([[1], [2], [3, 4]]);
    w.finishNext();
    await settle();
    expect(w.batches).toEqual([[1], [2], [3, 4], [5, 6]]);
    w.finishNext();
    w.finishNext();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('tries each write of a failed batch alone, so one bad row fails only itself', async () => {
    const w = controlledWrite((i) => i === 3);
    const commit = createGroupCommit({ write: w.write, maxInFlight: 1 });
    const first = commit(1);
    const rest = [commit(2), commit(3), commit(4)].map((p) =>
      p.then(
        (v) => ({ ok: v }),
        (e: Error) => ({ err: e.message }),
      ),
    );
    w.finishNext();
    await settle();
    w.finishNext(); // [2, 3, 4] fails
    for (let i = 0; i < 3; i++) {
      await settle();
      w.finishNext();
    }
    await expect(first).resolves.toBe(10);
    expect(await Promise.all(rest)).toEqual([{ ok: 20 }, { err: 'bad row in 3' }, { ok: 40 }]);
    expect(w.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});
