import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, getJson, sendJson, setCsrfToken } from '../api/http.js';

export interface SignedIn {
  id: string;
  name: string;
  roles: string[];
  via: 'session' | 'api-token' | 'display';
}

const DISPLAY_TOKEN_KEY = 'demarc.displayToken';

interface MeAnswer {
  user: SignedIn;
  csrfToken?: string;
}

/**
 * Who is using this page. The session is an HttpOnly cookie; this store knows only what
 * /api/auth/me says about it, and hands the CSRF token to the HTTP client.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<SignedIn | null>(null);
  const checked = ref(false);
  const isDisplay = computed(() => user.value?.via === 'display');

  function accept(a: MeAnswer): void {
    user.value = a.user;
    setCsrfToken(a.csrfToken ?? null);
    checked.value = true;
  }

  async function load(): Promise<SignedIn | null> {
    try {
      accept(await getJson<MeAnswer>('/api/auth/me'));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      user.value = null;
      setCsrfToken(null);
      checked.value = true;
    }
    return user.value;
  }

  /** Resolves with null on success, or the server's reason (wrong password, locked until …). */
  async function login(username: string, password: string): Promise<{ ok: true } | { ok: false; status: number; reason: string }> {
    try {
      accept(await sendJson<MeAnswer>('POST', '/api/auth/login', { username, password }));
      return { ok: true };
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, status: e.status, reason: e.message };
      throw e;
    }
  }

  /**
   * The wall's kiosk mode: the display token (from the URL fragment) becomes a display session.
   * The token stays in this tab's sessionStorage (never in the address bar or a log), so a TV left
   * alone can open a new session when its old one expired while the server was away; it is a
   * display credential that shows the wall and nothing else.
   */
  async function enterDisplay(token: string): Promise<boolean> {
    try {
      await sendJson('POST', '/api/auth/display', { token });
    } catch {
      return false;
    }
    const ok = (await load()) !== null;
    try {
      if (ok) sessionStorage.setItem(DISPLAY_TOKEN_KEY, token);
    } catch {
      // No storage (a locked-down kiosk browser): the wall works, it just cannot renew itself.
    }
    return ok;
  }

  /** Kiosk: a new display session from the kept token, when the server no longer knows ours. */
  async function renewDisplay(): Promise<boolean> {
    let token: string | null = null;
    try {
      token = sessionStorage.getItem(DISPLAY_TOKEN_KEY);
    } catch {
      token = null;
    }
    if (!token) return false;
    if ((await load().catch(() => null))?.via === 'display') return true;
    return enterDisplay(token);
  }

  async function logout(): Promise<void> {
    try {
      sessionStorage.removeItem(DISPLAY_TOKEN_KEY);
    } catch {
      // nothing kept
    }
    try {
      await sendJson('POST', '/api/auth/logout');
    } finally {
      user.value = null;
      setCsrfToken(null);
    }
  }

  return { user, checked, isDisplay, load, login, enterDisplay, renewDisplay, logout };
});
