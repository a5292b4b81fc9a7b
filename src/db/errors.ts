/** Postgres' unique_violation, found however deeply a driver or drizzle wrapped it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint_name, constraint: name } = e as { code?: string; constraint_name?: string; constraint?: string };
    if (code === '23505')
      return constraint === undefined || (constraint_name ?? name) === constraint || String((e as Error).message).includes(constraint);
  }
  return false;
}
