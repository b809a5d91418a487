/**
 * The voucher rule engine (DESIGN.md "Vouchers and rules"): one pure function
 * used by the server (the authority) and by the renderer (instant feedback and
 * offline decisions), plus the cart-less quick redeem of the service desk.
 */
export { evaluate } from './evaluate';
export { evaluateQuick } from './quick';
export {
  cartAtCatalogPrices,
  judgeVoucher,
  pricedSkus,
  skusToPrice,
  type CatalogItem,
  type Judgement,
} from './judge';
