/**
 * Headless Chromium through playwright-core, for printing the report to PDF (and for tests that open
 * it). Found through CHROME_PATH or the usual install paths; launched with every background service
 * off, so the browser makes no connection of its own.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { reportError } from './errors.js';

/** Where Chromium/Chrome usually lives, in search order (after CHROME_PATH); doctor checks the same list. */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Path of a Chromium/Chrome executable, or undefined when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.CHROME_PATH;
  if (given) return existsSync(given) ? given : undefined;
  return CHROMIUM_PATHS.find((p) => existsSync(p));
}

/** One line telling the user how to get the PDF when no Chromium is found. */
export const NO_CHROMIUM_HINT =
  'install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH to a Chrome/Chromium binary, then rerun; or open report.html in a browser and print it to PDF (A4)';

interface ChromiumSession {
  browser: Browser;
  close(): Promise<void>;
}

/** Launch headless Chromium; playwright gives it a fresh temporary profile (--user-data-dir), deleted on close. */
export async function launchChromium(executablePath: string): Promise<ChromiumSession> {
  const { chromium } = await import('playwright-core');
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-extensions',
      ],
      timeout: 60_000,
    });
  } catch (err) {
    throw reportError(
      'chromium-launch',
      `could not start Chromium: ${(err as Error).message.split('\n')[0]}`,
      executablePath,
      NO_CHROMIUM_HINT,
    );
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
