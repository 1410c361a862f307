/**
 * `${VAR}` and `${VAR:-default}` in YAML string values, so secrets can stay out of the file.
 * Returns the substituted tree and the YAML paths of variables that are not set.
 */
const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export function substituteEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: string[] = [],
): { value: unknown; missing: { path: string; variable: string }[] } {
  const missing: { path: string; variable: string }[] = [];
  const walk = (v: unknown, p: string[]): unknown => {
    if (typeof v === 'string') {
      return v.replace(PATTERN, (_m, name: string, fallback: string | undefined) => {
        const got = env[name];
        if (got !== undefined && got !== '') return got;
        if (fallback !== undefined) return fallback;
        missing.push({ path: p.join('.'), variable: name });
        return '';
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...p, String(i)]));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...p, k])]));
    }
    return v;
  };
  return { value: walk(value, path), missing };
}
