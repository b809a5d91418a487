/**
 * The voucher rule engine (DESIGN.md "Vouchers and rules"): one pure function
 * used by the server (the authority) and by the renderer (instant feedback and
 * offline decisions), plus the cart-less quick redeem of the service desk.
 */
export { evaluate } from './evaluate';
export { evaluateQuick, type QuickResult } from './quick';
export { conflicts, EXHAUSTIVE_LIMIT } from './stacking';
export { APPLICATION_RANK } from './benefits';
export {
  cartAtCatalogPrices,
  judgeVoucher,
  pricedSkus,
  skusToPrice,
  type CatalogItem,
  type JudgeInput,
  type Judgement,
  type PricedCart,
} from './judge';
