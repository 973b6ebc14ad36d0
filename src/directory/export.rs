//! Data out: a tenant's users, meetings and settings as one JSON file that an import reads
//! back into an identical tenant (`Export-MmsTenantData`, then `Import-MmsTenantData`).
//!
//! The file is `{"Settings": {...}, "Users": [...], "Meetings": [...]}`, one record a line:
//! users as `Get-CsOnlineUser` shows them without what the store computes (`TenantId`,
//! `WindowsDomainLogon`) and without null or empty properties, meetings with the fields an
//! import takes, settings as the `Get-Cs...` cmdlets (and `Get-MmsFaultInjection`) show
//! them without `Identity` and `TenantId`. Users are read page by page, so memory stays flat whatever the tenant's size.
//! The file is private to the user and appears whole or not at all ([`crate::private_file`]).

use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::Path;

use serde_json::{json, Value};

use super::for_each_user;
use super::import::{report, ImportProgress};
use crate::error::{shorten, Error, ErrorCode, Result};
use crate::model::{ExportSummary, Tenant};
use crate::private_file::{create_private_temporary, io_error, place, resolved};
use crate::store::StoreReads;

/// Writes the tenant's data to `path`. `progress(done, total)` counts users twice over
/// (their records, then their meetings); an `Err` from it (a cancelled export) stops the
/// export and leaves no file. An existing `path` is `AlreadyExists` (and left as
/// it was) unless `replace`, and then replaced as a whole (a symbolic link there is
/// replaced, never written through). `reads` should be one read scope, so the file is one
/// consistent state of the tenant.
pub fn export_file(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    path: &Path,
    replace: bool,
    progress: &mut ImportProgress,
) -> Result<ExportSummary> {
    let shown = shorten(&path.display().to_string());
    if std::fs::metadata(path).map_or(false, |m| m.is_dir()) {
        return Err(Error::invalid(format!(
            "'{shown}' is a folder; give the path of a file in it, such as '{}'.",
            path.join("tenant.json").display()
        ))
        .with_target(path.display().to_string()));
    }
    let exists = || {
        Error::new(
            ErrorCode::AlreadyExists,
            format!("'{shown}' exists already; it was left as it was. Choose another path, or replace it (Export-MmsTenantData -Force)."),
        )
        .with_target(path.display().to_string())
    };
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let target = resolved(path)?;
    let temporary = create_private_temporary(&target)?;
    let written = write_to(reads, tenant, &temporary, progress).and_then(|counts| {
        place(&temporary, &target, replace, "the export", exists).map(|_| counts)
    });
    let (users, meetings) = match written {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            return Err(e);
        }
    };
    let bytes = std::fs::metadata(&target)
        .map_err(|e| io_error(path, "examine the export", e))?
        .len();
    Ok(ExportSummary {
        path: target.display().to_string(),
        users,
        meetings,
        bytes,
    })
}

/// Writes the file's text to `file` (a new private file): users and meetings counted.
fn write_to(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    file: &Path,
    progress: &mut ImportProgress,
) -> Result<(usize, usize)> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let io = |e: std::io::Error| io_error(file, "write the export", e);
    let mut out = BufWriter::new(options.open(file).map_err(io)?);
    let total = 2 * tenant.user_count.max(0) as usize;
    let mut done = 0;

    let mut configuration = serde_json::to_value(tenant.migration_configuration())?;
    let mut dial_in = serde_json::to_value(reads.dial_in_settings(tenant)?)?;
    for record in [&mut configuration, &mut dial_in] {
        without(record, &["Identity", "TenantId"]);
    }
    let settings = json!({
        "MigrationConfiguration": configuration,
        "DialInConferencing": dial_in,
        "FaultInjection": tenant.fault_injection,
    });
    write!(out, "{{\"Settings\": {settings},\n\"Users\": [").map_err(io)?;
    let mut users = 0;
    for_each_user(reads, tenant, &mut |user| {
        let mut record = serde_json::to_value(&user)?;
        without(&mut record, &["TenantId", "WindowsDomainLogon"]);
        if let Value::Object(map) = &mut record {
            map.retain(|_, v| !(v.is_null() || v.as_array().map_or(false, Vec::is_empty)));
        }
        let separator = if users == 0 { "\n" } else { ",\n" };
        write!(out, "{separator}{record}").map_err(io)?;
        users += 1;
        done += 1;
        report(progress, done, total).map(ControlFlow::Continue)
    })?;
    write!(out, "],\n\"Meetings\": [").map_err(io)?;
    let mut meetings = 0;
    for_each_user(reads, tenant, &mut |user| {
        for m in reads.meetings_of(user.key)? {
            let record = json!({
                "MeetingId": m.meeting_id,
                "Organizer": m.organizer,
                "Subject": m.subject,
                "StartTime": m.start_time,
                "EndTime": m.end_time,
                "RecurrenceEnd": m.recurrence_end,
                "MeetingType": m.meeting_type,
                "Attendees": m.attendees,
                "Body": m.body,
            });
            let separator = if meetings == 0 { "\n" } else { ",\n" };
            write!(out, "{separator}{record}").map_err(io)?;
            meetings += 1;
        }
        done += 1;
        report(progress, done, total).map(ControlFlow::Continue)
    })?;
    writeln!(out, "]}}").map_err(io)?;
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok((users, meetings))
}

fn without(record: &mut Value, names: &[&str]) {
    if let Value::Object(map) = record {
        for name in names {
            map.remove(*name);
        }
    }
}
