//! The store file itself: what the store refuses to open (another program's database, a
//! symlink it does not expect, a file others can read, a special file), what it does with a
//! damaged file, several connections creating it at once, and the copies it makes. The file
//! rules are Unix ones (owners, modes, FIFOs).
#![cfg(unix)]

mod support;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use meeting_migration::model::StoreCheck;
use meeting_migration::store::sqlite::{schema, SqliteStore};
use meeting_migration::{Error, ErrorCode, Service};
use support::org::org_store;
use support::*;

fn refused(path: &Path) -> Error {
    match Service::open(Some(path)) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e,
    }
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// A closed store holding the sample tenant: everything checkpointed into the one file.
fn closed_sample() -> TestStore {
    let (store, svc) = sample(3, 2);
    drop(svc);
    store
}

#[test]
fn another_programs_database_is_refused_before_anything_in_it_changes() {
    let store = TestStore::new();
    {
        let c = rusqlite::Connection::open(&store.path).unwrap();
        c.execute_batch("CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soup');")
            .unwrap();
    }
    chmod(&store.path, 0o600);
    let before = store.hashes();
    let e = refused(&store.path);
    assert_eq!(e.code, ErrorCode::StoreCorrupt, "{}", e.message);
    assert!(e.message.contains("another program"), "{}", e.message);
    assert_eq!(store.hashes(), before, "the foreign file was modified");
    assert!(!sidecar(&store.path, "-wal").exists(), "a WAL was created");
    let mode: String = store
        .sql()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "its journal mode was switched");
}

#[test]
fn another_programs_database_with_a_pending_write_ahead_log_is_left_as_it_was() {
    let store = TestStore::new();
    {
        let c = rusqlite::Connection::open(&store.path).unwrap();
        // Closing without a checkpoint leaves the rows in the -wal, as a crashed program would.
        c.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = wal; CREATE TABLE recipes(name TEXT); INSERT INTO recipes VALUES ('soup');",
        )
        .unwrap();
    }
    for suffix in ["", "-wal", "-shm"] {
        chmod(&sidecar(&store.path, suffix), 0o600);
    }
    let before = store.hashes();
    assert_eq!(before.len(), 2, "the test needs a pending WAL");
    let e = refused(&store.path);
    assert_eq!(e.code, ErrorCode::StoreCorrupt, "{}", e.message);
    assert_eq!(
        store.hashes(),
        before,
        "the WAL was checkpointed or removed"
    );
}

#[test]
fn a_store_in_a_folder_reached_through_a_symlink_opens_and_backs_up() {
    let store = TestStore::new();
    std::fs::create_dir(store.file("real")).unwrap();
    std::os::unix::fs::symlink(store.file("real"), store.file("linked")).unwrap();
    let path = store.file("linked/mms.db");
    let svc = Service::open(Some(&path)).unwrap();
    svc.create_sample_tenant(&Default::default()).unwrap();
    assert!(store.file("real/mms.db").exists());
    let copy = store.file("linked/copy.db");
    svc.backup_store(&copy, false).unwrap();
    drop(svc);
    let again = Service::open(Some(&copy)).unwrap();
    assert_eq!(again.tenants().unwrap().len(), 1);
}

#[test]
fn a_dangling_symlink_is_refused_and_nothing_is_created_where_it_points() {
    let store = TestStore::new();
    let target = store.file("elsewhere/target.db");
    std::fs::create_dir(store.file("elsewhere")).unwrap();
    std::os::unix::fs::symlink(&target, &store.path).unwrap();
    let e = refused(&store.path);
    assert_eq!(e.code, ErrorCode::StoreUnsafe, "{}", e.message);
    assert!(e.message.contains("symbolic link"), "{}", e.message);
    assert!(
        !target.exists(),
        "the store was created at the link's target"
    );
}

#[test]
fn a_symlink_to_the_users_own_store_is_used_and_the_store_stays_beside_its_target() {
    let store = closed_sample();
    let link = store.file("link.db");
    std::os::unix::fs::symlink(&store.path, &link).unwrap();
    let svc = Service::open(Some(&link)).unwrap();
    assert_eq!(svc.tenants().unwrap().len(), 1);
    svc.set_migration_configuration(None, &serde_json::from_str("{\"HoldMinutes\":5}").unwrap())
        .unwrap();
    assert!(
        !sidecar(&link, "-wal").exists(),
        "SQLite wrote beside the link"
    );
    drop(svc);
    let again = Service::open(Some(&store.path)).unwrap();
    assert_eq!(again.migration_configuration(None).unwrap().hold_minutes, 5);
}

#[test]
fn a_symlink_to_a_special_file_is_refused() {
    let store = TestStore::new();
    std::os::unix::fs::symlink("/dev/null", &store.path).unwrap();
    let e = refused(&store.path);
    assert_eq!(e.code, ErrorCode::StoreUnsafe, "{}", e.message);
}

