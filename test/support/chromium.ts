import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium off the network (no updates, sync, QUIC) and able to run as root. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Noto Sans SC shipped in node_modules: the test machine has no CJK system font. */
const CJK_FONT_DIR = join(REPO, 'node_modules/@embedpdf/fonts-sc/fonts');

export interface ChromiumSession {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
  close(): Promise<void>;
}

export interface ChromiumOptions {
  viewport?: { width: number; height: number };
  /** The browser's own time zone; tests set one far from Shanghai to prove the UI converts. */
  timezoneId?: string;
  locale?: string;
  /** Extra command-line flags (e.g. a certificate pin for an HTTPS test). */
  args?: readonly string[];
}

/**
 * Fontconfig that adds the bundled CJK font to the system fonts, so screenshots show
 * Chinese instead of empty boxes on a machine without fonts-noto-cjk.
 */
function writeFontConfig(dir: string): string {
  const file = join(dir, 'fonts.conf');
  mkdirSync(join(dir, 'fontcache'), { recursive: true });
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${CJK_FONT_DIR}</dir>
  <cachedir>${join(dir, 'fontcache')}</cachedir>
</fontconfig>
`,
  );
  return file;
}

/** Launches Debian's Chromium with a fresh profile; fails (never skips) when it is missing. */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian package chromium (apt-get install -y chromium)`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'demarc-chromium-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  if (existsSync(CJK_FONT_DIR)) env.FONTCONFIG_FILE = writeFontConfig(userDataDir);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(join(userDataDir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
      env,
      viewport: opts.viewport ?? { width: 1920, height: 1080 },
      timezoneId: opts.timezoneId,
      locale: opts.locale,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    userDataDir,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
