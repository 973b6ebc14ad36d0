//! Data in: users and meetings from JSON, users from CSV, validated record by record into
//! [`DirectoryData`] that the store writes in one transaction. A bad record's error names
//! its place (`Users[3]`, `line 7`) and field; nothing is written then.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::{canonical_dn, domain_logon_key, fold, sip_key};
use crate::migration::rewrite;
use crate::migration::status::CancelToken;
use crate::model::{MeetingType, Tenant};
use crate::service::Service;
use crate::time::Timestamp;

/// TeamsUpgradeEffectiveMode values accepted.
pub const UPGRADE_MODES: &[&str] = &[
    "Islands",
    "SfBOnly",
    "SfBWithTeamsCollab",
    "SfBWithTeamsCollabAndMeetings",
    "TeamsOnly",
];

/// The canonical lookup keys of a user (see [`crate::identity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKeys {
    pub upn: String,
    pub sip: Option<String>,
    pub logon: Option<String>,
    pub display_name: String,
    pub dn: Option<String>,
}

/// A validated user ready to store.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Where the record came from, for errors (`Users[3]`, `line 7`).
    pub source: String,
    pub object_id: Uuid,
    pub upn: String,
    pub sip: Option<String>,
    pub display_name: String,
    pub sam: Option<String>,
    pub windows_logon: Option<String>,
    pub dn: Option<String>,
    pub mode: String,
    pub toll: Option<String>,
    pub toll_free: Option<String>,
    pub keys: UserKeys,
}

/// A validated meeting ready to store.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub source: String,
    pub meeting_id: Uuid,
    /// The organiser's canonical UPN.
    pub organizer_key: String,
    pub subject: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub recurrence_end: Option<Timestamp>,
    pub meeting_type: MeetingType,
    pub attendees: Vec<String>,
    pub body: String,
}

/// Users and meetings to add to a tenant in one transaction.
#[derive(Debug, Clone, Default)]
pub struct DirectoryData {
    pub users: Vec<NewUser>,
    pub meetings: Vec<NewMeeting>,
}

/// What an import added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportSummary {
    pub users: usize,
    pub meetings: usize,
}

/// Raw fields of one user, before validation.
#[derive(Debug, Clone, Default)]
pub struct UserFields {
    pub identity: Option<String>,
    pub user_principal_name: Option<String>,
    pub sip_address: Option<String>,
    pub display_name: Option<String>,
    pub sam_account_name: Option<String>,
    pub distinguished_name: Option<String>,
    pub teams_upgrade_effective_mode: Option<String>,
    pub toll: Option<String>,
    pub toll_free: Option<String>,
}

fn bad(source: &str, field: &str, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::ImportFailed,
        format!(
            "{source}, field {}: {why}. Nothing was imported.",
            shorten(field)
        ),
    )
    .with_target(format!("{source}.{}", shorten(field)))
}

/// Checks a phone number: `+`, digits, spaces, `-`, `(`, `)`, with at least 7 digits.
pub fn check_phone_number(number: &str) -> std::result::Result<(), String> {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if number.trim().is_empty()
        || number
            .chars()
            .any(|c| !(c.is_ascii_digit() || " +-().".contains(c)))
        || digits < 7
    {
        return Err(format!("'{}' is not a phone number: use digits with an optional leading + (e.g. +1 425 555 0100)", shorten(number)));
    }
    Ok(())
}

fn check_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && !text.contains(['*', '?', '\\', '"', '\0'])
}

fn sip_address(text: &str) -> String {
    match text.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("sip:") => format!("sip:{}", &text[4..]),
        _ => format!("sip:{text}"),
    }
}

