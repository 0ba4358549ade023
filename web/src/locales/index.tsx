import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { putLanguage } from '../api/auth';
import type { Lang } from '../api/types';
import en from './en';
import zh, { type MessageKey } from './zh-CN';

export type { MessageKey };

const STORAGE_KEY = 'linkage.lang';
const MAPS: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** The language the console starts in: the last choice, else Chinese (SPEC: Chinese first). */
export function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
  antdLocale: typeof zhCN;
  /** Whether a (computed) key has a message, e.g. `auditAction.${action}`. */
  has(key: string): key is MessageKey;
  /** Picks the Chinese or English variant of a bilingual API value. */
  pick(zhText: string | null | undefined, enText: string | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

function applyDayjs(lang: Lang) {
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    applyDayjs(l);
    return l;
  });
  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
    applyDayjs(next);
    setLangState(next);
    void putLanguage(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const map = MAPS[lang];
    const t: Translate = (key, vars) => {
      let s = map[key] ?? zh[key] ?? key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
      return s;
    };
    return {
      lang,
      t,
      setLang,
      antdLocale: lang === 'en' ? enUS : zhCN,
      has: (key: string): key is MessageKey => key in zh,
      pick: (z, e) => (lang === 'en' ? e || z || '' : z || e || ''),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
