//! Validation of one user record: required fields, address and number shapes, and the
//! canonical lookup keys the store indexes. Import files and the sample tenant both build
//! their users here, so a user is checked one way whatever its source.

use uuid::Uuid;

use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::{canonical_dn, domain_logon_key, fold, sip_key};
use crate::model::{
    parse_guid, FieldValue, NewUser, Tenant, User, UserField, UserKeys, UserProfile, ACCOUNT_TYPES,
};

/// TeamsUpgradeEffectiveMode values accepted.
pub const UPGRADE_MODES: &[&str] = &[
    "Islands",
    "SfBOnly",
    "SfBWithTeamsCollab",
    "SfBWithTeamsCollabAndMeetings",
    "TeamsOnly",
];

/// Raw fields of one user, before validation, by [`UserField`].
#[derive(Debug, Clone, Default)]
pub struct UserFields(Vec<(UserField, String)>);

impl UserFields {
    /// Sets a field (a later value of the same field wins).
    pub fn set(&mut self, field: UserField, value: impl Into<String>) -> &mut Self {
        self.0.retain(|(f, _)| *f != field);
        self.0.push((field, value.into()));
        self
    }

    /// The field's text, trimmed; `None` when absent or blank.
    fn get(&self, field: UserField) -> Option<String> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}

impl<const N: usize> From<[(UserField, &str); N]> for UserFields {
    fn from(fields: [(UserField, &str); N]) -> Self {
        let mut all = UserFields::default();
        for (field, value) in fields {
            all.set(field, value);
        }
        all
    }
}

pub(super) fn bad(source: &str, field: &str, why: impl std::fmt::Display) -> Error {
    let why = why.to_string();
    Error::new(
        ErrorCode::ImportFailed,
        format!(
            "{source}, field {}: {}. Nothing was imported.",
            shorten(field),
            why.trim_end_matches('.')
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

/// Whether `text` is an address `name@domain.tld`.
pub fn check_address(text: &str) -> bool {
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
        use UserField as F;
        let upn = f
            .get(F::UserPrincipalName)
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
        let object_id = match f.get(F::Identity) {
            Some(text) => parse_guid(&text).ok_or_else(|| {
                bad(
                    source,
                    "Identity",
                    format!("'{}' is not a GUID", shorten(&text)),
                )
            })?,
            None => Uuid::new_v4(),
        };
        // Stored as given apart from the prefix, which is always lower-case `sip:`.
        let sip = match f.get(F::SipAddress).map(|s| sip_address(&s)) {
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
        let display_name = f
            .get(F::DisplayName)
            .unwrap_or_else(|| upn.split('@').next().unwrap_or(&upn).to_string());
        if display_name.contains(['*', '?', '\0']) {
            return Err(bad(
                source,
                "DisplayName",
                format!("'{}' contains '*', '?' or NUL", shorten(&display_name)),
            ));
        }
        let sam = f.get(F::SamAccountName);
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
        let dn = f.get(F::DistinguishedName);
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
        let mode = match f.get(F::TeamsUpgradeEffectiveMode) {
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
        let toll = f.get(F::AudioConferencingTollNumber);
        let toll_free = f.get(F::AudioConferencingTollFreeNumber);
        for (field, number) in [
            ("AudioConferencingTollNumber", &toll),
            ("AudioConferencingTollFreeNumber", &toll_free),
        ] {
            if let Some(n) = number {
                check_phone_number(n).map_err(|why| bad(source, field, why))?;
            }
        }
        let mut profile = UserProfile {
            is_sip_enabled: sip.is_some(),
            ..UserProfile::default()
        };
        for &field in UserField::ALL {
            let Some(text) = f.get(field) else { continue };
            let mut value = field
                .kind()
                .parse(&text)
                .map_err(|why| bad(source, field.name(), why))?;
            if field == F::AccountType {
                let known = ACCOUNT_TYPES
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(&text))
                    .ok_or_else(|| {
                        bad(
                            source,
                            "AccountType",
                            format!(
                                "'{}' is not one of {}",
                                shorten(&text),
                                ACCOUNT_TYPES.join(", ")
                            ),
                        )
                    })?;
                value = FieldValue::Text(known.to_string());
            }
            field.set_profile(&mut profile, value);
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
            user: User {
                key: 0,
                identity: object_id,
                user_principal_name: upn,
                sip_address: sip,
                display_name,
                sam_account_name: sam,
                windows_domain_logon: windows_logon,
                distinguished_name: dn,
                teams_upgrade_effective_mode: mode,
                audio_conferencing_toll_number: toll,
                audio_conferencing_toll_free_number: toll_free,
                tenant_id: tenant.tenant_id,
                profile,
            },
        })
    }
}