impl NewUser {
    /// Validates one user record of `tenant` and computes its lookup keys.
    pub fn from_fields(f: UserFields, tenant: &Tenant, source: &str) -> Result<NewUser> {
        let non_empty =
            |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let upn = non_empty(f.user_principal_name)
            .ok_or_else(|| bad(source, "UserPrincipalName", "is required"))?;
        if !check_address(&upn) {
            return Err(bad(
                source,
                "UserPrincipalName",
                format!(
                    "'{}' is not a user principal name (name@domain.com)",
                    shorten(&upn)
                ),
            ));
        }
        let object_id = match non_empty(f.identity) {
            Some(text) => Uuid::parse_str(text.trim_matches(['{', '}'])).map_err(|_| {
                bad(
                    source,
                    "Identity",
                    format!("'{}' is not a GUID", shorten(&text)),
                )
            })?,
            None => Uuid::new_v4(),
        };
        // Stored as given apart from the prefix, which is always lower-case `sip:`.
        let sip = match non_empty(f.sip_address).map(|s| sip_address(&s)) {
            Some(s) => {
                let address = &s[4..];
                if !check_address(address) {
                    return Err(bad(
                        source,
                        "SipAddress",
                        format!(
                            "'{}' is not a SIP address (sip:name@domain.com)",
                            shorten(&s)
                        ),
                    ));
                }
                Some(s)
            }
            None => None,
        };
        let sip_lookup = sip.as_deref().map(sip_key);
        let display_name = non_empty(f.display_name)
            .unwrap_or_else(|| upn.split('@').next().unwrap_or(&upn).to_string());
        if display_name.contains(['*', '?', '\0']) {
            return Err(bad(
                source,
                "DisplayName",
                format!("'{}' contains '*', '?' or NUL", shorten(&display_name)),
            ));
        }
        let sam = non_empty(f.sam_account_name);
        if let Some(s) = &sam {
            if s.contains(['\\', '@', '*', '?', '\0', ' ']) {
                return Err(bad(
                    source,
                    "SamAccountName",
                    format!(
                        "'{}' is not a logon name (no spaces, '\\', '@' or wildcards)",
                        shorten(s)
                    ),
                ));
            }
        }
        let upn_domain = fold(upn.split_once('@').map(|(_, d)| d).unwrap_or(""));
        let net_bios = tenant
            .domains
            .iter()
            .find(|d| fold(&d.name) == upn_domain)
            .map(|d| d.net_bios_name.clone());
        let windows_logon = match (&net_bios, &sam) {
            (Some(n), Some(s)) => Some(format!("{}\\{s}", n.to_uppercase())),
            _ => None,
        };
        let dn = non_empty(f.distinguished_name);
        let dn_key = match &dn {
            Some(d) => Some(canonical_dn(d).map_err(|why| {
                bad(
                    source,
                    "DistinguishedName",
                    format!("'{}' is not a distinguished name: {why}", shorten(d)),
                )
            })?),
            None => None,
        };
        let mode = match non_empty(f.teams_upgrade_effective_mode) {
            Some(m) => UPGRADE_MODES
                .iter()
                .find(|known| known.eq_ignore_ascii_case(&m))
                .map(|s| s.to_string())
                .ok_or_else(|| {
                    bad(
                        source,
                        "TeamsUpgradeEffectiveMode",
                        format!(
                            "'{}' is not one of {}",
                            shorten(&m),
                            UPGRADE_MODES.join(", ")
                        ),
                    )
                })?,
            None => "Islands".to_string(),
        };
        let toll = non_empty(f.toll);
        let toll_free = non_empty(f.toll_free);
        for (field, number) in [
            ("AudioConferencingTollNumber", &toll),
            ("AudioConferencingTollFreeNumber", &toll_free),
        ] {
            if let Some(n) = number {
                check_phone_number(n).map_err(|why| bad(source, field, why))?;
            }
        }
        Ok(NewUser {
            source: source.to_string(),
            keys: UserKeys {
                upn: fold(&upn),
                sip: sip_lookup,
                logon: windows_logon
                    .as_ref()
                    .and_then(|l| l.split_once('\\').map(|(n, s)| domain_logon_key(n, s))),
                display_name: fold(&display_name),
                dn: dn_key,
            },
            object_id,
            upn,
            sip,
            display_name,
            sam,
            windows_logon,
            dn,
            mode,
            toll,
            toll_free,
        })
    }
}

/// Field names of import records, matched case-insensitively.
const USER_FIELDS: &[&str] = &[
    "Identity",
    "UserPrincipalName",
    "SipAddress",
    "DisplayName",
    "SamAccountName",
    "DistinguishedName",
    "TeamsUpgradeEffectiveMode",
    "AudioConferencingTollNumber",
    "AudioConferencingTollFreeNumber",
];
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
                .ok_or_else(|| {
                    bad(
                        &source,
                        name,
                        format!("is not a known field (known: {})", known.join(", ")),
                    )
                })?;
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

fn user_fields(r: &Record) -> Result<UserFields> {
    Ok(UserFields {
        identity: r.text("Identity")?,
        user_principal_name: r.text("UserPrincipalName")?,
        sip_address: r.text("SipAddress")?,
        display_name: r.text("DisplayName")?,
        sam_account_name: r.text("SamAccountName")?,
        distinguished_name: r.text("DistinguishedName")?,
        teams_upgrade_effective_mode: r.text("TeamsUpgradeEffectiveMode")?,
        toll: r.text("AudioConferencingTollNumber")?,
        toll_free: r.text("AudioConferencingTollFreeNumber")?,
    })
}

