//! Looking for damage: SQLite's own checks of the file's structure, and a scan for text
//! that is not UTF-8 (flipped bytes inside a row pass SQLite's checks but fail every read
//! of that row).

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::error::Result;
use crate::model::StoreCheck;

/// `PRAGMA quick_check` (the structure, without comparing indexes to their tables): the
/// first problem, or `None` when the file is sound.
pub(super) fn quick(conn: &Connection) -> Result<Option<String>> {
    let first: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    Ok((first != "ok").then(|| format!("SQLite's quick check found: {first}")))
}

/// Every problem found (at most [`StoreCheck::MAX_PROBLEMS`]) by `PRAGMA integrity_check`
/// and by reading every text value of every table; empty when the store is sound. Errors
/// met while looking are problems too.
pub(super) fn full(conn: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(e) = integrity(conn, &mut problems) {
        problems.push(format!("integrity_check could not finish: {e}"));
    }
    let tables = match table_names(conn) {
        Ok(tables) => tables,
        Err(e) => {
            problems.push(format!("the list of tables cannot be read: {e}"));
            Vec::new()
        }
    };
    for table in tables {
        if problems.len() >= StoreCheck::MAX_PROBLEMS {
            break;
        }
        if let Err(e) = scan_text(conn, &table, &mut problems) {
            problems.push(format!("table '{table}' cannot be read to its end: {e}"));
        }
    }
    problems.truncate(StoreCheck::MAX_PROBLEMS);
    problems
}

fn integrity(conn: &Connection, problems: &mut Vec<String>) -> rusqlite::Result<()> {
    let mut statement = conn.prepare(&format!(
        "PRAGMA integrity_check({})",
        StoreCheck::MAX_PROBLEMS
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let line: String = row.get(0)?;
        if line != "ok" {
            problems.push(format!("integrity_check: {line}"));
        }
    }
    Ok(())
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names = statement.query_map([], |r| r.get(0))?;
    names.collect()
}

fn scan_text(conn: &Connection, table: &str, problems: &mut Vec<String>) -> rusqlite::Result<()> {
    let mut statement =
        conn.prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\"")))?;
    let columns: Vec<String> = statement
        .column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut rows = statement.query([])?;
    let mut number = 0u64;
    while let Some(row) = rows.next()? {
        number += 1;
        for (i, column) in columns.iter().enumerate() {
            if let ValueRef::Text(bytes) = row.get_ref(i)? {
                if std::str::from_utf8(bytes).is_err() {
                    problems.push(format!(
                        "table {table}, row {number}, column {column}: invalid UTF-8"
                    ));
                    if problems.len() >= StoreCheck::MAX_PROBLEMS {
                        return Ok(());
                    }
                }
            }
        }
    }
    Ok(())
}
