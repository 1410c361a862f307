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

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body = (await res.json()) as { error?: unknown };
      if (typeof body.error === 'string') detail = body.error;
    } catch {
      // Not JSON (a proxy's HTML error page): the status text says enough.
    }
    throw new ApiError(path, res.status, `GET ${path}: ${res.status} ${detail}`);
  }
  return (await res.json()) as T;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
