import { describe, expect, it } from 'vitest';
import { WakeableLoop } from './background.ts';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A loop whose passes wait until released, counting how many run at once. */
function gatedLoop(maxPasses: number) {
  const gates: (() => void)[] = [];
  const seen = { started: 0, most: 0, now: 0 };
  const loop = new WakeableLoop(
    async () => {
      seen.started++;
      seen.now++;
      seen.most = Math.max(seen.most, seen.now);
      await new Promise<void>((r) => gates.push(r));
      seen.now--;
    },
    () => 60_000,
    () => undefined,
    maxPasses,
  );
  const releaseAll = () => gates.splice(0).forEach((g) => g());
  return { loop, seen, releaseAll };
}

describe('WakeableLoop', () => {
  it('never overlaps by default: wakes during a pass make one pass after it', async () => {
    const { loop, seen, releaseAll } = gatedLoop(1);
    loop.start();
    await tick();
    for (let i = 0; i < 5; i++) loop.wake();
    await tick();
    expect(seen).toMatchObject({ started: 1, most: 1 });
    releaseAll();
    await tick();
    expect(seen.started).toBe(2);
    releaseAll();
    await loop.stop();
    expect(seen.most).toBe(1);
  });

  it('with maxPasses, a wake during a pass starts another beside it, up to the limit', async () => {
    const { loop, seen, releaseAll } = gatedLoop(3);
    loop.start();
    await tick();
    for (let i = 0; i < 5; i++) {
      loop.wake();
      await tick();
    }
    expect(seen).toMatchObject({ started: 3, most: 3 });
    releaseAll();
    await tick();
    expect(seen.started).toBe(4); // the wakes refused at the limit ask for one more pass
    releaseAll();
    await loop.stop();
  });
});
