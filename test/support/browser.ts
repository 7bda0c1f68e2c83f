import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package; test/run.sh installs it when missing (test/support/chromium.sh). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * A headless Chromium that stays off the network on its own: without these
 * switches it keeps trying to reach Google's services (sign-in, updates,
 * QUIC probes), and where those are refused it slows down and floods the log.
 * Playwright gives every launch a fresh temporary profile (--user-data-dir).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run test/support/chromium.sh (installs Debian's chromium package), or npm test, which does`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
