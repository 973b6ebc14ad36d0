//! Parsing of `-Identity` values (SIP address, UPN, `DOMAIN\logon`, display name,
//! distinguished name or object id) into the one directory key they name.
//!
//! Every key is compared in a canonical form (Unicode lower case, surrounding whitespace
//! removed, DNs attribute by attribute), and the store keeps the same canonical form of each
//! user's names in indexed columns, so resolution is one indexed lookup per form.

use uuid::Uuid;

use crate::error::{shorten, Error, ErrorCode, Result};
use crate::model::parse_guid;

/// Longest identity accepted, in bytes: a DN is at most a few hundred characters.
pub const MAX_IDENTITY_BYTES: usize = 4096;

/// Which directory key an identity names, already in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityKey {
    /// An object id.
    ObjectId(Uuid),
    /// `sip:user@domain`, lower case, with the `sip:` prefix.
    Sip(String),
    /// A UPN, lower case; if no UPN matches it is tried as a SIP address.
    Upn(String),
    /// `netbios\logon`, lower case.
    DomainLogon(String),
    /// A display name, lower case.
    DisplayName(String),
    /// A distinguished name in canonical form (see [`canonical_dn`]).
    DistinguishedName(String),
}

impl IdentityKey {
    /// Parses an `-Identity` value.
    pub fn parse(input: &str) -> Result<Self> {
        let malformed = |why: &str| {
            Error::new(
                ErrorCode::MalformedIdentity,
                format!("The identity {} {why}", describe(input)),
            )
            .with_target(input)
        };
        if input.len() > MAX_IDENTITY_BYTES {
            return Err(malformed(&format!(
                "is {} bytes long; an identity is at most {MAX_IDENTITY_BYTES} bytes. Pass a UPN, SIP address, DOMAIN\\logon, display name, distinguished name or object id.",
                input.len()
            )));
        }
        if input.contains('\0') {
            return Err(malformed(
                "contains a NUL character, which no identity can contain.",
            ));
        }
        let text = input.trim();
        if text.is_empty() {
            return Err(malformed(
                "is empty. Pass a UPN, SIP address, DOMAIN\\logon, display name, distinguished name or object id.",
            ));
        }
        if text.contains(['*', '?']) {
            return Err(Error::new(
                ErrorCode::WildcardNotAllowed,
                format!(
                    "The identity {} contains a wildcard ('*' or '?'). -Identity names one user; to select several, use Get-CsOnlineUser -Filter and pipe the users in.",
                    describe(text)
                ),
            )
            .with_target(input));
        }
        if text
            .get(..4)
            .map_or(false, |p| p.eq_ignore_ascii_case("sip:"))
        {
            if text.len() == 4 {
                return Err(malformed("has no address after 'sip:'."));
            }
            return Ok(IdentityKey::Sip(format!("sip:{}", fold(&text[4..]))));
        }
        if let Some(id) = parse_guid(text) {
            return Ok(IdentityKey::ObjectId(id));
        }
        if looks_like_dn(text) {
            return canonical_dn(text)
                .map(IdentityKey::DistinguishedName)
                .map_err(|why| malformed(&format!("is not a valid distinguished name: {why}.")));
        }
        if text.contains('@') {
            return Ok(IdentityKey::Upn(fold(text)));
        }
        if let Some((domain, logon)) = text.split_once('\\') {
            if domain.trim().is_empty() || logon.trim().is_empty() || logon.contains('\\') {
                return Err(malformed(
                    "is not DOMAIN\\logon: both the NetBIOS domain and the logon name are needed.",
                ));
            }
            return Ok(IdentityKey::DomainLogon(domain_logon_key(domain, logon)));
        }
        Ok(IdentityKey::DisplayName(fold(text)))
    }

    /// The form's name, for messages (`-Verbose` says how an identity was read).
    pub fn form(&self) -> &'static str {
        match self {
            IdentityKey::ObjectId(_) => "object id",
            IdentityKey::Sip(_) => "SIP address",
            IdentityKey::Upn(_) => "user principal name",
            IdentityKey::DomainLogon(_) => "domain\\logon name",
            IdentityKey::DisplayName(_) => "display name",
            IdentityKey::DistinguishedName(_) => "distinguished name",
        }
    }
}

/// Canonical case-insensitive form of a name: Unicode lower case, trimmed. Lower-casing
/// is context-sensitive for Greek sigma (a final Σ becomes ς), so ς is folded to σ too:
/// "ΣΑΣ", "σας" and "σασ" are one name.
pub fn fold(text: &str) -> String {
    lower(text.trim())
}

fn lower(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains('ς') {
        lower.replace('ς', "σ")
    } else {
        lower
    }
}

