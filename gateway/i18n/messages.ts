/**
 * Every word the gateway says to people in two languages (the status pages,
 * the probe's outline in a terminal, CSV headers), in two complete tables:
 * Simplified Chinese (zh.ts, the default: the people who read the page are a
 * department's technical contacts) and English (en.ts). Below the status
 * page and the probe alike, so neither reaches into the other. Catalog
 * names, department names and the reasons' Chinese messages are data, shown
 * as they are in both languages.
 *
 * Templates hold `{name}` placeholders and no HTML: `t()` escapes the whole
 * result, so a parameter can never open a tag.
 */
import { esc } from './escape.js';
import { en } from './en.js';
import { zh } from './zh.js';

export type Lang = 'zh' | 'en';

export type MessageKey = keyof typeof zh;

export const MESSAGES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { zh, en };

/**
 * What fills a placeholder: a value; a list (joined as the language joins
 * lists); `{ data }`, text that is data and stays as written in both
 * languages (a department's, category's or job's name, a message quoted
 * from elsewhere), marked `data-zh` in HTML so a test can tell it from the
 * page's own words; or another message, said in the same language.
 */
export type Param = string | number | null | undefined | readonly string[] | { data: string } | Said;
export type Params = Record<string, Param>;

/** A message not yet said: its key and parameters, so each page says it in its own language. */
export interface Said {
  key: MessageKey;
  params?: Params;
}

const LIST_SEPARATOR: Record<Lang, string> = { zh: '、', en: ', ' };

function isSaid(p: Param): p is Said {
  return typeof p === 'object' && p !== null && 'key' in p;
}

function fill(lang: Lang, key: MessageKey, params: Params, html: boolean): string {
  return MESSAGES[lang][key]
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name === undefined || !(name in params)) return html ? esc(part) : part;
      const value = params[name];
      if (isSaid(value as Param)) return fill(lang, (value as Said).key, (value as Said).params ?? {}, html);
      if (typeof value === 'object' && value !== null && 'data' in value) return html ? `<span data-zh>${esc(value.data)}</span>` : value.data;
      const plain = Array.isArray(value) ? value.join(LIST_SEPARATOR[lang]) : String(value ?? '');
      return html ? esc(plain) : plain;
    })
    .join('');
}

/** The plain text of one message (for CSV, headers and the API's Chinese sentences). */
export function text(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fill(lang, key, params, false);
}

/** Whether a key names a message (for keys made from codes, e.g. `action.${code}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES.zh, key);
}

export interface Translator {
  /** The message as HTML: its words escaped, data parameters marked `data-zh`. */
  (key: MessageKey, params?: Params): string;
  lang: Lang;
  text(key: MessageKey, params?: Params): string;
}

export function translator(lang: Lang): Translator {
  const t = ((key: MessageKey, params?: Params) => fill(lang, key, params ?? {}, true)) as Translator;
  t.lang = lang;
  t.text = (key, params) => text(lang, key, params);
  return t;
}

/** `?lang=` wins, then the `lang` cookie, then Chinese. */
export function pickLang(query: string | undefined, cookie: string | undefined): Lang {
  if (query === 'en' || query === 'zh') return query;
  if (cookie === 'en') return 'en';
  return 'zh';
}
