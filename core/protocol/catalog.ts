import { z } from 'zod';
import { CategoryId, DisplayName, Sku, StoreGroupId, StoreId, TimeZone } from '../ids';
import { Fen } from '../money';

export const Store = z
  .object({
    id: StoreId,
    name: DisplayName,
    timeZone: TimeZone,
    groupIds: z.array(StoreGroupId).max(100),
  })
  .strict();
export type Store = z.infer<typeof Store>;

/** A region or any other set of stores that cross-store rules can name. */
export const StoreGroup = z.object({ id: StoreGroupId, name: DisplayName }).strict();
export type StoreGroup = z.infer<typeof StoreGroup>;

/** Product barcodes as printed on the pack (EAN-13, EAN-8, UPC-A). */
export const Barcode = z.string().regex(/^\d{8}$|^\d{12,13}$/, 'EAN-8, UPC-A or EAN-13 digits');

export const Product = z
  .object({
    sku: Sku,
    name: DisplayName,
    category: CategoryId,
    priceFen: Fen,
    barcodes: z.array(Barcode).max(20),
  })
  .strict();
export type Product = z.infer<typeof Product>;
