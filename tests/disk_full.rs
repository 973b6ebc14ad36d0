//! A full disk while importing, starting migrations and committing the worker's batches: each
//! is a clear `StoreIo` error, nothing is half-written, and the store works again once space
//! returns. The store lives on a small tmpfs mounted for the test, which needs root (or
//! CAP_SYS_ADMIN); without it the test says so and passes without running.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::directory::UserQuery;
use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::worker::{run_once, StopSignal};
use meeting_migration::model::RequestState;
use meeting_migration::{ErrorCode, Service};
use support::*;

/// A tmpfs of a few MiB, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::Builder::new()
            .prefix("mms-disk-full-")
            .tempdir()
            .ok()?;
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        ok.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a filler file until the file system is full; returns its path.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0xA5u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        // The last partial chunks, down to single bytes.
        for size in [4096usize, 512, 1] {
            while file.write_all(&chunk[..size]).is_ok() {}
        }
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn user_count(svc: &Service) -> usize {
    let mut count = 0;
    let mut after = None;
    loop {
        let page = svc
            .list_users(&UserQuery {
                after,
                limit: Some(10_000),
                ..Default::default()
            })
            .unwrap();
        count += page.users.len();
        match page.next {
            Some(n) => after = Some(n),
            None => return count,
        }
    }
}

fn assert_store_io(what: &str, e: &meeting_migration::Error) {
    assert_eq!(
        e.code,
        ErrorCode::StoreIo,
        "{what}: {:?} {}",
        e.code,
        e.message
    );
    assert!(
        e.message.contains("disk holding the store is full")
            && e.message.contains("Free some space"),
        "{what}: {}",
        e.message
    );
}

#[test]
fn a_full_disk_is_a_clear_error_and_leaves_a_usable_store() {
    let Some(disk) = SmallDisk::mount("6m") else {
        eprintln!("skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)");
        return;
    };
    let store = disk.path().join("mms.db");
    let svc = Service::open(Some(&store)).unwrap();
    svc.create_sample_tenant(&SampleOptions {
        user_count: 20,
        meetings_per_user: 3,
        ..Default::default()
    })
    .unwrap();
    let queued = svc.start(&StartRequest::new("John@contoso.com")).unwrap();
    let john_before = svc.meetings(None, "John@contoso.com").unwrap();
    let users_before = user_count(&svc);

    // The import file lives elsewhere: only the store's disk is full.
    let elsewhere = tempfile::tempdir().unwrap();
    let import = elsewhere.path().join("users.json");
    let users: Vec<String> = (0..3000)
        .map(|i| format!(r#"{{"UserPrincipalName":"diskfull{i}@contoso.com","DisplayName":"Disk Full {i} with a longer name to take room"}}"#))
        .collect();
    std::fs::write(&import, format!("[{}]", users.join(","))).unwrap();

    let filler = disk.fill();

    let e = svc
        .import_file(None, &import, &mut |_, _| {}, None)
        .unwrap_err();
    assert_store_io("import", &e);
    assert_eq!(user_count(&svc), users_before, "an import was half-written");

    let e = svc
        .start(&StartRequest::new("user1@contoso.com"))
        .unwrap_err();
    assert_store_io("start", &e);

    let options = fast_options();
    let stop = StopSignal::default();
    match run_once(
        &**svc.store(),
        &**svc.clock(),
        &options,
        "disk-full-worker",
        &stop,
    ) {
        Err(e) => assert_store_io("worker", &e),
        Ok(_) => {
            // A worker that claimed could not commit its batches: nothing was rewritten.
        }
    }
    assert_eq!(
        svc.meetings(None, "John@contoso.com").unwrap(),
        john_before,
        "meetings were rewritten on a full disk"
    );
    assert!(svc.resolve(None, "user1@contoso.com").is_ok());

    // Space returns: everything works, and the worker finishes John's request once.
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(
        svc.import_file(None, &import, &mut |_, _| {}, None)
            .unwrap()
            .users,
        3000
    );
    assert_eq!(user_count(&svc), users_before + 3000);
    let started = svc.start(&StartRequest::new("user1@contoso.com")).unwrap();
    assert!(!started.existing);
    drain(&svc, &options);
    let done = status_of(&svc, &queued.status);
    assert_eq!(
        done.state,
        RequestState::Succeeded,
        "{:?}",
        done.last_message
    );
    assert_eq!(
        done.succeeded_meeting + done.failed_meeting,
        done.total_meeting
    );
    assert_eq!(
        status_of(&svc, &started.status).state,
        RequestState::Succeeded
    );
    drop(svc);
    let check = Command::new("sqlite3")
        .arg(&store)
        .arg("PRAGMA integrity_check;")
        .output()
        .expect("sqlite3");
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
}
