// The SQLite/PostgreSQL differences the store (and its migrations) branch on.
import { PostgresAdapter, type CreateTableBuilder, type Kysely } from 'kysely';

/** True on PostgreSQL: the few SQL and DDL differences between the dialects branch on this. */
export function isPostgres(db: Pick<Kysely<never>, 'getExecutor'>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Adds an auto-incrementing integer primary key named `id` in the dialect's own way. */
export function withIdColumn<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
