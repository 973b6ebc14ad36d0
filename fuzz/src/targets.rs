//! The fuzz targets: each takes arbitrary bytes, drives one parser or the C ABI with them,
//! and panics when an invariant breaks. A panic is the only way a target reports a bug:
//! under libFuzzer (panic = "abort") it is a crash with its input saved; in
//! `tests/fuzz_corpus.rs` it fails the test that replays the corpus.
//!
//! Invariants checked besides "no crash, no hang":
//! - every error message stays short (inputs are echoed shortened);
//! - a canonical distinguished name is its own canonical form;
//! - over the C ABI: no call ends in `MMS_STATUS_PANIC`; a success writes a JSON output and
//!   no error, a failure writes an error JSON object with the returned code and no output.

#![allow(dead_code)]

use std::ffi::{CStr, CString};
use std::path::Path;
use std::ptr;

use libc::c_char;
use meeting_migration::directory::filter::Filter;
use meeting_migration::directory::import::{parse_csv, parse_json};
use meeting_migration::directory::sample::sample_domains;
use meeting_migration::ffi::*;
use meeting_migration::identity::{canonical_dn, sip_key, IdentityKey};
use meeting_migration::model::{Tenant, User};
use meeting_migration::Error;

/// Longest error message any input may produce, in characters. Messages quote inputs
/// shortened; the longest fixed texts (a list of accepted fields) stay well below this.
pub const MAX_MESSAGE_CHARS: usize = 2_000;

fn check_message(e: &Error) {
    let n = e.message.chars().count();
    assert!(
        n <= MAX_MESSAGE_CHARS,
        "{n}-character message: {}",
        e.message
    );
    if let Some(t) = &e.target {
        assert!(t.chars().count() <= 256, "long target: {t}");
    }
}

/// `-Identity` parsing and the DN canonical form.
pub fn identity(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match IdentityKey::parse(text) {
        Ok(IdentityKey::DistinguishedName(key)) => {
            assert_eq!(
                canonical_dn(&key).as_deref(),
                Ok(key.as_str()),
                "the canonical form of {text:?} is not canonical"
            );
        }
        Ok(_) => {}
        Err(e) => check_message(&e),
    }
    if let Ok(key) = canonical_dn(text) {
        assert_eq!(canonical_dn(&key).as_deref(), Ok(key.as_str()), "{text:?}");
    }
    let _ = sip_key(text);
}

fn user() -> User {
    User {
        key: 1,
        identity: Default::default(),
        user_principal_name: "kenmyer@litwareinc.com".into(),
        sip_address: Some("sip:kenmyer@litwareinc.com".into()),
        display_name: "Ken Myer".into(),
        sam_account_name: Some("kenmyer".into()),
        windows_domain_logon: Some("LITWAREINC\\kenmyer".into()),
        distinguished_name: Some("CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com".into()),
        teams_upgrade_effective_mode: "TeamsOnly".into(),
        audio_conferencing_toll_number: None,
        audio_conferencing_toll_free_number: Some("+1 800 555 0100".into()),
        tenant_id: Default::default(),
        profile: Default::default(),
    }
}

/// `Get-CsOnlineUser -Filter`: parse, then evaluate against a user.
pub fn filter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Filter::parse(text) {
        Ok(f) => {
            let _ = f.matches(&user());
        }
        Err(e) => check_message(&e),
    }
}

fn tenant() -> Tenant {
    Tenant {
        key: 1,
        tenant_id: Default::default(),
        name: "Contoso".into(),
        domains: sample_domains(),
        is_default: true,
        user_count: 0,
        meeting_migration_enabled: true,
        hold_minutes: 0,
        time_scale: 1,
        fault_injection: Default::default(),
    }
}

/// The JSON reader of `Import-MmsTenantData` (everything up to the store's transaction).
pub fn json_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = parse_json(text, &tenant(), &mut |_, _| Ok(())) {
        check_message(&e);
    }
}

/// The CSV reader of `Import-MmsTenantData`.
pub fn csv_import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = parse_csv(text, &tenant(), &mut |_, _| Ok(())) {
        check_message(&e);
    }
}

/// A store opened through the C ABI, with a small sample tenant, that [`Abi::call`] drives.
pub struct Abi {
    store: *mut MmsStore,
}

// The store handle is thread-safe by the ABI's contract.
unsafe impl Send for Abi {}

