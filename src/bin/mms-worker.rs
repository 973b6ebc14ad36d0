//! `mms-worker --store PATH`: the migration worker on its own, for a host dedicated to it.
//! Stops cleanly on SIGINT / SIGTERM: the batch in flight commits and the lease is released,
//! so any other worker resumes the request at once.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use meeting_migration::migration::worker::{run_reporting, StopSignal, WorkerEvent, WorkerOptions};
use meeting_migration::time::SystemClock;

const USAGE: &str = "\
usage: mms-worker --store PATH [--create] [--lease-ms N] [--batch-size N] [--poll-ms N] [--backoff-ms N]
       mms-worker --help

Runs the MeetingMigration worker against the store at PATH until SIGINT or SIGTERM.

  --store PATH      the store file (the one MEETING_MIGRATION_STORE names for the module);
                    it must exist unless --create is given. A postgresql://user@host:port/db
                    URI names a shared PostgreSQL store instead (PGHOST, PGPORT, PGUSER,
                    PGPASSWORD, PGDATABASE and ~/.pgpass complete it, as for psql)
  --create          create an empty store at PATH when there is none
  --lease-ms N      how long a claim on a request lasts without renewal, in milliseconds;
                    another worker resumes the request after it (100 to 86400000, default 30000)
  --batch-size N    meetings rewritten per transaction (1 to 100000, default 500)
  --poll-ms N       pause between looks at an idle queue, in milliseconds
                    (1 to 3600000, default 200)
  --backoff-ms N    first retry delay after a transient failure, in milliseconds; each retry
                    doubles it (0 to 86400000, default 60000)
  -h, --help        print this help and exit";

/// What the command line asks for.
#[derive(Debug)]
enum Command {
    Help,
    Run {
        store: PathBuf,
        create: bool,
        options: WorkerOptions,
    },
}

/// A numeric option's name and the range it accepts.
struct Bounds {
    name: &'static str,
    min: u64,
    max: u64,
}

const LEASE_MS: Bounds = Bounds {
    name: "--lease-ms",
    min: 100,
    max: 86_400_000,
};
const BATCH_SIZE: Bounds = Bounds {
    name: "--batch-size",
    min: 1,
    max: 100_000,
};
const POLL_MS: Bounds = Bounds {
    name: "--poll-ms",
    min: 1,
    max: 3_600_000,
};
const BACKOFF_MS: Bounds = Bounds {
    name: "--backoff-ms",
    min: 0,
    max: 86_400_000,
};

impl Bounds {
    /// The value as a number inside the bounds, or a message saying why not.
    fn parse(&self, value: &str) -> Result<u64, String> {
        let name = self.name;
        let (min, max) = (self.min, self.max);
        let digits = value.trim();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{name}: '{value}' is not a whole number from {min} to {max}"
            ));
        }
        // More digits than u64 holds is out of range, not "not a number".
        match digits.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(format!(
                "{name}: {value} is out of range; use a number from {min} to {max}"
            )),
        }
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut args = args.into_iter();
    let mut store = None;
    let mut create = false;
    let mut options = WorkerOptions::default();
    while let Some(arg) = args.next() {
        // `--name=value` and `--name value` both work.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--store" => {
                let path = value()?;
                if path.trim().is_empty() {
                    return Err("--store needs a path".into());
                }
                store = Some(PathBuf::from(path));
            }
            "--create" if inline.is_none() => create = true,
            // Every bound fits the option's type, so the conversions below cannot fail.
            "--lease-ms" => options.lease_ms = LEASE_MS.parse(&value()?)? as i64,
            "--batch-size" => options.batch_size = BATCH_SIZE.parse(&value()?)? as usize,
            "--poll-ms" => options.poll_interval_ms = POLL_MS.parse(&value()?)?,
            "--backoff-ms" => options.backoff_base_ms = BACKOFF_MS.parse(&value()?)? as i64,
            _ => return Err(format!("unknown argument '{arg}'")),
        }
    }
    let store = store.ok_or("--store PATH is required")?;
    options.validate().map_err(|e| e.message)?;
    Ok(Command::Run {
        store,
        create,
        options,
    })
}

