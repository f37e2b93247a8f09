/** Limits shared by the client (to explain) and the server (to enforce). */
export const Limits = {
  /** Default cap on one sync message; configurable on the server with MAX_MESSAGE_BYTES. */
  defaultMaxMessageBytes: 1.5 * 1024 * 1024,
  /** Default cap on a REST JSON body. */
  jsonBodyBytes: 1024 * 1024,
  titleLength: 300,
  nameLength: 200,
  emailLength: 320,
  passwordMinLength: 10,
  passwordMaxLength: 200,
  /**
   * Sign-in throttling: after this many failed attempts (per account, and per trusted browser)
   * each further attempt must wait signInFirstDelayMs, doubling with every failure up to
   * signInMaxDelayMs. Never a lockout: the wait ends, and the owner's own browser is not held up.
   */
  signInFreeFailures: 5,
  /** The same per address, with more room: an office signs in from one address. */
  signInFreeFailuresPerAddress: 10,
  signInFirstDelayMs: 1000,
  signInMaxDelayMs: 5 * 60 * 1000,
  /** A counter with no failure for this long starts again from zero. */
  signInForgetAfterMs: 60 * 60 * 1000,
  /** A browser that signed in to an account is trusted for it this long after its last sign-in. */
  trustedDeviceDays: 180,
  sessionDays: 30,
  inviteDays: 14,
  inviteNoteLength: 200,
  /**
   * A removal can be undone this long after it (the person back in their role, told so): long
   * enough to notice the wrong row was clicked, short enough that it never stands in for an
   * invitation the person accepts.
   */
  memberRestoreMinutes: 60,
  /** A coordinator-made password reset link works this long, once. */
  passwordResetHours: 24,
} as const;
