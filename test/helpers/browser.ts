/**
 * Real headless Chromium for tests of the status page: Debian's `chromium`
 * driven by playwright-core (never a downloaded browser). One browser per
 * test file, closed in t.teardown. Every response body the browser
 * receives is kept, so a test can scan what a person could have seen.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import type { Test } from 'tap';
import { packageRoot } from '../../gateway/paths.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work on the test machines: no sandbox (root in CI), no GPU, no calls home. */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Screenshots of browser tests: gitignored, kept by CI as artefacts. */
export const SCREENSHOT_DIR = join(packageRoot(), 'artifacts', 'screenshots');

export interface SeenResponse {
  url: string;
  status: number;
  contentType: string;
  body: string;
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as artifacts/screenshots/<test>-<step>.png, prints its path, returns it. */
  screenshot(step: string): Promise<string>;
  /** Every response body the browser received so far (redirects and bodiless responses as ''). */
  responses(): Promise<SeenResponse[]>;
}

/** File-name-safe form of a test or step name. */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'step';
}

/**
 * Launches Chromium (headless) with one context and page, in Chinese, and
 * closes it when the test ends. `name` prefixes its screenshots. Fails
 * with what to install when Chromium is missing: nothing is skipped.
 */
export async function openBrowser(t: Test, name: string, options: { locale?: string; /** For a page served with a certificate the test made. */ ignoreHTTPSErrors?: boolean } = {}): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install the Debian package \`chromium\` (and \`fonts-noto-cjk\` so Chinese renders): apt-get install chromium fonts-noto-cjk. CI installs both in .ci/run; CHROMIUM_PATH points elsewhere.`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false });
  const page = await context.newPage();

  const pending: Promise<SeenResponse>[] = [];
  context.on('response', (response: Response) => {
    pending.push(
      response.text().then(
        (body) => body,
        () => '', // redirects and aborted loads have no body
      ).then((body) => ({ url: response.url(), status: response.status(), contentType: response.headers()['content-type'] ?? '', body })),
    );
  });

  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  let step = 0;
  return {
    browser,
    context,
    page,
    async screenshot(label: string) {
      step += 1;
      const file = join(SCREENSHOT_DIR, `${slug(name)}-${String(step).padStart(2, '0')}-${slug(label)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      t.comment(`screenshot: ${file}`);
      return file;
    },
    responses: () => Promise.all(pending),
  };
}