#[test]
fn a_store_others_can_read_is_refused_with_the_fix_and_left_as_it_was() {
    let store = closed_sample();
    for mode in [0o644, 0o660, 0o606] {
        chmod(&store.path, mode);
        let before = store.hashes();
        let e = refused(&store.path);
        assert_eq!(e.code, ErrorCode::StoreUnsafe, "{mode:o}: {}", e.message);
        assert!(e.message.contains("chmod 600"), "{}", e.message);
        assert!(e.message.contains(&store.path.display().to_string()));
        assert_eq!(store.hashes(), before);
        let now = std::fs::metadata(&store.path).unwrap().permissions().mode();
        assert_eq!(now & 0o777, mode, "the mode was changed");
    }
    chmod(&store.path, 0o600);
    Service::open(Some(&store.path)).unwrap();
}

#[test]
fn a_wal_file_that_others_can_read_or_that_is_a_symlink_is_refused() {
    let store = closed_sample();
    let wal = sidecar(&store.path, "-wal");
    std::fs::write(&wal, b"").unwrap();
    chmod(&wal, 0o666);
    assert_eq!(refused(&store.path).code, ErrorCode::StoreUnsafe);
    std::fs::remove_file(&wal).unwrap();
    let planted = store.file("planted");
    std::os::unix::fs::symlink(&planted, &wal).unwrap();
    let e = refused(&store.path);
    assert_eq!(e.code, ErrorCode::StoreUnsafe, "{}", e.message);
    assert!(!planted.exists());
}

/// Only root can give a file to another user; CI runs as root.
#[test]
fn a_store_owned_by_another_user_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not run: giving a file to another user needs root");
        return;
    }
    let store = closed_sample();
    std::os::unix::fs::chown(&store.path, Some(65534), Some(65534)).unwrap();
    let e = refused(&store.path);
    assert_eq!(e.code, ErrorCode::StoreUnsafe, "{}", e.message);
    assert!(e.message.contains("owned by"), "{}", e.message);
    assert_eq!(std::fs::metadata(&store.path).unwrap().uid(), 65534);
}

#[test]
fn special_files_and_folders_are_refused_up_front_and_left_alone() {
    let store = TestStore::new();
    let journal_existed = Path::new("/dev/null-journal").exists();
    let e = refused(Path::new("/dev/null"));
    assert_eq!(e.code, ErrorCode::StoreUnsafe, "{}", e.message);
    assert!(e.message.contains("not a regular file"), "{}", e.message);
    assert_eq!(Path::new("/dev/null-journal").exists(), journal_existed);

    let folder = store.file("a-folder");
    std::fs::create_dir(&folder).unwrap();
    assert_eq!(refused(&folder).code, ErrorCode::StoreUnsafe);

    // Opening a FIFO would block: the refusal must come first, without a reader.
    let fifo = store.file("fifo.db");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || tx.send(refused(&path).code).unwrap());
    let code = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("opening a FIFO as the store hung");
    assert_eq!(code, ErrorCode::StoreUnsafe);
}

#[test]
fn connections_creating_one_new_store_at_once_all_succeed() {
    for round in 0..5 {
        let store = TestStore::new();
        let path = store.file(&format!("new/round{round}.db"));
        let n = 8;
        let barrier = Arc::new(Barrier::new(n));
        let opened: Vec<_> = (0..n)
            .map(|_| {
                let (barrier, path) = (barrier.clone(), path.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    SqliteStore::open(&path).map(|s| s.schema_version().unwrap())
                })
            })
            .collect();
        for thread in opened {
            match thread.join().unwrap() {
                Ok(version) => assert_eq!(version, schema::STEPS.len()),
                Err(e) => panic!("round {round}: {:?}: {}", e.code, e.message),
            }
        }
    }
}

