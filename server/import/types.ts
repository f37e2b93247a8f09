/** Values a person can give when the file itself does not say them. */
export interface ImportDefaults {
  stateUnderReview?: string;
  cycle?: number;
  documentSymbol?: string;
}

/** What every format parser receives besides the decoded text. */
export interface ParserOptions {
  filename: string;
  defaults?: ImportDefaults;
}
