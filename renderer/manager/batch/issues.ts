import type { z } from 'zod';
import type { Locale } from '../../../core/messages/format';

/** Field path → what is wrong with it, in words, from a core schema's failed parse. */
export type FieldErrors = ReadonlyMap<string, string>;

/**
 * The core schema's issues in the manager's language. The core writes its own rule messages
 * in English ("the amount off cannot exceed the threshold"); those are translated here, and
 * the generic checks (a number too small, a missing value) are said per kind.
 */
export function fieldErrors(error: z.ZodError, locale: Locale): FieldErrors {
  const out = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    if (!out.has(path)) out.set(path, words(issue, locale));
  }
  return out;
}

const CORE_RULES: Readonly<Record<string, string>> = {
  'the amount off cannot exceed the threshold': '减免金额不能超过门槛金额',
  'validity must start before it ends': '结束日期必须晚于开始日期',
  'a window must start before it ends': '时段的结束时间必须晚于开始时间',
  'list at least one store or store group': '请至少选择一家门店或一个区域',
};

function words(issue: z.core.$ZodIssue, locale: Locale): string {
  const zh = locale === 'zh-CN';
  switch (issue.code) {
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'array')
        return zh ? `至少选择或填写 ${min} 项` : `choose or enter at least ${min}`;
      if (issue.origin === 'string') return zh ? '请填写' : 'enter a value';
      return zh ? `不能小于 ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return zh ? `最多 ${max} 个字符` : `at most ${max} characters`;
      if (issue.origin === 'array') return zh ? `最多 ${max} 项` : `at most ${max} items`;
      return zh ? `不能大于 ${max}` : `must be at most ${max}`;
    }
    case 'invalid_type':
      return zh ? '请填写一个有效的数' : 'enter a valid number';
    case 'not_multiple_of':
      return zh ? '请填写整数' : 'enter a whole number';
    case 'invalid_format':
      return zh
        ? '格式不对：只能用小写字母、数字和连字符'
        : 'wrong format: lower-case letters, digits and hyphens only';
    case 'custom':
      return zh ? (CORE_RULES[issue.message] ?? issue.message) : issue.message;
    default:
      return zh ? '这一项不正确' : issue.message;
  }
}
