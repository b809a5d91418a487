import type { StoreGroupId, StoreId } from '../../core/ids';
import type { Store } from '../../core/protocol';
import type { StoreTable } from '../db/schema';

/** A stored store row as the protocol's Store. */
export function storeView(row: Pick<StoreTable, 'id' | 'name' | 'time_zone' | 'group_ids'>): Store {
  return {
    id: row.id as StoreId,
    name: row.name,
    timeZone: row.time_zone,
    groupIds: JSON.parse(row.group_ids) as StoreGroupId[],
  };
}