/// The canonical `netbios\logon` key.
pub fn domain_logon_key(net_bios: &str, logon: &str) -> String {
    format!("{}\\{}", fold(net_bios), fold(logon))
}

/// The canonical SIP key of an address given with or without its `sip:` prefix.
pub fn sip_key(address: &str) -> String {
    let address = address.trim();
    if address.len() >= 4
        && address.is_char_boundary(4)
        && address[..4].eq_ignore_ascii_case("sip:")
    {
        format!("sip:{}", fold(&address[4..]))
    } else {
        format!("sip:{}", fold(address))
    }
}

/// `Management object not found for identity "<input>".` with quotes doubled (a long input
/// shortened, see [`shorten`]).
pub fn not_found(input: &str) -> Error {
    Error::new(
        ErrorCode::IdentityNotFound,
        format!(
            "Management object not found for identity {}.",
            describe(input)
        ),
    )
    .with_target(input)
}

fn double_quotes(text: &str) -> String {
    text.replace('"', "\"\"")
}

/// An identity as messages quote it: shortened, in double quotes, its own quotes doubled.
pub fn describe(input: &str) -> String {
    format!("\"{}\"", double_quotes(&shorten(input)))
}

/// Attribute types a user's DN starts with. Only these (or an OID) make an identity a DN,
/// so a UPN such as `a=b@contoso.com` stays a UPN.
const DN_FIRST_ATTRIBUTES: &[&str] = &["CN", "UID", "OU", "DC", "O", "L", "ST", "C", "STREET"];

/// The attribute types directories write as OIDs, and the names they stand for
/// (RFC 4519): `2.5.4.3=John Woods` is `CN=John Woods`.
const OID_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "cn"),
    ("2.5.4.6", "c"),
    ("2.5.4.7", "l"),
    ("2.5.4.8", "st"),
    ("2.5.4.9", "street"),
    ("2.5.4.10", "o"),
    ("2.5.4.11", "ou"),
    ("0.9.2342.19200300.100.1.1", "uid"),
    ("0.9.2342.19200300.100.1.25", "dc"),
];

/// A numeric OID (`2.5.4.3`), with or without the old `OID.` prefix; the OID's text.
fn numeric_oid(attr: &str) -> Option<&str> {
    let oid = match attr.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("oid.") => &attr[4..],
        _ => attr,
    };
    let numeric = !oid.is_empty()
        && oid.starts_with(|c: char| c.is_ascii_digit())
        && oid.chars().all(|c| c.is_ascii_digit() || c == '.');
    numeric.then_some(oid)
}

/// The canonical attribute type: lower case, a known OID as its name.
fn canonical_attribute(attr: &str) -> String {
    match numeric_oid(attr) {
        Some(oid) => OID_NAMES
            .iter()
            .find(|(o, _)| *o == oid)
            .map_or_else(|| oid.to_string(), |(_, name)| name.to_string()),
        None => attr.to_ascii_lowercase(),
    }
}

/// A DN starts with `attr=`, where attr is one of [`DN_FIRST_ATTRIBUTES`] or an OID.
fn looks_like_dn(text: &str) -> bool {
    match text.split_once('=') {
        Some((attr, _)) => {
            let attr = attr.trim();
            DN_FIRST_ATTRIBUTES
                .iter()
                .any(|a| a.eq_ignore_ascii_case(attr))
                || numeric_oid(attr).is_some()
        }
        None => false,
    }
}

