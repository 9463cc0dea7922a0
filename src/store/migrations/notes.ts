/**
 * How a migration tells the operator what it changed in their data (e.g. which readers it
 * merged). Migrations have only a database handle, so the store's opener installs a listener for
 * the duration of the migration run; with none installed, notes are dropped.
 */

/** Receives one note: a sentence and its structured fields. */
export type MigrationNoteListener = (message: string, fields: Record<string, unknown>) => void;

let listener: MigrationNoteListener | undefined;

/** Called by a migration to report a change to the operator. */
export function noteMigration(message: string, fields: Record<string, unknown> = {}): void {
  listener?.(message, fields);
}

/** Runs `fn` with `onNote` receiving every note migrations make meanwhile. */
export async function withMigrationNotes<T>(onNote: MigrationNoteListener | undefined, fn: () => Promise<T>): Promise<T> {
  const previous = listener;
  listener = onNote;
  try {
    return await fn();
  } finally {
    listener = previous;
  }
}
