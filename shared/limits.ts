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
  /** Sign-in attempts per address and per account within the window. */
  signInAttempts: 10,
  signInWindowMs: 15 * 60 * 1000,
  sessionDays: 30,
  inviteDays: 14,
  inviteNoteLength: 200,
  /** A coordinator-made password reset link works this long, once. */
  passwordResetHours: 24,
} as const;
