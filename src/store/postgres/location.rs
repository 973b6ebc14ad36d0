//! A PostgreSQL store location: a libpq-style URI (`postgresql://` or `postgres://`),
//! completed from libpq's environment variables and password file so that no password has
//! to be written into a script. What messages show of it never holds a password.

use std::path::{Path, PathBuf};

use tokio_postgres::config::Host;
use tokio_postgres::Config;

use crate::error::{Error, Result};

/// True when `location` names a PostgreSQL database rather than an SQLite file.
pub fn is_postgres(location: &str) -> bool {
    let lower = location.get(..13).unwrap_or(location).to_ascii_lowercase();
    lower.starts_with("postgresql://") || lower.starts_with("postgres://")
}

/// A parsed location: the connection settings and how messages name it.
pub(super) struct Location {
    pub config: Config,
    /// `postgresql://user@host:port/db`, without the password or any query parameter.
    pub display: String,
}

/// `uri` without a password in its user information or its query parameters.
pub fn redact(uri: &str) -> String {
    let (scheme, rest) = match uri.find("://") {
        Some(i) => (&uri[..i + 3], &uri[i + 3..]),
        None => return uri.to_string(),
    };
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let authority = match authority.rfind('@') {
        Some(at) => {
            let user = &authority[..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{user}@{}", &authority[at + 1..])
        }
        None => authority.to_string(),
    };
    let query = query.map(|q| {
        q.split('&')
            .map(|p| {
                if p.to_ascii_lowercase().starts_with("password=") {
                    "password=***"
                } else {
                    p
                }
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    match query {
        Some(q) => format!("{scheme}{authority}{path}?{q}"),
        None => format!("{scheme}{authority}{path}"),
    }
}

impl Location {
    /// Parses `uri` and fills what it leaves out as libpq would: `PGHOST`, `PGPORT`,
    /// `PGUSER` (else the login name), `PGDATABASE` (else the user name), `PGPASSWORD`,
    /// then the password file (`PGPASSFILE`, else `~/.pgpass`).
    pub fn parse(uri: &str) -> Result<Location> {
        let shown = redact(uri);
        let mut config: Config = uri.parse().map_err(|e: tokio_postgres::Error| {
            // The parser's message names the offending part, never the password.
            Error::invalid(format!(
                "The store location '{shown}' is not a valid PostgreSQL URI ({e}). Write it as postgresql://user@host:port/database."
            ))
            .with_target(shown.clone())
        })?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if config.get_hosts().is_empty() {
            let hosts = env("PGHOST").unwrap_or_else(|| "localhost".into());
            for host in hosts.split(',') {
                config.host(host);
            }
        }
        if config.get_ports().is_empty() {
            if let Some(port) = env("PGPORT") {
                let port = port.parse::<u16>().map_err(|_| {
                    Error::invalid(format!("PGPORT='{port}' is not a port number."))
                        .with_target("PGPORT")
                })?;
                config.port(port);
            }
        }
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .or_else(login_name)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "The store location '{shown}' names no user, and neither PGUSER nor the login name is known."
                    ))
                })?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let db = env("PGDATABASE").unwrap_or_else(|| config.get_user().unwrap_or("").into());
            config.dbname(&db);
        }
        if config.get_password().is_none() {
            if let Some(password) = env("PGPASSWORD").or_else(|| from_password_file(&config)) {
                config.password(password);
            }
        }
        if config.get_application_name().is_none() {
            config.application_name("MeetingMigration");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let display = describe(&config);
        Ok(Location { config, display })
    }
}

/// `postgresql://user@host:port/db` of a completed configuration.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => String::new(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgresql://{}@{}:{}/{}",
        config.get_user().unwrap_or(""),
        host,
        port,
        config.get_dbname().unwrap_or("")
    )
}

fn login_name() -> Option<String> {
    // SAFETY: getpwuid returns a pointer into static storage or NULL; it is read at once.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_str()
            .ok()
            .map(str::to_string)
    }
}

fn password_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| Path::new(&h).join(".pgpass"))
}

/// The password of the first matching line of the password file, as libpq reads it:
/// `host:port:database:user:password`, `*` matching anything, `\` escaping `:` and `\`.
/// A file readable by group or others is ignored, as libpq ignores it.
fn from_password_file(config: &Config) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let path = password_file()?;
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) => "localhost".into(),
        None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or(""),
        config.get_user().unwrap_or(""),
    ];
    password_of(&text, &wanted)
}

fn password_of(text: &str, wanted: &[&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_escaped(line);
        if fields.len() < 5 {
            continue;
        }
        if fields[..4]
            .iter()
            .zip(wanted)
            .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().unwrap().push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_recognised_and_paths_are_not() {
        assert!(is_postgres("postgresql://u@h/db"));
        assert!(is_postgres("POSTGRES://u@h/db"));
        assert!(!is_postgres("/var/lib/mms.db"));
        assert!(!is_postgres("postgresql.db"));
        assert!(!is_postgres(""));
    }

    #[test]
    fn redaction_drops_passwords_in_user_info_and_query() {
        assert_eq!(
            redact("postgresql://bob:s3cret@db.example:5433/mms"),
            "postgresql://bob@db.example:5433/mms"
        );
        assert_eq!(
            redact("postgres://h/mms?user=bob&password=s3cret&sslmode=disable"),
            "postgres://h/mms?user=bob&password=***&sslmode=disable"
        );
        assert_eq!(redact("postgresql://h/mms"), "postgresql://h/mms");
    }

    #[test]
    fn a_parsed_location_shows_no_password() {
        let l = Location::parse("postgresql://bob:s3cret@127.0.0.1:5999/mms").unwrap();
        assert_eq!(l.display, "postgresql://bob@127.0.0.1:5999/mms");
        assert_eq!(l.config.get_password(), Some(&b"s3cret"[..]));
        let e = match Location::parse("postgresql://bob:s3cret@h:notaport/mms") {
            Err(e) => e,
            Ok(_) => panic!("a bad port was accepted"),
        };
        assert!(!e.message.contains("s3cret"), "{}", e.message);
    }

    #[test]
    fn the_password_file_matches_as_libpq_does() {
        let text = "# comment\nother:*:*:*:no\nlocalhost:5432:mms:bob:pa\\:ss\n*:*:*:*:fallback\n";
        assert_eq!(
            password_of(text, &["localhost", "5432", "mms", "bob"]).as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            password_of(text, &["db", "5432", "mms", "eve"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(password_of("a:b:c\n", &["a", "b", "c", "d"]), None);
    }
}
