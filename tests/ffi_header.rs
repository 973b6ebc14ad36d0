//! The committed include/meeting_migration.h is what cbindgen generates from the source
//! now (regenerate: see cbindgen.toml), and it states the ABI version the library reports.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn committed() -> String {
    std::fs::read_to_string(root().join("include/meeting_migration.h"))
        .expect("include/meeting_migration.h is committed")
}

#[test]
fn committed_header_is_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("meeting_migration.h");
    // The source-file form of `cbindgen --crate meeting-migration`: same header, but no
    // `cargo metadata`, so it works offline.
    let run = Command::new("cbindgen")
        .current_dir(root())
        .args(["--config", "cbindgen.toml", "--quiet", "--output"])
        .arg(&fresh)
        .arg("src/lib.rs")
        .output();
    let output = match run {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED committed_header_is_fresh: cbindgen is not installed (CI installs it)."
            );
            return;
        }
        Err(e) => panic!("cannot run cbindgen: {e}"),
    };
    assert!(
        output.status.success(),
        "cbindgen failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fresh = std::fs::read_to_string(&fresh).unwrap();
    if fresh != committed() {
        let first = fresh
            .lines()
            .zip(committed().lines())
            .position(|(a, b)| a != b)
            .map_or("the length".to_string(), |i| format!("line {}", i + 1));
        panic!(
            "include/meeting_migration.h is stale (first difference at {first}). Regenerate it:\n  \
             cbindgen --config cbindgen.toml --output include/meeting_migration.h src/lib.rs"
        );
    }
}

#[test]
fn header_states_the_abi_version_and_keeps_test_hooks_out() {
    let header = committed();
    let define = format!(
        "#define MMS_ABI_VERSION {}",
        meeting_migration::ffi::mms_abi_version()
    );
    assert!(header.contains(&define), "the header lacks `{define}`");
    assert!(
        !header.contains("mms_test_"),
        "a test-only symbol is in the header"
    );
    assert!(header.contains("#ifndef MEETING_MIGRATION_H"));
    assert!(header.contains("extern \"C\""));
    for name in [
        "mms_version",
        "mms_abi_version",
        "mms_string_free",
        "mms_error_codes",
        "mms_store_open",
        "mms_store_free",
        "mms_worker_start",
        "mms_worker_stop",
        "mms_store_check",
        "mms_store_backup",
        "mms_identity_resolve",
        "mms_users_list",
        "mms_migration_preview",
        "mms_migration_start",
        "mms_migration_start_batch",
        "mms_migration_preview_batch",
        "mms_status_query",
        "mms_status_summary",
        "mms_status_get",
        "mms_cancel_new",
        "mms_cancel_cancel",
        "mms_cancel_free",
        "mms_migration_wait",
        "mms_tenants_list",
        "mms_tenant_create",
        "mms_tenant_get_default",
        "mms_tenant_set_default",
        "mms_migration_config_get",
        "mms_migration_config_set",
        "mms_dialin_settings_get",
        "mms_dialin_settings_set",
        "mms_data_import",
        "mms_sample_tenant_create",
        "mms_meetings_list",
    ] {
        let declaration = format!("{name}(");
        let at = header
            .match_indices(&declaration)
            .map(|(i, _)| i)
            .find(|&i| {
                let line = &header[header[..i].rfind('\n').map_or(0, |n| n + 1)..];
                matches!(header.as_bytes()[i - 1], b' ' | b'*')
                    && !line.starts_with(" *")
                    && !line.starts_with("/*")
            })
            .unwrap_or_else(|| panic!("{name} is not declared"));
        // Every declaration is documented: a doc comment ends right above it.
        let before = header[..at].trim_end();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let above = header[..line_start].trim_end();
        assert!(above.ends_with("*/"), "{name} has no doc comment");
    }
    for status in meeting_migration::ErrorCode::ALL {
        let screaming: String = status
            .id()
            .chars()
            .enumerate()
            .flat_map(|(i, ch)| {
                let sep = (i > 0 && ch.is_ascii_uppercase()).then_some('_');
                sep.into_iter()
                    .chain(std::iter::once(ch.to_ascii_uppercase()))
            })
            .collect();
        let variant = format!("MMS_STATUS_{screaming} = {},", *status as i32);
        assert!(header.contains(&variant), "the header lacks `{variant}`");
    }
}
