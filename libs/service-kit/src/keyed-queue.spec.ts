import { createKeyedQueue } from './keyed-queue';

describe('createKeyedQueue', () => {
  it('runs one key in submission order, other keys alongside, and survives a failing task', async () => {
    const q = createKeyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = q.run('a', async () => {
      await gate;
      log.push('a1');
    });
    const a2 = q.run('a', async () => {
      log.push('a2');
      throw new Error('boom');
    });
    const a3 = q.run('a', async () => void log.push('a3'));
    await q.run('b', async () => void log.push('b1'));
    expect(log).toEqual(['b1']);
    release();
    await a1;
    await expect(a2).rejects.toThrow('boom');
    await a3;
    await q.idle();
    expect(log).toEqual(['b1', 'a1', 'a2', 'a3']);
  });
});
