import type { SimulatorKeys, SimulatorSigningKeys } from './keys';
import type { Notifier } from './notifier';
import type { SimState } from './state';

/** What every simulator handler needs. */
export interface SimContext {
  readonly keys: SimulatorKeys;
  readonly signing: SimulatorSigningKeys;
  readonly state: SimState;
  readonly clock: () => Date;
  readonly notifier: Notifier;
}

/** A fresh id of `digits` digits after a prefix, unique within this simulator. */
export function nextId(ctx: SimContext, prefix: string, digits = 28): string {
  ctx.state.sequence += 1;
  const stamp = `${ctx.clock().getTime()}${ctx.state.sequence}`;
  return `${prefix}${stamp.padStart(digits - prefix.length, '0').slice(-(digits - prefix.length))}`;
}
