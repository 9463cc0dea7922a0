import { sql, type RawBuilder } from 'kysely';

/**
 * A case-insensitive "contains" over a reader's address or name, the same on SQLite and
 * PostgreSQL. LIKE's own wildcards in the query are matched literally; ESCAPE is explicit because
 * SQLite has no default escape character.
 */
export function addressOrNameContains(query: string): RawBuilder<boolean> {
  const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`(lower(email) like ${pattern} escape '\\' or lower(coalesce(name, '')) like ${pattern} escape '\\')`;
}
