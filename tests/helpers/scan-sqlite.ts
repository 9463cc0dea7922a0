import Database from 'better-sqlite3';

/**
 * Every place in a SQLite file where `needle` occurs (case-insensitive), as "table.column" —
 * every table and every column, read straight from the file, so a table added later is covered
 * without touching the test.
 */
export function findInSqliteFile(path: string, needle: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const hits: string[] = [];
    const wanted = needle.toLowerCase();
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      const columns = db.prepare(`pragma table_info("${name.replace(/"/g, '""')}")`).all() as Array<{ name: string }>;
      for (const row of db.prepare(`select * from "${name.replace(/"/g, '""')}"`).all() as Array<Record<string, unknown>>) {
        for (const c of columns) {
          const v = row[c.name];
          if (v !== null && v !== undefined && String(v).toLowerCase().includes(wanted)) hits.push(`${name}.${c.name}`);
        }
      }
    }
    return [...new Set(hits)];
  } finally {
    db.close();
  }
}
