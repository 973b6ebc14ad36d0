//! `mms-worker --store PATH`: the migration worker on its own, for a host dedicated to it.
//! Stops cleanly on SIGINT / SIGTERM: the batch in flight commits, the lease is left to
//! expire and any other worker resumes the request.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use meeting_migration::migration::worker::{run, StopSignal, WorkerOptions};
use meeting_migration::time::SystemClock;

const USAGE: &str =
    "usage: mms-worker --store PATH [--lease-ms N] [--batch-size N] [--poll-ms N] [--backoff-ms N]

Runs the MeetingMigration worker against the store at PATH until SIGINT or SIGTERM.";

fn parse_args() -> Result<(PathBuf, WorkerOptions), String> {
    let mut args = std::env::args().skip(1);
    let mut store = None;
    let mut options = WorkerOptions::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let number = |name: &str, v: String| {
            v.parse::<i64>()
                .map_err(|_| format!("{name}: '{v}' is not a number"))
        };
        match arg.as_str() {
            "--store" => store = Some(PathBuf::from(value("--store")?)),
            "--lease-ms" => options.lease_ms = number("--lease-ms", value("--lease-ms")?)?,
            "--batch-size" => {
                options.batch_size = number("--batch-size", value("--batch-size")?)?.max(0) as usize
            }
            "--poll-ms" => {
                options.poll_interval_ms = number("--poll-ms", value("--poll-ms")?)?.max(0) as u64
            }
            "--backoff-ms" => {
                options.backoff_base_ms = number("--backoff-ms", value("--backoff-ms")?)?
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    let store = store.ok_or("--store PATH is required")?;
    options.validate().map_err(|e| e.message)?;
    Ok((store, options))
}

fn main() {
    let (path, options) = match parse_args() {
        Ok(parsed) => parsed,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("mms-worker: {why}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let store = match meeting_migration::store::open(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mms-worker: {}", e.message);
            std::process::exit(1);
        }
    };
    let signalled = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, Arc::clone(&signalled)) {
            eprintln!("mms-worker: cannot handle signal {signal}: {e}");
            std::process::exit(1);
        }
    }
    let stop = Arc::new(StopSignal::default());
    let watcher_stop = Arc::clone(&stop);
    std::thread::spawn(move || {
        while !signalled.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
        watcher_stop.raise();
    });
    eprintln!("mms-worker: working on {}", path.display());
    run(&*store, &SystemClock, &options, &stop);
    eprintln!("mms-worker: stopped");
}
