const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30d", "24h", "15m", "90s" → milliseconds; anything else → null. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  if (!match) return null;
  const amount = Number(match[1]);
  if (amount <= 0) return null;
  return amount * unitMs[match[2] as keyof typeof unitMs];
}

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}