/// Parses an RFC 4514 distinguished name and returns its canonical form: each RDN as
/// `type=value` with the type and the unescaped value lower-cased, multi-valued RDNs
/// sorted, special characters re-escaped, joined with `,`. Two DNs that name the same entry
/// (spacing, case, escaping) have the same canonical form.
pub fn canonical_dn(text: &str) -> std::result::Result<String, String> {
    // NUL marks hex escapes while parsing (see `decode_hex_escapes`), so a literal one is refused.
    if text.contains('\0') {
        return Err("a distinguished name cannot contain a NUL character".into());
    }
    let mut rdns: Vec<String> = Vec::new();
    // Only leading whitespace goes: at the end, an escaped space (`\ `) is part of the value.
    let mut chars = text.trim_start().chars().peekable();
    loop {
        let mut avas: Vec<String> = Vec::new();
        loop {
            let mut attr = String::new();
            for c in chars.by_ref() {
                if c == '=' {
                    break;
                }
                attr.push(c);
            }
            let attr = attr.trim();
            if attr.is_empty()
                || !attr
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            {
                return Err(format!("'{}' is not an attribute type (expected a name such as CN, OU or DC followed by '=')", shorten(attr)));
            }
            let mut value = String::new();
            let mut trailing_spaces = 0usize;
            let mut end = None;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        let next = chars
                            .next()
                            .ok_or("a '\\' ends the name without the character it escapes")?;
                        if next.is_ascii_hexdigit() {
                            let low = chars.next().filter(|c| c.is_ascii_hexdigit()).ok_or(
                                "'\\' must be followed by a special character or two hex digits",
                            )?;
                            let byte = u8::from_str_radix(&format!("{next}{low}"), 16)
                                .map_err(|e| e.to_string())?;
                            // Hex escapes encode UTF-8 bytes; collect them and decode below.
                            value.push_str(&format!("\u{0}{byte:02x}"));
                        } else if ",+\"\\<>;= #".contains(next) {
                            value.push(next);
                        } else {
                            return Err(format!("'\\{next}' is not a valid escape"));
                        }
                        trailing_spaces = 0;
                    }
                    ',' | ';' | '+' => {
                        end = Some(c);
                        break;
                    }
                    '"' | '<' | '>' => return Err(format!("'{c}' must be escaped with '\\'")),
                    // Unescaped spaces around a value are not part of it; an escaped one is.
                    c if c.is_whitespace() && value.is_empty() => {}
                    c if c.is_whitespace() => {
                        value.push(c);
                        trailing_spaces += c.len_utf8();
                    }
                    _ => {
                        value.push(c);
                        trailing_spaces = 0;
                    }
                }
            }
            value.truncate(value.len() - trailing_spaces);
            let value = decode_hex_escapes(&value)?;
            if value.is_empty() {
                return Err(format!("the attribute '{}' has no value", shorten(attr)));
            }
            avas.push(format!(
                "{}={}",
                canonical_attribute(attr),
                escape_dn_value(&lower(&value))
            ));
            match end {
                Some('+') => continue,
                Some(_) => break,
                None => {
                    avas.sort();
                    rdns.push(avas.join("+"));
                    return Ok(rdns.join(","));
                }
            }
        }
        avas.sort();
        rdns.push(avas.join("+"));
        if chars.peek().is_none() {
            return Err("the name ends with a separator".into());
        }
    }
}

fn decode_hex_escapes(value: &str) -> std::result::Result<String, String> {
    if !value.contains('\0') {
        return Ok(value.to_string());
    }
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value;
    while let Some(pos) = rest.find('\0') {
        bytes.extend_from_slice(&rest.as_bytes()[..pos]);
        let hex = &rest[pos + 1..pos + 3];
        bytes.push(u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?);
        rest = &rest[pos + 3..];
    }
    bytes.extend_from_slice(rest.as_bytes());
    String::from_utf8(bytes).map_err(|_| "hex escapes do not form valid UTF-8".to_string())
}