/// Overwrites every occurrence of `needle` in the file with 0xFF bytes (invalid UTF-8).
fn damage_text(path: &Path, needle: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    let needle = needle.as_bytes();
    let mut hits = 0;
    let mut i = 0;
    while i + needle.len() <= bytes.len() {
        if &bytes[i..i + needle.len()] == needle {
            bytes[i..i + needle.len()].fill(0xFF);
            hits += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    assert!(hits > 0, "{needle:?} is not in the file");
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn damaged_text_is_store_corrupt_naming_the_file_and_then_writes_are_refused() {
    let (store, svc) = org_store();
    drop(svc);
    damage_text(&store.path, "future onprem");
    let svc = store.open();
    let e = svc.meetings(None, "org@contoso.com").unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreCorrupt, "{}", e.message);
    assert!(
        e.message.contains(&store.path.display().to_string()),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("Test-MmsStore") && e.message.contains("copy"),
        "{}",
        e.message
    );
    let before = store.hashes();
    let e = svc
        .set_migration_configuration(None, &serde_json::from_str("{\"HoldMinutes\":5}").unwrap())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreCorrupt, "{}", e.message);
    assert_eq!(store.hashes(), before, "a write went into the damaged file");

    let check = svc.check_store().unwrap();
    assert!(!check.healthy);
    assert!(
        check
            .problems
            .iter()
            .any(|p| p.contains("meetings") && p.contains("UTF-8")),
        "{:?}",
        check.problems
    );
}

/// Makes one b-tree page of the users table unreadable (an invalid page type).
fn damage_users_page(store: &TestStore) {
    let (page, page_size): (i64, i64) = store
        .sql()
        .query_row(
            "SELECT (SELECT rootpage FROM sqlite_master WHERE name = 'users'), (SELECT page_size FROM pragma_page_size)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut bytes = std::fs::read(&store.path).unwrap();
    bytes[((page - 1) * page_size) as usize] = 0x42;
    std::fs::write(&store.path, bytes).unwrap();
}

#[test]
fn a_store_with_a_broken_page_is_found_at_open_and_refuses_writes() {
    let store = closed_sample();
    damage_users_page(&store);
    let before = sha256sum(std::slice::from_ref(&store.path));
    let svc = store.open();
    let e = svc.create_sample_tenant(&Default::default()).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreCorrupt, "{}", e.message);
    assert!(
        e.message.contains(&store.path.display().to_string()),
        "{}",
        e.message
    );
    assert!(e.message.contains("quick check"), "{}", e.message);
    assert_eq!(
        sha256sum(std::slice::from_ref(&store.path)),
        before,
        "a write went into the damaged file"
    );
    let wal = std::fs::metadata(sidecar(&store.path, "-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "a write went into the damaged file's WAL");
    let StoreCheck {
        healthy, problems, ..
    } = svc.check_store().unwrap();
    assert!(!healthy && !problems.is_empty());
}

#[test]
fn a_healthy_store_checks_healthy() {
    let (store, svc) = org_store();
    let check = svc.check_store().unwrap();
    assert!(check.healthy, "{:?}", check.problems);
    assert!(check.problems.is_empty());
    assert_eq!(check.path, store.path.display().to_string());
}

#[test]
fn a_closed_store_is_one_self_contained_file() {
    let (store, svc) = sample(3, 2);
    let tenants = svc.tenants().unwrap();
    drop(svc);
    assert!(
        std::fs::metadata(sidecar(&store.path, "-wal")).map_or(true, |m| m.len() == 0),
        "data left in the WAL after close"
    );
    let copy = store.file("copy.db");
    std::fs::copy(&store.path, &copy).unwrap();
    let svc = Service::open(Some(&copy)).unwrap();
    assert_eq!(svc.tenants().unwrap(), tenants);
}

#[test]
fn a_backup_is_a_private_consistent_copy_made_while_the_store_is_in_use() {
    let (store, svc) = sample(40, 3);
    // Data still in the WAL, and a reader holding a snapshot, while the copy is made.
    let reader = store.sql();
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM users;")
        .unwrap();
    let copy = store.file("backups/copy.db");
    std::fs::create_dir(store.file("backups")).unwrap();
    let made = svc.backup_store(&copy, false).unwrap();
    assert_eq!(made.path, copy.display().to_string());
    assert!(made.bytes > 0);
    reader.execute_batch("COMMIT").unwrap();
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let restored = Service::open(Some(&copy)).unwrap();
    let restored_tenants = restored.tenants().unwrap();
    assert_eq!(restored_tenants, svc.tenants().unwrap());
    assert!(restored.check_store().unwrap().healthy);

    // An existing file is kept unless replacing is asked for.
    let e = svc.backup_store(&copy, false).unwrap_err();
    assert_eq!(e.code, ErrorCode::AlreadyExists, "{}", e.message);
    drop(restored);
    svc.backup_store(&copy, true).unwrap();

    // Never over the store itself, whatever the name.
    for own in [store.path.clone(), sidecar(&store.path, "-wal")] {
        let e = svc.backup_store(&own, true).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{}", e.message);
    }
    std::os::unix::fs::symlink(&store.path, store.file("alias.db")).unwrap();
    assert_eq!(
        svc.backup_store(&store.file("alias.db"), true)
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
    assert_eq!(svc.tenants().unwrap(), restored_tenants);

    // A symlink at the destination is replaced, never written through.
    let victim = store.file("victim");
    std::fs::write(&victim, "keep me").unwrap();
    let link = store.file("link.db");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    assert_eq!(
        svc.backup_store(&link, false).unwrap_err().code,
        ErrorCode::AlreadyExists
    );
    svc.backup_store(&link, true).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // A copy that cannot be put in place leaves no temporary file behind.
    let folder = store.file("a-folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside"), "x").unwrap();
    for replace in [false, true] {
        let e = svc.backup_store(&folder, replace).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{}", e.message);
        assert!(e.message.contains("is a folder"), "{}", e.message);
    }
    let e = svc
        .backup_store(&store.file("no-such-folder/copy.db"), false)
        .unwrap_err();
    assert!(
        e.message.contains("does not exist; create it first"),
        "{}",
        e.message
    );
    let leftovers: Vec<_> = std::fs::read_dir(store.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
