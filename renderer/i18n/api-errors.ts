import { APPROVAL_SENTENCES } from '../../core/messages/approvals';
import type { Locale } from '../../core/messages/format';
import { assertNever } from '../../core/result';
import type { ApiFailure } from '../data/api-client';

type FailureCode = ApiFailure['code'];

/**
 * What a failed server call means to a cashier, in their language. The server's
 * own message is English and written for whoever reads the logs; it is shown
 * only in English, and only where it says more than these sentences can (which
 * field of a request was wrong).
 */
export function apiFailureMessage(
  failure: Pick<ApiFailure, 'code' | 'message'>,
  locale: Locale,
): string {
  const [zh, en] = sentences(failure.code);
  if (locale === 'zh-CN') return zh;
  const detailed = failure.code === 'VALIDATION_FAILED' || failure.code === 'BAD_REQUEST';
  return detailed ? failure.message : en;
}

function sentences(code: FailureCode): readonly [string, string] {
  switch (code) {
    case 'PAIRING_CODE_INVALID':
      return [
        '配对码无效或已经用过。请向店长索取新的配对码。',
        'This pairing code is not valid or was already used. Ask a manager for a new one.',
      ];
    case 'LOGIN_FAILED':
      return ['PIN 不正确，请重新输入。', 'That PIN is not right; enter it again.'];
    case 'CASHIER_LOCKED':
      return [
        'PIN 输错次数过多，本收银台的收银员登录已锁定。请店长在管理后台解锁。',
        'Too many wrong PINs: cashier sign-in on this till is locked. Ask a manager to unlock it in the console.',
      ];
    case 'RATE_LIMITED':
      return [
        '尝试次数过多，请稍等一分钟再试。',
        'Too many attempts. Wait a minute, then try again.',
      ];
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      return [
        '填写的内容有误，请检查后再提交。',
        'Something in the form is not valid; check it and send it again.',
      ];
    case 'PAYLOAD_TOO_LARGE':
      return ['提交的内容太大，请减少后再试。', 'That is too much to send at once; send less.'];
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
      return ['登录已失效，请重新登录。', 'Your sign-in is no longer valid; sign in again.'];
    case 'FORBIDDEN':
    case 'WRONG_STORE':
      return [
        '本终端或账号没有这项权限，请联系店长。',
        'This till or account may not do that; ask a manager.',
      ];
    case 'NOT_FOUND':
      return ['服务器上没有找到。', 'The server has no such record.'];
    case 'CONFLICT':
      return ['已经存在，未做更改。', 'That already exists; nothing was changed.'];
    case 'VERSION_CONFLICT':
      return [
        '这条记录刚被别人修改过，您的修改没有保存。请重新加载后再改。',
        'Someone changed this since you opened it; your change was not saved. Reload and make it again.',
      ];
    case 'IDEMPOTENCY_KEY_REUSED':
      return [
        '同一笔记录被以不同内容重复提交，服务器已拒绝；请联系技术支持。',
        'The same record was sent again with different contents and was refused; call support.',
      ];
    case 'NETWORK':
      return [
        '连不上服务器。请检查网络和服务器地址，然后重试。',
        'Cannot reach the server. Check the network and the server address, then try again.',
      ];
    case 'TIMEOUT':
      return [
        '服务器没有及时响应，请稍后重试。',
        'The server did not answer in time; try again shortly.',
      ];
    case 'FEED_RESET':
      return [
        '服务器已从备份恢复，本机正在重新上传已同步的记录。',
        'The server was restored from a backup; this till is sending its synced records again.',
      ];
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return [
        '服务器暂时出错，请稍后重试；如果一直这样，请联系技术支持。',
        'The server had a problem; try again shortly, and call support if it keeps happening.',
      ];
    case 'APPROVAL_REQUIRED':
    case 'APPROVAL_REFUSED':
    case 'REFUND_EXCEEDS_REFUNDABLE':
      return APPROVAL_SENTENCES[code];
    case 'BAD_RESPONSE':
      return [
        '服务器的回应无法识别（版本可能不一致），请联系技术支持。',
        'The server answered in a form this app does not understand (a version mismatch?); call support.',
      ];
    default:
      return assertNever(code, 'API failure code');
  }
}
