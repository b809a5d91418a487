/**
 * What the refusals of refunds and large payments mean to a cashier, zh-CN then English (the
 * server's own message is English and names the figures; these are what the till shows).
 */
export const APPROVAL_SENTENCES = {
  APPROVAL_REQUIRED: [
    '这笔操作需要店长批准：请店长在本机输入用户名和密码。',
    'This needs a store manager’s approval: ask a manager to enter their username and password here.',
  ],
  APPROVAL_REFUSED: [
    '批准无效：用户名或密码不对，或者不是本店的店长。',
    'The approval was not accepted: the username or password is wrong, or they do not manage this store.',
  ],
  REFUND_EXCEEDS_REFUNDABLE: [
    '退款金额超过这笔订单剩余可退的金额，无法退款。',
    'The refund is more than this sale has left to refund; it was not made.',
  ],
} as const satisfies Record<string, readonly [string, string]>;
