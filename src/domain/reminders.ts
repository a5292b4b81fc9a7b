/**
 * How long before a deadline its one reminder goes out, for something valid `validityMs` from the
 * moment it is issued and a configured lead of `configuredLeadMs`.
 *
 * A lead shorter than the validity is used as configured. A lead as long as the validity or
 * longer would send the "ends soon" reminder the moment the invitation is created, right under the
 * message it reminds of: the reminder then comes at half the validity instead.
 */
export function reminderLeadMs(validityMs: number, configuredLeadMs: number): number {
  return configuredLeadMs < validityMs ? configuredLeadMs : Math.floor(validityMs / 2);
}