fn main() {
    let (path, create, options) = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            return;
        }
        Ok(Command::Run {
            store,
            create,
            options,
        }) => (store, create, options),
        Err(why) => {
            eprintln!("mms-worker: {why}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    // A mistyped path must not quietly become a new, empty store that nobody queues to.
    let shared = path
        .to_str()
        .map_or(false, meeting_migration::store::is_shared);
    if !create && !shared && !path.exists() {
        eprintln!(
            "mms-worker: there is no store at {}. Check the path (the module uses $MEETING_MIGRATION_STORE, else ~/.local/share/MeetingMigration/mms.db), or pass --create to make a new, empty store there.",
            path.display()
        );
        std::process::exit(1);
    }
    // Signals are caught before the store is opened: a SIGTERM while it is being created
    // (the file exists, the schema not yet) stops the worker cleanly instead of killing it.
    let signalled = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, Arc::clone(&signalled)) {
            eprintln!("mms-worker: cannot handle signal {signal}: {e}");
            std::process::exit(1);
        }
    }
    let store = match meeting_migration::store::open(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mms-worker: {}", e.message);
            std::process::exit(1);
        }
    };
    let stop = Arc::new(StopSignal::default());
    let watcher_stop = Arc::clone(&stop);
    std::thread::spawn(move || {
        while !signalled.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
        watcher_stop.raise();
    });
    let shown = match path.to_str() {
        Some(uri) if shared => meeting_migration::store::postgres::location::redact(uri),
        _ => path.display().to_string(),
    };
    eprintln!("mms-worker: working on {shown}");
    // An outage of the store (a PostgreSQL restart, a lost network) is said once when it
    // starts and once when the store works again; the worker keeps trying in between.
    run_reporting(
        &*store,
        &SystemClock,
        &options,
        &stop,
        &mut |event| match event {
            WorkerEvent::StoreFailing(e) => eprintln!(
                "mms-worker: the store is failing ({:?}): {} Retrying every {} ms.",
                e.code, e.message, options.poll_interval_ms
            ),
            WorkerEvent::StoreBack => eprintln!("mms-worker: the store works again; resuming."),
        },
    );
    eprintln!("mms-worker: stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    fn options(args: &[&str]) -> WorkerOptions {
        match parse(args) {
            Ok(Command::Run { options, .. }) => options,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn help_wins_over_everything_else() {
        assert!(matches!(parse(&["--help"]), Ok(Command::Help)));
        assert!(matches!(parse(&["--store", "x", "-h"]), Ok(Command::Help)));
    }

    #[test]
    fn every_option_in_both_spellings() {
        let o = options(&[
            "--store=/x.db",
            "--lease-ms",
            "1000",
            "--batch-size=7",
            "--poll-ms",
            "5",
            "--backoff-ms=0",
        ]);
        assert_eq!(
            (
                o.lease_ms,
                o.batch_size,
                o.poll_interval_ms,
                o.backoff_base_ms
            ),
            (1000, 7, 5, 0)
        );
        assert!(matches!(
            parse(&["--store", "/x.db", "--create"]),
            Ok(Command::Run { create: true, .. })
        ));
    }

    #[test]
    fn numbers_outside_their_bounds_are_refused_by_name() {
        for (args, says) in [
            (vec!["--lease-ms", "9223372036854775807"], "--lease-ms: 9223372036854775807 is out of range; use a number from 100 to 86400000"),
            (vec!["--lease-ms", "99999999999999999999999"], "--lease-ms: 99999999999999999999999 is out of range"),
            (vec!["--lease-ms", "99"], "out of range"),
            (vec!["--batch-size", "0"], "--batch-size: 0 is out of range; use a number from 1 to 100000"),
            (vec!["--batch-size", "18446744073709551615"], "out of range"),
            (vec!["--poll-ms", "0"], "--poll-ms: 0 is out of range"),
            (vec!["--poll-ms", "-1"], "--poll-ms: '-1' is not a whole number from 1 to 3600000"),
            (vec!["--backoff-ms", "86400001"], "--backoff-ms: 86400001 is out of range"),
            (vec!["--backoff-ms", "1e3"], "is not a whole number"),
            (vec!["--lease-ms"], "--lease-ms needs a value"),
        ] {
            let mut all = vec!["--store", "/x.db"];
            all.extend(args.iter());
            let why = parse(&all).expect_err(&format!("{args:?} is refused"));
            assert!(why.contains(says), "{args:?}: {why}");
        }
    }

    #[test]
    fn store_is_required_and_unknown_arguments_are_named() {
        assert_eq!(parse(&[]).unwrap_err(), "--store PATH is required");
        assert_eq!(
            parse(&["--store", "/x.db", "--lease"]).unwrap_err(),
            "unknown argument '--lease'"
        );
        assert_eq!(
            parse(&["--store", "/x.db", "--create=yes"]).unwrap_err(),
            "unknown argument '--create=yes'"
        );
    }
}
