/** Sales (DESIGN.md "Sales"): the figures of one order, computed the same way on till and server. */
export { saleTotals, tenderProblems, totalsDiffer } from './totals';
export {
  lineRefundAmount,
  netLineAmounts,
  refundedQuantities,
  unitsRefund,
  type LineRefundProblem,
  type SoldLine,
} from './refund-lines';
