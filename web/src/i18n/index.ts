import { createI18n } from 'vue-i18n';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../../../core/terms.js';
import consoleIncidentsEn from './console-incidents.en.js';
import consoleIncidentsZh from './console-incidents.zh-CN.js';
import opsEn from './console-ops.en.js';
import opsZhCN from './console-ops.zh-CN.js';
import enBase from './en.js';
import inventoryEn from './inventory.en.js';
import inventoryZh from './inventory.zh-CN.js';
import zhBase from './zh-CN.js';

// Each part of the console brings its own message file, merged here under its own key.
const zhCN = { ...zhBase, ci: consoleIncidentsZh, inventory: inventoryZh, ops: opsZhCN };
const en: typeof zhCN = { ...enBase, ci: consoleIncidentsEn, inventory: inventoryEn, ops: opsEn };
type Messages = typeof zhCN;

const STORAGE_KEY = 'demarc.locale';

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : DEFAULT_LOCALE;
  } catch {
    // Storage can be disabled (kiosk browsers, privacy modes): the wall still works in zh-CN.
    return DEFAULT_LOCALE;
  }
}

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': { ...zhCN, ops: opsZhCN }, en: { ...en, ops: opsEn } },
});

export function currentLocale(): Locale {
  const l = i18n.global.locale.value;
  return isLocale(l) ? l : DEFAULT_LOCALE;
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not persisted; the switch still applies to this page.
  }
}
