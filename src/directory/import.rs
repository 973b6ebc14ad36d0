//! Data in: users and meetings from JSON, users from CSV, validated record by record into
//! [`DirectoryData`] that the store writes in one transaction. A bad record's error names
//! its place (`Users[3]`, `line 7`) and field; nothing is written then.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::validate::{bad, UserFields};
use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::fold;
use crate::invitation;
use crate::model::{
    parse_guid, DialInSettingsChanges, DirectoryData, FaultInjectionChanges, FieldKind,
    MeetingType, MigrationConfigurationChanges, NewMeeting, NewUser, Tenant, UserField,
};
use crate::time::Timestamp;

/// Field names of import records, matched case-insensitively.
const MEETING_FIELDS: &[&str] = &[
    "MeetingId",
    "Organizer",
    "Subject",
    "StartTime",
    "EndTime",
    "RecurrenceEnd",
    "MeetingType",
    "Attendees",
    "Body",
];

/// A record's fields by canonical name; unknown fields are an error (they are typos).
struct Record<'a> {
    source: String,
    fields: Vec<(&'static str, &'a Value)>,
}

impl<'a> Record<'a> {
    fn new(source: String, value: &'a Value, known: &[&'static str]) -> Result<Self> {
        let Value::Object(map) = value else {
            return Err(bad(&source, "record", "is not a JSON object"));
        };
        let mut fields = Vec::new();
        for (name, v) in map {
            let canonical = known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(name))
                .ok_or_else(|| bad(&source, name, unknown_field(name, known)))?;
            fields.push((*canonical, v));
        }
        Ok(Record { source, fields })
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_null())
    }

    fn text(&self, name: &str) -> Result<Option<String>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(bad(
                &self.source,
                name,
                format!("expected a string, found {}", shorten(&other.to_string())),
            )),
        }
    }

    fn time(&self, name: &str) -> Result<Option<Timestamp>> {
        self.text(name)?
            .map(|t| Timestamp::parse(&t).map_err(|e| bad(&self.source, name, e.message)))
            .transpose()
    }
}

/// The fields a user record may have: every property `Get-CsOnlineUser` shows.
fn user_field_names() -> Vec<&'static str> {
    UserField::ALL
        .iter()
        .map(|f| f.name())
        .chain(["AssignedPlans"])
        .collect()
}

/// Why a field is not known: its close matches, and the accepted ones (all of them when
/// few; a user has too many to list in one message).
fn unknown_field(name: &str, known: &[&'static str]) -> String {
    if known.len() <= 12 {
        return format!("is not a known field (known: {})", known.join(", "));
    }
    let close = UserField::close_matches(name);
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!("did you mean {}? ", close.join(", "))
    };
    format!(
        "is not a known field ({hint}the {} accepted fields are the properties Get-CsOnlineUser shows; see Get-Help Import-MmsTenantData)",
        known.len()
    )
}

/// A user record's fields. Every property `Get-CsOnlineUser` shows is recognised, so its
/// output (`ConvertTo-Json`) imports; the ones the store computes (`WindowsDomainLogon`,
/// `TenantId`) are skipped. Booleans, numbers and, for multi-valued properties, arrays are
/// taken as they are written.
fn user_fields(r: &Record) -> Result<UserFields> {
    let mut fields = UserFields::default();
    for &field in UserField::ALL.iter().filter(|f| f.importable()) {
        let text = match (r.get(field.name()), field.kind()) {
            (None, _) => continue,
            (Some(Value::String(s)), _) => s.clone(),
            (Some(Value::Bool(b)), FieldKind::Bool) => {
                if *b { "True" } else { "False" }.to_string()
            }
            (Some(v @ Value::Array(_)), kind) if kind.is_multi_valued() => v.to_string(),
            (Some(v @ Value::Object(_)), FieldKind::Objects(_)) => v.to_string(),
            (Some(Value::Number(n)), FieldKind::Text) => n.to_string(),
            (Some(other), _) => {
                return Err(bad(
                    &r.source,
                    field.name(),
                    format!("expected a string, found {}", shorten(&other.to_string())),
                ))
            }
        };
        fields.set(field, text);
    }
    Ok(fields)
}

