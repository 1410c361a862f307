/** A non-2xx answer from the API, with its status so callers can treat 404 apart. */
export class ApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The CSRF token of the current session (from login or GET /api/auth/me), sent with every
 * change; the auth store sets it. The session itself is an HttpOnly cookie the page never sees.
 */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function failure(res: Response, method: string, path: string): Promise<ApiError> {
  let detail = res.statusText;
  let details: unknown[] = [];
  try {
    const body = (await res.json()) as { error?: unknown; details?: unknown };
    if (typeof body.error === 'string') detail = body.error;
    // The problems a refusal lists (row, field, reason), for forms and the import page.
    if (Array.isArray(body.details)) details = body.details;
  } catch {
    // Not JSON (a proxy's HTML error page): the status text says enough.
  }
  return new ApiRefusal(path, res.status, `${method} ${path}: ${res.status} ${detail}`, details);
}

/** POST/DELETE with a JSON body and the CSRF token; same-origin cookies carry the session. */
export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res, method, path);
  return (await res.json()) as T;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    throw await failure(res, 'GET', path);
  }
  return (await res.json()) as T;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** POST a file as the request body (an inventory import), with the CSRF token. */
export async function sendBody<T>(path: string, body: Blob, contentType: string): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': contentType, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body,
  });
  if (!res.ok) throw await failure(res, 'POST', path);
  return (await res.json()) as T;
}

/** A non-2xx answer with the problems the API listed (`details`: row, field, reason); empty when it listed none. */
export class ApiRefusal extends ApiError {
  constructor(path: string, status: number, message: string, readonly details: unknown[]) {
    super(path, status, message);
  }
}
