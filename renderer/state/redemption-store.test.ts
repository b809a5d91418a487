import { describe, expect, it } from 'vitest';
import { useRedemptionStore } from './redemption-store';

describe('the quick-redeem result on screen', () => {
  it('says "checking" the moment a scan starts, in place of the previous customer’s result', () => {
    const store = useRedemptionStore.getState();
    store.show('CODE-A', { kind: 'notice', message: 'previous customer' });
    useRedemptionStore.getState().start('CODE-B');
    const { current, recent } = useRedemptionStore.getState();
    expect(current?.code).toBe('CODE-B');
    expect(current?.result.kind).toBe('checking');
    expect(recent[0]?.code).toBe('CODE-A');
    useRedemptionStore.getState().show('CODE-B', { kind: 'notice', message: 'answer' });
    const after = useRedemptionStore.getState();
    expect(after.current?.result).toEqual({ kind: 'notice', message: 'answer' });
    // The "checking" entry was replaced, not kept below.
    expect(after.recent.map((r) => r.result.kind)).toEqual(['notice']);
  });

  it('does not put a result from before a reload over one already on screen', () => {
    useRedemptionStore.getState().show('CODE-C', { kind: 'notice', message: 'now' });
    useRedemptionStore.getState().restore('CODE-OLD', { kind: 'checking' }, 0);
    expect(useRedemptionStore.getState().current?.code).toBe('CODE-C');
  });
});
