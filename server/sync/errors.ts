/**
 * What the sync server refuses to do with a document, as typed errors with a stable code. The
 * services turn them into answers for people; nobody needs to read their messages to tell them apart.
 */
export class DocumentError extends Error {
  constructor(
    readonly code: 'unsaved_edits' | 'document_locked' | 'storage_failed',
    readonly docName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Some edits to the document are only in memory (storage is failing): its stored state is not what people see. */
export class UnsavedEditsError extends DocumentError {
  constructor(docName: string) {
    super('unsaved_edits', docName, `${docName} has edits that are not stored yet`);
  }
}

/** The document is locked (its section is agreed): the server does not change it. */
export class DocumentLockedError extends DocumentError {
  constructor(docName: string) {
    super('document_locked', docName, `${docName} is locked: it cannot be changed until it is reopened`);
  }
}

/** A server-side edit could not be stored with its records: nothing of it was applied. */
export class StorageFailedError extends DocumentError {
  constructor(docName: string, cause: unknown) {
    super('storage_failed', docName, `the edit to ${docName} could not be stored; nothing was changed`, { cause });
  }
}
