/**
 * Admins of an Enterprise Account hold `manage` on it. Who may read an account's admins and its
 * audit trail (never change them): its admins, and support.
 */
export function mayReadAccount(reader: { isAdmin: boolean; isSupport: boolean }): boolean {
  return reader.isAdmin || reader.isSupport;
}
