import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService } from './tokens.ts';

describe('TokenService', () => {
  afterEach(() => vi.useRealTimers());

  it('remembers a checked token, but still refuses it once expired or revoked', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T08:00:00Z'), toFake: ['Date'] });
    const tokens = new TokenService('a-secret-of-enough-length', 60);
    const { token } = await tokens.issue('ann', ['operator'], {});
    expect((await tokens.verify(token)).username).toBe('ann');
    expect((await tokens.verify(token)).roles).toEqual(['operator']); // from memory now

    let revoked = false;
    tokens.guard = { accepts: () => !revoked };
    revoked = true;
    await expect(tokens.verify(token)).rejects.toThrow(/revoked/);
    revoked = false;

    vi.setSystemTime(new Date('2026-11-26T08:01:01Z'));
    await expect(tokens.verify(token)).rejects.toThrow(/exp/);
  });

  it('refuses a token signed with another key or altered', async () => {
    const mine = new TokenService('a-secret-of-enough-length', 60);
    const theirs = new TokenService('another-secret-entirely', 60);
    const { token } = await theirs.issue('eve', ['admin'], {});
    await expect(mine.verify(token)).rejects.toThrow();
    const { token: good } = await mine.issue('ann', ['operator'], {});
    await mine.verify(good);
    const [h, p, sig] = good.split('.');
    const forged = [h, Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), roles: ['admin'] })).toString('base64url'), sig].join('.');
    await expect(mine.verify(forged)).rejects.toThrow();
  });
});