fn meeting(r: &Record, tenant: &Tenant) -> Result<NewMeeting> {
    let src = &r.source;
    let meeting_id = match r.text("MeetingId")? {
        Some(t) => Uuid::parse_str(t.trim())
            .map_err(|_| bad(src, "MeetingId", format!("'{}' is not a GUID", shorten(&t))))?,
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
            if rewrite::OnlineMeetingBlock::find(&b).is_none() {
                return Err(bad(src, "Body", "has no online-meeting block (a block starts and ends with a line of 80 underscores); leave Body out to get one"));
            }
            b
        }
        None => rewrite::sample_invitation(
            &subject,
            meeting_type,
            &rewrite::JoinDetails::initial(meeting_id, meeting_type, tenant_domain(tenant)),
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

fn tenant_domain(tenant: &Tenant) -> &str {
    tenant
        .domains
        .first()
        .map_or("contoso.com", |d| d.name.as_str())
}

/// Rejects a record whose unique keys repeat an earlier record of the same file.
fn check_unique(users: &[NewUser]) -> Result<()> {
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let object_ids: Vec<String> = users.iter().map(|u| u.object_id.to_string()).collect();
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

/// Parses a JSON import: `{"Users": [...], "Meetings": [...]}` or an array of users.
pub fn parse_json(
    text: &str,
    tenant: &Tenant,
    progress: &mut ImportProgress,
) -> Result<DirectoryData> {
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
            if let Some(extra) = map.keys().find(|k| !k.eq_ignore_ascii_case("Users") && !k.eq_ignore_ascii_case("Meetings")) {
                return Err(bad("the file", extra, "is not a section of an import file (use Users and Meetings)"));
            }
            (section("Users", map)?, section("Meetings", map)?)
        }
        _ => return Err(Error::new(ErrorCode::ImportFailed, "The JSON file must hold an object with Users and Meetings arrays, or an array of users.")),
    };
    let total = users.len() + meetings.len();
    let mut data = DirectoryData::default();
    for (i, value) in users.iter().enumerate() {
        let record = Record::new(format!("Users[{i}]"), value, USER_FIELDS)?;
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
        data.meetings.push(meeting(&record, tenant)?);
        report(progress, users.len() + i + 1, total)?;
    }
    Ok(data)
}

/// Progress while reading records; an `Err` (a cancelled import) stops the reading.
pub type ImportProgress<'a> = dyn FnMut(usize, usize) -> Result<()> + 'a;

fn report(progress: &mut ImportProgress, done: usize, total: usize) -> Result<()> {
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
    let mut columns: Vec<&'static str> = Vec::new();
    for h in headers.iter() {
        let known = USER_FIELDS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(h))
            .ok_or_else(|| {
                bad(
                    "line 1",
                    h,
                    format!("is not a user field (known: {})", USER_FIELDS.join(", ")),
                )
            })?;
        columns.push(known);
    }
    let total = text.lines().count().saturating_sub(1);
    let mut data = DirectoryData::default();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(csv_error)?;
        let source = format!("line {}", row.position().map_or(i as u64 + 2, |p| p.line()));
        let cell = |name: &str| {
            columns
                .iter()
                .position(|c| *c == name)
                .and_then(|i| row.get(i))
                .map(str::to_string)
        };
        let fields = UserFields {
            identity: cell("Identity"),
            user_principal_name: cell("UserPrincipalName"),
            sip_address: cell("SipAddress"),
            display_name: cell("DisplayName"),
            sam_account_name: cell("SamAccountName"),
            distinguished_name: cell("DistinguishedName"),
            teams_upgrade_effective_mode: cell("TeamsUpgradeEffectiveMode"),
            toll: cell("AudioConferencingTollNumber"),
            toll_free: cell("AudioConferencingTollFreeNumber"),
        };
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
fn read_import_file(path: &Path, max_bytes: u64, check: &dyn Fn() -> Result<()>) -> Result<String> {
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

impl Service {
    /// Imports a `.json` (users and meetings) or `.csv` (users) file into the tenant, all or
    /// nothing, with the default [`ImportOptions`]; see [`Service::import_file_with`].
    pub fn import_file(
        &self,
        tenant: Option<&str>,
        path: &Path,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&CancelToken>,
    ) -> Result<ImportSummary> {
        self.import_file_with(tenant, path, &ImportOptions::default(), progress, cancel)
    }

    /// Imports a `.json` (users and meetings) or `.csv` (users) file into the tenant, all or
    /// nothing. Only a regular file of at most `options.max_bytes` is read. `progress(done,
    /// total)` is called on this thread as records are read; when `cancel` is raised (from
    /// `progress` or another thread) the import stops with `Cancelled`, while reading the
    /// file or its records, before anything is written.
    pub fn import_file_with(
        &self,
        tenant: Option<&str>,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&CancelToken>,
    ) -> Result<ImportSummary> {
        let shown = shorten(&path.display().to_string());
        let check = || match cancel {
            Some(c) if c.is_cancelled() => Err(Error::new(
                ErrorCode::Cancelled,
                format!("The import of '{shown}' was cancelled; nothing was imported."),
            )
            .with_target(path.display().to_string())),
            _ => Ok(()),
        };
        let tenant = self.tenant(tenant)?;
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if extension != "json" && extension != "csv" {
            return Err(Error::new(
                ErrorCode::ImportFailed,
                format!("'{shown}' is neither a .json nor a .csv file."),
            )
            .with_target(path.display().to_string()));
        }
        let max_bytes = options.max_bytes.unwrap_or(DEFAULT_MAX_IMPORT_BYTES);
        let text = read_import_file(path, max_bytes, &check)?;
        let progress = &mut |done, total| {
            progress(done, total);
            check()
        };
        let data = if extension == "json" {
            parse_json(&text, &tenant, progress)?
        } else {
            parse_csv(&text, &tenant, progress)?
        };
        drop(text);
        check()?;
        self.store.import(&tenant, &data)?;
        Ok(ImportSummary {
            users: data.users.len(),
            meetings: data.meetings.len(),
        })
    }
}
