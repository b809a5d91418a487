import { expect, test, useAppEnv } from './fixtures';

const env = useAppEnv();

test('a mistyped pairing code and a wrong PIN are explained in the cashier’s language, and the till stays where it was', async ({
  page,
}) => {
  const e = env();
  const pairing = e.demo.pairingCodes[2];
  if (!pairing) throw new Error('demo.json has no third pairing code');
  await page.goto(e.app.url);

  // 'O' is never in a pairing code: refused before anything is sent.
  await page.getByTestId('pair-code').fill('WRONGCOD');
  await page.getByTestId('pair-submit').click();
  await expect(page.getByTestId('pair-error')).toHaveText(/配对码是 8 位字母和数字/);

  // Well-formed but unknown: the server's refusal, in Chinese.
  await page.getByTestId('pair-code').fill('ABCDEFGH');
  await page.getByTestId('pair-submit').click();
  await expect(page.getByTestId('pair-error')).toHaveText(/配对码无效或已经用过/);

  await page.getByTestId('pair-code').fill(pairing.code);
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('login-pin').fill('0000');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('PIN 不正确，请重新输入。');
  await expect(page.getByTestId('login-screen')).toBeVisible();
});