fn escape_dn_value(value: &str) -> String {
    let count = value.chars().count();
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let edge = i == 0 || i + 1 == count;
        // NUL, and whitespace other than a space at either end of the value (which reading
        // would drop), are written as hex escapes: the canonical form reads back as itself.
        if c == '\0' || (edge && c.is_whitespace() && c != ' ') {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\{b:02x}"));
            }
            continue;
        }
        if ",+\"\\<>;=".contains(c) || (i == 0 && c == '#') || (edge && c == ' ') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_is_recognised() {
        assert_eq!(
            IdentityKey::parse(" SIP:KenMyer@LitwareInc.com ").unwrap(),
            IdentityKey::Sip("sip:kenmyer@litwareinc.com".into())
        );
        assert_eq!(
            IdentityKey::parse("KenMyer@litwareinc.com").unwrap(),
            IdentityKey::Upn("kenmyer@litwareinc.com".into())
        );
        assert_eq!(
            IdentityKey::parse("LITWAREINC\\KenMyer").unwrap(),
            IdentityKey::DomainLogon("litwareinc\\kenmyer".into())
        );
        assert_eq!(
            IdentityKey::parse("Ken Myer").unwrap(),
            IdentityKey::DisplayName("ken myer".into())
        );
        assert_eq!(
            IdentityKey::parse("CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com").unwrap(),
            IdentityKey::DistinguishedName("cn=ken myer,ou=redmond,dc=litwareinc,dc=com".into())
        );
        let id = Uuid::parse_str("2f1d5c1e-4c5a-4f8e-9a0b-0c1d2e3f4a5b").unwrap();
        assert_eq!(
            IdentityKey::parse("{2F1D5C1E-4C5A-4F8E-9A0B-0C1D2E3F4A5B}").unwrap(),
            IdentityKey::ObjectId(id)
        );
    }

    #[test]
    fn dns_compare_attribute_by_attribute() {
        let a = canonical_dn("CN=Myer\\, Ken,OU=Sales,DC=litwareinc,DC=com").unwrap();
        let b = canonical_dn("cn = myer\\2C ken , ou=SALES,dc=LitwareInc,dc=COM").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, "cn=myer\\, ken,ou=sales,dc=litwareinc,dc=com");
        assert_eq!(canonical_dn("CN=Ä\\C3\\A4").unwrap(), "cn=ää");
        assert_eq!(
            canonical_dn("OU=b+CN=a,DC=x").unwrap(),
            canonical_dn("CN=a+OU=b,DC=x").unwrap()
        );
        // An escaped leading space is part of the value, in either escape form.
        let escaped = canonical_dn("CN=\\ Ken Myer,OU=Redmond").unwrap();
        assert_eq!(escaped, canonical_dn("CN=\\20Ken Myer,OU=Redmond").unwrap());
        assert_ne!(escaped, canonical_dn("CN= Ken Myer,OU=Redmond").unwrap());
    }

    #[test]
    fn common_oid_attribute_types_are_their_names() {
        assert_eq!(
            canonical_dn("2.5.4.3=John Woods,2.5.4.11=Sales,2.5.4.10=Contoso,OID.0.9.2342.19200300.100.1.25=contoso,0.9.2342.19200300.100.1.25=com").unwrap(),
            "cn=john woods,ou=sales,o=contoso,dc=contoso,dc=com"
        );
        assert_eq!(
            canonical_dn("0.9.2342.19200300.100.1.1=jw+2.5.4.6=US,2.5.4.7=Redmond,2.5.4.8=WA,2.5.4.9=1 Main St").unwrap(),
            canonical_dn("UID=jw+C=US,L=Redmond,ST=WA,STREET=1 Main St").unwrap()
        );
        // An OID without a common name stays an OID, in one spelling.
        assert_eq!(canonical_dn("oid.1.2.3=x").unwrap(), "1.2.3=x");
    }

    #[test]
    fn canonical_dns_read_back_as_themselves() {
        for dn in [
            "CN=\\00a\\0A,OU=x",
            "CN=a\\ ,OU=\\ ",
            "CN=\\e3\\80\\80a\\e3\\80\\80",
            "CN= a\n\n,OU=b\t",
        ] {
            let canonical = canonical_dn(dn).unwrap();
            assert_eq!(canonical_dn(&canonical).unwrap(), canonical, "{dn:?}");
        }
    }

    #[test]
    fn greek_final_sigma_folds_like_any_sigma() {
        assert_eq!(fold("ΣΑΣ"), fold("σας"));
        assert_eq!(fold("σασ"), fold("ΣΑΣ"));
    }

    #[test]
    fn only_dn_attribute_types_make_a_dn() {
        assert_eq!(
            IdentityKey::parse("a=b@contoso.com").unwrap(),
            IdentityKey::Upn("a=b@contoso.com".into())
        );
        assert!(matches!(
            IdentityKey::parse("uid=kenmyer,dc=litwareinc,dc=com").unwrap(),
            IdentityKey::DistinguishedName(_)
        ));
        assert!(matches!(
            IdentityKey::parse("2.5.4.3=Ken Myer,dc=com").unwrap(),
            IdentityKey::DistinguishedName(_)
        ));
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        for (input, code) in [
            ("", ErrorCode::MalformedIdentity),
            ("   ", ErrorCode::MalformedIdentity),
            ("ken\0myer", ErrorCode::MalformedIdentity),
            ("CN=Ken,OU=", ErrorCode::MalformedIdentity),
            ("CN=Ken,", ErrorCode::MalformedIdentity),
            ("CN=a\\q", ErrorCode::MalformedIdentity),
            ("litwareinc\\", ErrorCode::MalformedIdentity),
            ("sip:", ErrorCode::MalformedIdentity),
            ("ken*", ErrorCode::WildcardNotAllowed),
            ("k?n@contoso.com", ErrorCode::WildcardNotAllowed),
        ] {
            assert_eq!(
                IdentityKey::parse(input).unwrap_err().code,
                code,
                "{input:?}"
            );
        }
        // A multi-byte character across byte 4 is not a `sip:` prefix (and no panic).
        assert_eq!(
            IdentityKey::parse("cn=ärger öz,dc=x").unwrap(),
            IdentityKey::DistinguishedName("cn=ärger öz,dc=x".into())
        );
        assert_eq!(
            IdentityKey::parse("Zoë Ärger").unwrap(),
            IdentityKey::DisplayName("zoë ärger".into())
        );
        let huge = "a".repeat(1 << 20);
        let e = IdentityKey::parse(&huge).unwrap_err();
        assert_eq!(e.code, ErrorCode::MalformedIdentity);
        assert!(e.message.contains("1048576 bytes"), "{}", e.message);
    }

    #[test]
    fn not_found_doubles_quotes() {
        assert_eq!(
            not_found("a\"b").message,
            "Management object not found for identity \"a\"\"b\"."
        );
    }
}