fn meeting(r: &Record) -> Result<NewMeeting> {
    let src = &r.source;
    let meeting_id = match r.text("MeetingId")? {
        Some(t) => parse_guid(&t)
            .ok_or_else(|| bad(src, "MeetingId", format!("'{}' is not a GUID", shorten(&t))))?,
        None => Uuid::new_v4(),
    };
    let organizer = r.text("Organizer")?.ok_or_else(|| {
        bad(
            src,
            "Organizer",
            "is required (the organiser's user principal name)",
        )
    })?;
    let start = r
        .time("StartTime")?
        .ok_or_else(|| bad(src, "StartTime", "is required"))?;
    let end = r
        .time("EndTime")?
        .ok_or_else(|| bad(src, "EndTime", "is required"))?;
    if end <= start {
        return Err(bad(src, "EndTime", "is not after StartTime"));
    }
    let recurrence_end = r.time("RecurrenceEnd")?;
    if recurrence_end.map_or(false, |r| r < end) {
        return Err(bad(src, "RecurrenceEnd", "is before EndTime"));
    }
    let meeting_type = match r.text("MeetingType")? {
        Some(t) => MeetingType::parse(&t).map_err(|e| bad(src, "MeetingType", e.message))?,
        None => MeetingType::Teams,
    };
    let attendees = match r.get("Attendees") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| bad(src, &format!("Attendees[{i}]"), "is not a string"))
            })
            .collect::<Result<_>>()?,
        Some(other) => {
            return Err(bad(
                src,
                "Attendees",
                format!(
                    "expected an array of addresses, found {}",
                    shorten(&other.to_string())
                ),
            ))
        }
    };
    let subject = r.text("Subject")?.unwrap_or_default();
    let body = match r.text("Body")? {
        Some(b) => {
            if invitation::OnlineMeetingBlock::find(&b).is_none() {
                return Err(bad(src, "Body", "has no online-meeting block (a block starts and ends with a line of 80 underscores); leave Body out to get one"));
            }
            b
        }
        None => invitation::sample_invitation(
            &subject,
            meeting_type,
            &invitation::JoinDetails::initial(
                meeting_id,
                meeting_type,
                &invitation::join_domain(&organizer),
            ),
        ),
    };
    Ok(NewMeeting {
        source: src.clone(),
        meeting_id,
        organizer_key: fold(&organizer),
        subject,
        start,
        end,
        recurrence_end,
        meeting_type,
        attendees,
        body,
    })
}

/// Rejects a record whose unique keys repeat an earlier record of the same file.
fn check_unique(users: &[NewUser]) -> Result<()> {
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let object_ids: Vec<String> = users.iter().map(|u| u.user.identity.to_string()).collect();
    for (u, id) in users.iter().zip(&object_ids) {
        let keys = [
            ("Identity", Some(id.as_str())),
            ("UserPrincipalName", Some(u.keys.upn.as_str())),
            ("SipAddress", u.keys.sip.as_deref()),
            ("SamAccountName", u.keys.logon.as_deref()),
            ("DistinguishedName", u.keys.dn.as_deref()),
        ];
        for (field, key) in keys {
            if let Some(k) = key {
                if !seen.insert((field, k)) {
                    return Err(bad(
                        &u.source,
                        field,
                        format!("'{}' repeats an earlier record of the file", shorten(k)),
                    ));
                }
            }
        }
    }
    Ok(())
}

fn section<'a>(name: &str, map: &'a Map<String, Value>) -> Result<&'a [Value]> {
    match map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
    {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items.as_slice()),
        Some(_) => Err(bad(name, name, "is not an array")),
    }
}

/// The `Settings` section of a JSON import (`Export-MmsTenantData` writes it): the tenant's
/// migration configuration, dial-in settings and fault injection as the `Get-...` cmdlets show them,
/// without `Identity` and `TenantId`. A setting left out keeps the tenant's value; a null
/// number, address or display name clears it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SettingsSection {
    #[serde(default)]
    pub migration_configuration: Option<MigrationConfigurationChanges>,
    #[serde(default)]
    pub dial_in_conferencing: Option<DialInSettingsChanges>,
    /// As `Get-MmsFaultInjection` shows it (product-only).
    #[serde(default)]
    pub fault_injection: Option<FaultInjectionChanges>,
}

