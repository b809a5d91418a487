import type { Reason } from '../reasons';
import { assertNever } from '../result';
import { list, localInstant, type Locale, money, type Texts, windowsText } from './format';
import { groupLabel, type MessageOptions, productLabel, storeLabel, terminalLabel } from './names';

/**
 * Both languages of one reason. The switch is exhaustive: a new Reason
 * variant does not compile until it has its messages.
 */
function texts(reason: Reason, o: MessageOptions): Texts {
  const at = (iso: string): string => localInstant(iso, o.timeZone);
  switch (reason.code) {
    case 'BATCH_PAUSED':
      return {
        'zh-CN': '该券所属活动已暂停，暂时不能使用；请稍后再试或联系店长。',
        en: "This voucher's campaign is paused, so it cannot be used now; try later or ask a manager.",
      };
    case 'BATCH_REVOKED':
      return {
        'zh-CN': '该券所属活动已被撤销，券不能再使用。',
        en: "This voucher's campaign has been withdrawn; the voucher can no longer be used.",
      };
    case 'NOT_YET_VALID':
      return {
        'zh-CN': `该券尚未生效，${at(reason.from)} 起可用。`,
        en: `This voucher is not valid yet; it can be used from ${at(reason.from)}.`,
      };
    case 'EXPIRED':
      return {
        'zh-CN': `该券已于 ${at(reason.at)} 过期，不能使用。`,
        en: `This voucher expired at ${at(reason.at)} and cannot be used.`,
      };
    case 'CLAIM_DATE_UNKNOWN':
      return {
        'zh-CN': '无法确认该券的领取时间，不能判断是否在有效期内；请联网同步后重新扫描。',
        en: 'The claim date of this voucher is unknown, so its validity cannot be checked; connect, sync and scan again.',
      };
    case 'OUTSIDE_HOURS':
      return {
        'zh-CN': `该券仅限 ${windowsText(reason.windows, 'zh-CN')} 使用（门店当地时间）。`,
        en: `This voucher can only be used ${windowsText(reason.windows, 'en')} (store time).`,
      };
    case 'WRONG_STORE': {
      const here = storeLabel(reason.storeId, o);
      const allowed = [
        ...reason.allowedStores.map((s) => storeLabel(s, o)),
        ...reason.allowedGroups.map((g) => groupLabel(g, o)),
      ];
      return {
        'zh-CN': `该券不能在本店（${here}）使用，仅限：${list(allowed, 'zh-CN')}。`,
        en: `This voucher cannot be used at this store (${here}); it is valid only at: ${list(allowed, 'en')}.`,
      };
    }
    case 'TIER_REQUIRED': {
      const tiers = reason.tiers;
      return {
        'zh-CN': `该券仅限 ${list(tiers, 'zh-CN')} 会员使用，${
          reason.memberTier === null ? '当前顾客未登记会员' : `当前顾客为 ${reason.memberTier} 会员`
        }。`,
        en: `This voucher is for ${list(tiers, 'en')} members only; ${
          reason.memberTier === null
            ? 'this customer is not signed in as a member'
            : `this customer is ${reason.memberTier}`
        }.`,
      };
    }
    case 'NOT_WITH_MEMBER_DISCOUNT':
      return {
        'zh-CN': '该券不能与会员折扣同时使用；如需用券，请先取消本单的会员折扣。',
        en: 'This voucher cannot be combined with a member discount; remove the member discount from this order to use it.',
      };
    case 'NO_ELIGIBLE_ITEMS':
      return {
        'zh-CN': '本单没有该券适用的商品。',
        en: 'No item in this order is eligible for this voucher.',
      };
    case 'THRESHOLD_NOT_MET': {
      const short = reason.required - reason.eligibleSubtotal;
      return {
        'zh-CN': `满${money(reason.required)}可用，当前可用商品合计${money(reason.eligibleSubtotal)}，还差${money(short)}`,
        en: `Needs ${money(reason.required)} of eligible items; this order has ${money(reason.eligibleSubtotal)} (${money(short)} short)`,
      };
    }
    case 'GIFT_ITEM_MISSING': {
      const item = `${productLabel(reason.sku, o)} ×${reason.quantity}`;
      return {
        'zh-CN': `请先将赠品 ${item} 加入本单，再使用该券。`,
        en: `Add the gift item ${item} to the order first, then use this voucher.`,
      };
    }
    case 'BUNDLE_INCOMPLETE': {
      const missing = (locale: Locale): string =>
        list(
          reason.missing.map((m) => `${productLabel(m.sku, o)} ×${m.quantity}`),
          locale,
        );
      return {
        'zh-CN': `套餐商品不全，还缺：${missing('zh-CN')}。`,
        en: `The bundle is incomplete; still missing: ${missing('en')}.`,
      };
    }
    case 'NOT_STACKABLE':
      return {
        'zh-CN': `该券不能与本单已用的券 ${reason.with} 同时使用；已为顾客保留优惠更多的组合。`,
        en: `This voucher cannot be combined with voucher ${reason.with} in this order; the customer keeps the better combination.`,
      };
    case 'PER_ORDER_LIMIT':
      return {
        'zh-CN': `同一活动的券每单最多使用 ${reason.limit} 张。`,
        en: `At most ${reason.limit} voucher${reason.limit === 1 ? '' : 's'} of this campaign can be used per order.`,
      };
    case 'NOTHING_LEFT_TO_DISCOUNT':
      return {
        'zh-CN': '本单已没有可再优惠的金额，该券本次不核销，可留待下次使用。',
        en: 'Nothing is left in this order for this voucher to discount; it is not used and stays valid.',
      };
    case 'DUPLICATE_IN_ORDER':
      return {
        'zh-CN': '该券已在本单中扫描过，同一张券只能用一次。',
        en: 'This voucher is already in this order; each voucher counts once.',
      };
    case 'DAILY_CAP_REACHED':
      return {
        'zh-CN': `该活动今日核销已达上限（${reason.cap} 张），请明天再使用。`,
        en: `Today's limit of ${reason.cap} redemptions for this campaign has been reached; the voucher can be used tomorrow.`,
      };
    case 'CUSTOMER_DAILY_LIMIT':
      return {
        'zh-CN': `每位顾客每天限用该活动的券 ${reason.limit} 张，该顾客今日已用满。`,
        en: `Each customer may use ${reason.limit} voucher${reason.limit === 1 ? '' : 's'} of this campaign per day; this customer has reached that today.`,
      };
    case 'ALREADY_REDEEMED': {
      const store = storeLabel(reason.storeId, o);
      if (reason.terminalId !== undefined && reason.terminalId === o.terminalId)
        return {
          'zh-CN': `本机已于 ${at(reason.at)} 核销过该券，不能重复使用。`,
          en: `This till already redeemed this voucher at ${at(reason.at)}; it cannot be used again.`,
        };
      if (reason.terminalId !== undefined) {
        const till = terminalLabel(reason.terminalId, reason.terminalName, o);
        return {
          'zh-CN': `该券已于 ${at(reason.at)} 在 ${store}（${till}）核销，不能重复使用。`,
          en: `This voucher was already redeemed at ${store} (${till}) on ${at(reason.at)} and cannot be used again.`,
        };
      }
      return {
        'zh-CN': `该券已于 ${at(reason.at)} 在 ${store} 核销，不能重复使用。`,
        en: `This voucher was already redeemed at ${store} on ${at(reason.at)} and cannot be used again.`,
      };
    }
    case 'UNKNOWN_CODE':
      return {
        'zh-CN': '查无此券码；请核对券码后重新扫描，或让顾客刷新券面。',
        en: 'This voucher code is not known; check it and scan again, or ask the customer to refresh the voucher.',
      };
    case 'FORGED_CODE':
      return {
        'zh-CN': '券码签名校验失败，可能是伪造的券；请勿核销，并告知店长。',
        en: "This code's signature does not verify; it may be forged. Do not accept it and tell a manager.",
      };
    case 'CODE_VOID':
      return {
        'zh-CN': '该券码已作废，不能使用。',
        en: 'This voucher code has been voided and cannot be used.',
      };
    case 'OFFLINE_ALLOWANCE_EXCEEDED': {
      const limit = reason.limit;
      switch (limit) {
        case 'count':
          return {
            'zh-CN': '断网期间的离线核销张数已用完；请恢复网络后再核销。',
            en: 'The offline allowance for the number of redemptions is used up; reconnect to redeem more.',
          };
        case 'value':
          if (reason.leftFen !== undefined && reason.neededFen !== undefined)
            return {
              'zh-CN': `离线核销额度还剩 ${money(reason.leftFen)}，该券需要 ${money(reason.neededFen)}；请恢复网络后再核销。`,
              en: `The offline allowance has ${money(reason.leftFen)} left and this voucher needs ${money(reason.neededFen)}; reconnect to redeem it.`,
            };
          return {
            'zh-CN': '断网期间的离线核销金额已用完；请恢复网络后再核销。',
            en: 'The offline allowance for redemption value is used up; reconnect to redeem more.',
          };
        case 'expired':
          return {
            'zh-CN': '离线核销额度已过期；请恢复网络以续期后再核销。',
            en: 'The offline allowance has expired; reconnect to renew it, then redeem.',
          };
        case 'none':
          return {
            'zh-CN': '本机没有离线核销额度，断网时不能核销；请恢复网络后再试。',
            en: 'This terminal has no offline allowance, so it cannot redeem while offline; reconnect and try again.',
          };
        case 'before_lease':
          return {
            'zh-CN': '该离线核销的时间早于它所用离线额度的发放时间，已转交店长审核。',
            en: 'This offline redemption is dated before the allowance it used was issued; it has been passed to a manager for review.',
          };
        default:
          return assertNever(limit, 'offline allowance limit');
      }
    }
    case 'NOT_IN_CATALOG':
      return {
        'zh-CN': '该券的活动或商品不在本机目录中；请联网同步后重新扫描。',
        en: "This voucher's campaign or item is not in this terminal's catalog; connect, sync and scan again.",
      };
    case 'PRICE_MISMATCH': {
      const item = productLabel(reason.sku, o);
      if (reason.catalogFen === null)
        return {
          'zh-CN': `商品 ${item} 不在总部商品目录中，不能用券；请联网同步商品后重新扫描。`,
          en: `The item ${item} is not in the chain's catalog, so no voucher can apply to it; sync the products and scan again.`,
        };
      return {
        'zh-CN': `本机商品 ${item} 的价格（${money(reason.tillFen)}）与总部目录（${money(reason.catalogFen)}）不一致；请联网同步商品后重新扫描。`,
        en: `This till prices ${item} at ${money(reason.tillFen)} but the chain's catalog says ${money(reason.catalogFen)}; sync the products and scan again.`,
      };
    }
    case 'DISCOUNT_MISMATCH':
      return {
        'zh-CN': `收银机记录的优惠（${money(reason.claimedFen)}）与总部按目录和规则核算的优惠（${money(reason.valuedFen)}）不一致，已转交店长审核。`,
        en: `The till recorded a discount of ${money(reason.claimedFen)} but the chain's catalog and rules give ${money(reason.valuedFen)}; it has been passed to a manager for review.`,
      };
    case 'NOT_RECEIVED':
      return {
        'zh-CN':
          '收银机在服务器收到该请求之前已放弃等待；该券未被核销，之后迟到的同一请求也不会再核销。',
        en: 'The till gave up on this request before the server received it; nothing was redeemed, and a late copy of the request will not redeem it either.',
      };
    default:
      return assertNever(reason, 'reason');
  }
}

/**
 * Why a voucher was refused, in words a cashier can act on. Amounts are shown
 * as money (¥1,234.50) and instants on the store's wall clock (options.timeZone,
 * default Asia/Shanghai); store, group and product ids are named through the
 * optional look-ups.
 */
export function reasonMessage(
  reason: Reason,
  locale: Locale = 'zh-CN',
  options: MessageOptions = {},
): string {
  return texts(reason, options)[locale];
}
