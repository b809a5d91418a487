import type { AlertView } from '../../../core/protocol/index';
import type { ReportThresholds } from '../../../core/reports/alerts';
import { percentText } from '../../../core/reports/rate';
import type { T } from '../i18n/strings';

/** The rule an alert broke, with the thresholds it was judged by ("核销率低于 5.00%，连续 3 天"). */
export function ruleText(view: AlertView, t: T, th: ReportThresholds): string {
  switch (view.alert.code) {
    case 'LOW_REDEMPTION_RATE':
      return t('rule_LOW_REDEMPTION_RATE', {
        rate: percentText(th.lowRedemptionRateBp),
        days: th.lowRedemptionDays,
      });
    case 'LONG_CYCLE':
      return t('rule_LONG_CYCLE', { days: th.longCycleDays });
    case 'LOW_CLAIM_CONVERSION':
      return t('rule_LOW_CLAIM_CONVERSION', { rate: percentText(th.lowClaimConversionBp) });
  }
}