/// The dial-in settings a null clears (the others keep their value when null).
const CLEARED_BY_NULL: &[&str] = &[
    "DefaultTollNumber",
    "DefaultTollFreeNumber",
    "SendEmailFromAddress",
    "SendEmailFromDisplayName",
];

fn settings_section(value: &Value) -> Result<SettingsSection> {
    let mut value = value.clone();
    if let Some(Value::Object(dial_in)) = value.get_mut("DialInConferencing") {
        dial_in.retain(|name, v| {
            !v.is_null() || CLEARED_BY_NULL.iter().any(|c| c.eq_ignore_ascii_case(name))
        });
        for v in dial_in.values_mut().filter(|v| v.is_null()) {
            *v = Value::String(String::new());
        }
    }
    serde_json::from_value(value).map_err(|e| bad("Settings", "Settings", e.to_string()))
}

/// Parses a JSON import: `{"Users": [...], "Meetings": [...], "Settings": {...}}` (each
/// section optional) or an array of users.
pub fn parse_json(
    text: &str,
    tenant: &Tenant,
    progress: &mut ImportProgress,
) -> Result<(DirectoryData, Option<SettingsSection>)> {
    let root: Value = serde_json::from_str(without_bom(text)).map_err(|e| {
        Error::new(
            ErrorCode::ImportFailed,
            format!(
                "The file is not valid JSON (line {}, column {}): {e}. Nothing was imported.",
                e.line(),
                e.column()
            ),
        )
    })?;
    let (users, meetings): (&[Value], &[Value]) = match &root {
        Value::Array(users) => (users, &[]),
        Value::Object(map) => {
            if let Some(extra) = map.keys().find(|k| !["Users", "Meetings", "Settings"].iter().any(|s| k.eq_ignore_ascii_case(s))) {
                return Err(bad("the file", extra, "is not a section of an import file (use Users, Meetings and Settings)"));
            }
            (section("Users", map)?, section("Meetings", map)?)
        }
        _ => return Err(Error::new(ErrorCode::ImportFailed, "The JSON file must hold an object with Users and Meetings arrays, or an array of users.")),
    };
    let settings = match &root {
        Value::Object(map) => map
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case("Settings") && !v.is_null())
            .map(|(_, v)| settings_section(v))
            .transpose()?,
        _ => None,
    };
    let total = users.len() + meetings.len();
    let mut data = DirectoryData::default();
    let user_columns = user_field_names();
    for (i, value) in users.iter().enumerate() {
        let record = Record::new(format!("Users[{i}]"), value, &user_columns)?;
        data.users.push(NewUser::from_fields(
            user_fields(&record)?,
            tenant,
            &record.source,
        )?);
        report(progress, i + 1, total)?;
    }
    check_unique(&data.users)?;
    for (i, value) in meetings.iter().enumerate() {
        let record = Record::new(format!("Meetings[{i}]"), value, MEETING_FIELDS)?;
        data.meetings.push(meeting(&record)?);
        report(progress, users.len() + i + 1, total)?;
    }
    Ok((data, settings))
}

/// Progress while reading (or, for an export, writing) records; an `Err` (a cancelled
/// import or export) stops it.
pub type ImportProgress<'a> = dyn FnMut(usize, usize) -> Result<()> + 'a;

pub(super) fn report(progress: &mut ImportProgress, done: usize, total: usize) -> Result<()> {
    if done % 1000 == 0 || done == total {
        progress(done, total)?;
    }
    Ok(())
}