impl Abi {
    /// Opens (creating) a store in `dir` and gives it the sample tenant. No worker runs:
    /// requests stay queued, so starts also meet existing requests.
    pub fn open(dir: &Path) -> Abi {
        std::fs::create_dir_all(dir).expect("fuzz store folder");
        let path = CString::new(dir.join("fuzz.db").to_str().expect("UTF-8 path")).unwrap();
        let mut store = ptr::null_mut();
        let status = unsafe { mms_store_open(path.as_ptr(), &mut store, ptr::null_mut()) };
        assert_eq!(status, 0, "open the fuzz store");
        let abi = Abi { store };
        let options = CString::new(r#"{"UserCount":5,"MeetingsPerUser":2}"#).unwrap();
        // An existing store from an earlier run already has it.
        abi.check("mms_sample_tenant_create", |out, err| unsafe {
            mms_sample_tenant_create(store, options.as_ptr(), out, err)
        });
        abi
    }

    /// Runs one ABI call and checks the output conventions.
    fn check(
        &self,
        name: &str,
        call: impl FnOnce(*mut *mut c_char, *mut *mut c_char) -> i32,
    ) -> i32 {
        let mut out: *mut c_char = ptr::null_mut();
        let mut err: *mut c_char = ptr::null_mut();
        let status = call(&mut out, &mut err);
        let text = |p: *mut c_char| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
        let result = if status == 0 {
            assert!(err.is_null(), "{name}: an error was written on success");
            assert!(!out.is_null(), "{name}: no output on success");
            let json: serde_json::Value = serde_json::from_str(&text(out)).expect("output JSON");
            drop(json);
            Ok(())
        } else {
            assert!(out.is_null(), "{name}: an output was written on failure");
            assert!(!err.is_null(), "{name}: no error JSON on failure");
            let error: serde_json::Value = serde_json::from_str(&text(err)).expect("error JSON");
            assert_eq!(error["code"], status, "{name}: {error}");
            let message = error["message"].as_str().expect("a message");
            assert!(
                message.chars().count() <= MAX_MESSAGE_CHARS,
                "{name}: {}-character message: {message}",
                message.chars().count()
            );
            assert_ne!(status, 1, "{name} panicked: {message}");
            Err(())
        };
        unsafe {
            mms_string_free(out);
            mms_string_free(err);
        }
        let _ = result;
        status
    }

    /// The first byte picks an export; the rest, split at the first NUL, gives its string
    /// arguments (the second, when empty, is NULL: the default tenant).
    pub fn call(&self, data: &[u8]) {
        let Some((&selector, rest)) = data.split_first() else {
            return;
        };
        let mut parts = rest.splitn(2, |&b| b == 0);
        let a = CString::new(parts.next().unwrap_or_default()).unwrap();
        let b = parts
            .next()
            .filter(|b| !b.is_empty())
            .map(|b| CString::new(b.split(|&c| c == 0).next().unwrap_or_default()).unwrap());
        let (a, b) = (a.as_ptr(), b.as_ref().map_or(ptr::null(), |b| b.as_ptr()));
        let s = self.store;
        unsafe {
            match selector % 19 {
                0 => self.check("mms_identity_resolve", |o, e| {
                    mms_identity_resolve(s, b, a, o, e)
                }),
                1 => self.check("mms_users_list", |o, e| mms_users_list(s, a, o, e)),
                2 => self.check("mms_migration_preview", |o, e| {
                    mms_migration_preview(s, a, o, e)
                }),
                3 => self.check("mms_migration_start", |o, e| {
                    mms_migration_start(s, a, o, e)
                }),
                4 => self.check("mms_migration_start_batch", |o, e| {
                    mms_migration_start_batch(s, a, o, e)
                }),
                5 => self.check("mms_status_query", |o, e| mms_status_query(s, a, o, e)),
                6 => self.check("mms_status_summary", |o, e| mms_status_summary(s, a, o, e)),
                7 => self.check("mms_status_get", |o, e| mms_status_get(s, b, a, o, e)),
                8 => self.check("mms_status_get_many", |o, e| {
                    mms_status_get_many(s, b, a, o, e)
                }),
                9 => self.check("mms_tenant_create", |o, e| mms_tenant_create(s, a, o, e)),
                10 => self.check("mms_migration_config_get", |o, e| {
                    mms_migration_config_get(s, a, o, e)
                }),
                11 => self.check("mms_migration_config_set", |o, e| {
                    mms_migration_config_set(s, b, a, o, e)
                }),
                12 => self.check("mms_dialin_settings_get", |o, e| {
                    mms_dialin_settings_get(s, a, o, e)
                }),
                13 => self.check("mms_dialin_settings_set", |o, e| {
                    mms_dialin_settings_set(s, b, a, o, e)
                }),
                14 => self.check("mms_meetings_list", |o, e| mms_meetings_list(s, b, a, o, e)),
                15 => self.check("mms_tenant_set_default", |o, e| {
                    mms_tenant_set_default(s, a, o, e)
                }),
                16 => self.check("mms_store_check", |o, e| mms_store_check(s, o, e)),
                17 => self.check("mms_tenants_list", |o, e| mms_tenants_list(s, o, e)),
                _ => self.check("mms_migration_preview_batch", |o, e| {
                    mms_migration_preview_batch(s, a, o, e)
                }),
            };
        }
    }
}

impl Drop for Abi {
    fn drop(&mut self) {
        unsafe { mms_store_free(self.store) }
    }
}
