/**
 * How every test and bench launches Debian's Chromium: Playwright cannot
 * download its own browser here, and without these flags Chromium spends its
 * start-up failing to reach Google's hosts on a closed network.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
  ],
};
