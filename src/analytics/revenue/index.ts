/**
 * The revenue rule: one definition of gross sales, discounts, returns and net revenue per order, in SQL, that
 * every module calls. See README.md.
 */
export {
  countedOrderSql,
  customerOrderSql,
  EXCLUDED_ORDER_STATUSES,
  extraOrderDiscountSql,
  lineAggregatesSql,
  lineRevenueSql,
  type OrderRevenueColumns,
  type OrderRevenueOptions,
  orderRevenueColumns,
  orderRevenueSql,
} from './sql.js';