/// Parses a CSV of users with a header row of user field names.
pub fn parse_csv(
    text: &str,
    tenant: &Tenant,
    progress: &mut ImportProgress,
) -> Result<DirectoryData> {
    let csv_error = |e: csv::Error| {
        let line = e
            .position()
            .map_or(String::from("the file"), |p| format!("line {}", p.line()));
        Error::new(
            ErrorCode::ImportFailed,
            format!("{line}: {e}. Nothing was imported."),
        )
        .with_target(line)
    };
    let text = without_bom(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(csv_error)?.clone();
    // Every column is a property Get-CsOnlineUser shows (so Export-Csv output imports); the
    // computed ones are skipped (None). An unknown column names what was found.
    let mut columns: Vec<Option<UserField>> = Vec::new();
    for h in headers.iter() {
        let Some(field) = UserField::parse(h) else {
            let found: Vec<&str> = headers.iter().collect();
            let delimiter = if found.len() == 1 && h.contains([';', '\t', '|']) {
                " The header is one column: is the file delimited by something other than commas? Import-Csv -Delimiter reads it; Export-Csv writes commas."
            } else {
                ""
            };
            return Err(bad(
                "line 1",
                h,
                format!(
                    "{} The columns found: {}.{delimiter}",
                    unknown_field(h, &user_field_names()).replacen(
                        "is not a known field",
                        "is not a user property",
                        1
                    ),
                    shorten(&found.join(", "))
                ),
            ));
        };
        columns.push(field.importable().then_some(field));
    }
    let total = text.lines().count().saturating_sub(1);
    let mut data = DirectoryData::default();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(csv_error)?;
        let source = format!("line {}", row.position().map_or(i as u64 + 2, |p| p.line()));
        let mut fields = UserFields::default();
        for (field, cell) in columns.iter().zip(row.iter()) {
            if let Some(field) = field {
                fields.set(*field, cell);
            }
        }
        data.users
            .push(NewUser::from_fields(fields, tenant, &source)?);
        report(progress, i + 1, total.max(i + 1))?;
    }
    check_unique(&data.users)?;
    Ok(data)
}

/// Largest import file read unless the caller raises the limit: about a million users as
/// JSON. The whole file is held in memory while it is validated, so the limit bounds that.
pub const DEFAULT_MAX_IMPORT_BYTES: u64 = 256 * 1024 * 1024;
/// Bytes read between two looks at the cancellation flag.
const READ_CHUNK: usize = 1 << 20;

/// How an import reads its file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ImportOptions {
    /// Largest file accepted, in bytes; `None` for [`DEFAULT_MAX_IMPORT_BYTES`].
    #[serde(default)]
    pub max_bytes: Option<u64>,
}

/// Reads an import file: a regular file only (a FIFO, device or folder is refused before
/// any read, and opening never waits for a FIFO's writer), at most `max_bytes`, in chunks
/// with `check` (cancellation) between them, without a UTF-8 BOM.
pub fn read_import_file(
    path: &Path,
    max_bytes: u64,
    check: &dyn Fn() -> Result<()>,
) -> Result<String> {
    use std::io::Read;
    let shown = shorten(&path.display().to_string());
    let failed = |why: String| {
        Error::new(ErrorCode::ImportFailed, why).with_target(path.display().to_string())
    };
    let io = |e: std::io::Error| failed(format!("Cannot read '{shown}': {e}."));
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if !metadata.is_file() {
        let what = if metadata.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(failed(format!(
            "'{shown}' is {what}; Import-MmsTenantData reads a .json or .csv file. Nothing was imported."
        )));
    }
    let too_big = |size: String| {
        failed(format!(
            "'{shown}' is {size} bytes, over the import limit of {max_bytes} bytes; nothing was imported. Split the file, or raise the limit: Import-MmsTenantData -MaximumFileSize <bytes> (the MaxBytes option of mms_data_import_with_options)."
        ))
    };
    if metadata.len() > max_bytes {
        return Err(too_big(metadata.len().to_string()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    let mut chunk = vec![0u8; READ_CHUNK];
    loop {
        check()?;
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        // The file may have grown since it was measured.
        if (bytes.len() + n) as u64 > max_bytes {
            return Err(too_big(format!("more than {max_bytes}")));
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        failed(format!(
            "'{shown}' is not UTF-8 text (invalid byte at offset {}); save it as UTF-8. Nothing was imported.",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(text)
}

/// The text without a UTF-8 byte order mark (Windows PowerShell 5.1 writes one).
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
