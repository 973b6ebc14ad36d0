//! The OPath of `Get-CsOnlineUser -Filter`: comparisons (`-eq -ne -lt -le -gt -ge -like
//! -notlike -contains -notcontains`) of a user property with a literal (a quoted string, a
//! bare word or number, `$true`, `$false`, `$null`), joined by `-and`, `-or`, `-not` and
//! parentheses; as a script block's text or a string. Names, operators and text values are
//! case-insensitive, as in the real service. A filter is parsed, never evaluated as
//! PowerShell: subexpressions, commands, method calls, casts and variables other than
//! `$true`, `$false`, `$null` are refused with the position they start at.

use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::fold;
use crate::model::{FieldKind, FieldValue, ObjectShape, User, UserField};
use crate::time::Timestamp;

/// A parsed filter, evaluated against each user.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare {
        property: UserField,
        op: Op,
        /// The literal, already parsed as the property's kind (`Null` for `$null`).
        value: FieldValue,
    },
    /// Every operand matches: `a -and b -and c` is one node of three, not a chain.
    And(Vec<Filter>),
    /// Some operand matches.
    Or(Vec<Filter>),
    Not(Box<Filter>),
}

/// Longest filter accepted, in bytes. Real filters are a few comparisons long; the limit
/// keeps a pasted or generated monster from costing more than a clear error.
pub const MAX_FILTER_BYTES: usize = 32 * 1024;
/// Deepest nesting of parentheses and `-not` accepted. Parsing and evaluation recurse once
/// per level, so this bounds their stack use whatever the input.
pub const MAX_FILTER_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Like,
    NotLike,
    Contains,
    NotContains,
}

impl Op {
    const ALL: &'static [(&'static str, Op)] = &[
        ("-eq", Op::Eq),
        ("-ne", Op::Ne),
        ("-lt", Op::Lt),
        ("-le", Op::Le),
        ("-gt", Op::Gt),
        ("-ge", Op::Ge),
        ("-like", Op::Like),
        ("-notlike", Op::NotLike),
        ("-contains", Op::Contains),
        ("-notcontains", Op::NotContains),
    ];

    /// The operator, case-insensitively; PowerShell's `-ieq` / `-ceq` forms are `-eq` too
    /// (OPath comparisons are case-insensitive either way).
    fn parse(text: &str) -> Option<Op> {
        let lower = text.to_ascii_lowercase();
        let plain = match lower
            .strip_prefix("-i")
            .or_else(|| lower.strip_prefix("-c"))
        {
            Some(rest) if Op::ALL.iter().any(|(n, _)| &n[1..] == rest) => format!("-{rest}"),
            _ => lower,
        };
        Op::ALL.iter().find(|(n, _)| *n == plain).map(|(_, op)| *op)
    }
}

impl Filter {
    /// Parses filter text; a script block's braces (`{...}`) are accepted around it.
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_FILTER_BYTES {
            return Err(syntax(
                text,
                &format!(
                    "it is {} bytes long and a filter is at most {MAX_FILTER_BYTES} bytes; select with fewer comparisons (-like 'prefix*' covers many users at once)",
                    text.len()
                ),
            ));
        }
        // A script block's braces are accepted around it; positions count from the text's start.
        let trimmed = text.trim_start();
        let mut offset = text.chars().count() - trimmed.chars().count();
        let trimmed = trimmed.trim_end();
        let inner = match trimmed.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(inner) => {
                offset += 1;
                inner
            }
            None => trimmed,
        };
        let tokens = tokenize(inner, offset, text)?;
        let mut parser = Parser {
            tokens,
            pos: 0,
            depth: 0,
            text,
        };
        if parser.tokens.is_empty() {
            return Err(syntax(text, "the filter is empty; write a comparison such as TeamsUpgradeEffectiveMode -eq 'TeamsOnly'"));
        }
        let filter = parser.or()?;
        if parser.peek().is_some() {
            return Err(syntax(
                text,
                &format!("unexpected {} after a complete expression", parser.here()),
            ));
        }
        Ok(filter)
    }

    pub fn matches(&self, user: &User) -> bool {
        match self {
            Filter::Compare {
                property,
                op,
                value,
            } => compare(&property.get(user), *op, value),
            Filter::And(all) => all.iter().all(|f| f.matches(user)),
            Filter::Or(any) => any.iter().any(|f| f.matches(user)),
            Filter::Not(a) => !a.matches(user),
        }
    }

    /// The value an indexed lookup can start from: the filter is (or, under `-and`, needs)
    /// `property -eq 'text'`. The whole filter is still applied to what the lookup returns.
    pub fn required_equality(&self) -> Option<(UserField, &str)> {
        match self {
            Filter::Compare {
                property,
                op: Op::Eq,
                value: FieldValue::Text(text),
            } => Some((*property, text.as_str())),
            Filter::And(all) => all.iter().find_map(Filter::required_equality),
            _ => None,
        }
    }
}

impl Filter {
    /// The property and folded prefix of a `Property -like 'prefix*'` that every match
    /// satisfies (alone or under `-and`): a pattern whose one wildcard is a final `*`.
    pub fn required_prefix(&self) -> Option<(UserField, String)> {
        match self {
            Filter::Compare {
                property,
                op: Op::Like,
                value: FieldValue::Text(text),
            } => {
                let pattern = fold(text);
                let prefix = pattern.strip_suffix('*')?;
                (!prefix.is_empty() && !prefix.contains(['*', '?']))
                    .then(|| (*property, prefix.to_string()))
            }
            Filter::And(all) => all.iter().find_map(Filter::required_prefix),
            _ => None,
        }
    }
}

/// The texts a value compares as: one for a scalar, each element of a list, each object's
/// key (a plan's capability, a number, a policy type); none for null.
fn texts(value: &FieldValue) -> Vec<String> {
    match value {
        FieldValue::Null => Vec::new(),
        FieldValue::List(items) => items.iter().map(|t| fold(t)).collect(),
        FieldValue::Objects(items) => items.iter().map(|i| fold(i.key())).collect(),
        other => other
            .clone()
            .into_text()
            .map(|t| fold(&t))
            .into_iter()
            .collect(),
    }
}

fn is_null(value: &FieldValue) -> bool {
    match value {
        FieldValue::Null => true,
        FieldValue::Text(t) => t.is_empty(),
        FieldValue::List(l) => l.is_empty(),
        FieldValue::Objects(items) => items.is_empty(),
        _ => false,
    }
}

/// Orders two scalars: times as times, numbers as numbers, other text case-insensitively.
fn order(actual: &FieldValue, expected: &FieldValue) -> Option<std::cmp::Ordering> {
    match (actual, expected) {
        (FieldValue::Time(a), FieldValue::Time(b)) => Some(a.cmp(b)),
        (FieldValue::Bool(a), FieldValue::Bool(b)) => Some(a.cmp(b)),
        (FieldValue::Text(a), FieldValue::Text(b)) => {
            match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
                (Ok(x), Ok(y)) => x.partial_cmp(&y),
                _ => Some(fold(a).cmp(&fold(b))),
            }
        }
        _ => None,
    }
}

fn compare(actual: &FieldValue, op: Op, expected: &FieldValue) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    if is_null(expected) {
        // `-eq $null` is "has no value"; every other operator against null is false but
        // its negation.
        return match op {
            Op::Eq | Op::Like | Op::Contains => is_null(actual),
            Op::Ne | Op::NotLike | Op::NotContains => !is_null(actual),
            _ => false,
        };
    }
    let wanted = texts(expected);
    let wanted = wanted.first().map(String::as_str).unwrap_or("");
    let multi = matches!(actual, FieldValue::List(_) | FieldValue::Objects(_));
    match op {
        Op::Eq | Op::Contains if multi => texts(actual).iter().any(|t| t == wanted),
        Op::Ne | Op::NotContains if multi => !texts(actual).iter().any(|t| t == wanted),
        Op::Eq | Op::Contains => order(actual, expected) == Some(Equal),
        Op::Ne | Op::NotContains => order(actual, expected) != Some(Equal),
        Op::Like => texts(actual).iter().any(|t| wildcard_match(wanted, t)),
        Op::NotLike => !texts(actual).iter().any(|t| wildcard_match(wanted, t)),
        Op::Lt => order(actual, expected) == Some(Less),
        Op::Le => matches!(order(actual, expected), Some(Less | Equal)),
        Op::Gt => order(actual, expected) == Some(Greater),
        Op::Ge => matches!(order(actual, expected), Some(Greater | Equal)),
    }
}

/// What a filter compares of an object property's objects.
fn object_key_name(property: UserField) -> &'static str {
    match property.kind() {
        FieldKind::Objects(ObjectShape::Plan) => "capability names",
        FieldKind::Objects(ObjectShape::TelephoneNumber) => "numbers",
        FieldKind::Objects(ObjectShape::PolicyAssignment) => "policy types",
        _ => "values",
    }
}

fn syntax(text: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::FilterSyntax,
        format!("The filter \"{}\" is not valid: {why}.", shorten(text)),
    )
    .with_target(text)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Operator(String),
    Quoted(String),
    Open,
    Close,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(w) | Token::Operator(w) => w.clone(),
            Token::Quoted(q) => format!("'{q}'"),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
        }
    }
}

/// A token and the 1-based character position it starts at in the filter's text.
#[derive(Debug, Clone, PartialEq)]
struct Spanned {
    token: Token,
    at: usize,
}

/// What a `$` starting at a position is: the three constants are values; anything else is
/// PowerShell to run, which a filter never does.
fn dollar(word: &str, at: usize) -> std::result::Result<(), String> {
    let lower = word.to_ascii_lowercase();
    if matches!(lower.as_str(), "$true" | "$false" | "$null") {
        return Ok(());
    }
    Err(format!(
        "'{}' at position {at} is a variable; a filter is parsed, not run, so only $true, $false and $null are allowed (put the value in the text, e.g. -Filter \"City -eq '$city'\")",
        shorten(word)
    ))
}

fn tokenize(input: &str, offset: usize, original: &str) -> Result<Vec<Spanned>> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    let refuse = |why: String| syntax(original, &why);
    while i < chars.len() {
        let c = chars[i];
        let at = offset + i + 1;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push(Spanned {
                    token: Token::Open,
                    at,
                });
                i += 1;
            }
            ')' => {
                tokens.push(Spanned {
                    token: Token::Close,
                    at,
                });
                i += 1;
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                return Err(refuse(format!("the subexpression '$(' at position {at} is not allowed: a filter is parsed, not run")));
            }
            '@' if matches!(chars.get(i + 1), Some('(' | '{')) => {
                return Err(refuse(format!("the array or hash table at position {at} is not allowed: compare with one value")));
            }
            '[' => {
                return Err(refuse(format!("the type cast '[' at position {at} is not allowed: write the value as text (dates as '2026-01-25')")));
            }
            '{' | '}' | ';' | '|' | '&' | ',' => {
                return Err(refuse(format!("'{c}' at position {at} is not allowed: a filter is one expression of comparisons")));
            }
            '\'' | '"' => {
                let quote = c;
                i += 1;
                let mut value = String::new();
                loop {
                    match chars.get(i) {
                        // A doubled quote inside a quoted string is one quote, as in PowerShell.
                        Some(&q) if q == quote => {
                            if chars.get(i + 1) == Some(&quote) {
                                value.push(quote);
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some('$')
                            if quote == '"'
                                && matches!(chars.get(i + 1), Some(n) if n.is_alphanumeric() || *n == '(' || *n == '{' || *n == '_') =>
                        {
                            return Err(refuse(format!(
                                "the double-quoted string at position {at} expands '$' at position {}: a filter is parsed, not run; use single quotes, or build the filter text first",
                                offset + i + 1
                            )));
                        }
                        Some(&other) => {
                            value.push(other);
                            i += 1;
                        }
                        None => {
                            return Err(refuse(format!(
                                "the string at position {at}, {quote}{}, has no closing {quote}",
                                shorten(&value)
                            )))
                        }
                    }
                }
                // `'x'.ToUpper()`: a method call on a literal.
                if chars.get(i) == Some(&'.') {
                    return Err(refuse(format!("the method call or property at position {} is not allowed: a filter is parsed, not run", offset + i + 1)));
                }
                tokens.push(Spanned {
                    token: Token::Quoted(value),
                    at,
                });
            }
            _ => {
                let begin = i;
                while i < chars.len() {
                    let c = chars[i];
                    if c.is_whitespace() || "()'\"{};|,&[".contains(c) {
                        break;
                    }
                    i += 1;
                }
                let word: String = chars[begin..i].iter().collect();
                if word.starts_with('$') {
                    dollar(&word, at).map_err(refuse)?;
                }
                if chars.get(i) == Some(&'(') {
                    return Err(refuse(format!(
                        "'{}(' at position {at} is a method or command call: a filter is parsed, not run",
                        shorten(&word)
                    )));
                }
                if let Some(dot) = word.find(".").filter(|_| word.starts_with('$')) {
                    return Err(refuse(format!(
                        "the property access at position {} is not allowed",
                        at + dot
                    )));
                }
                if word.starts_with('-')
                    && word.len() > 1
                    && !word[1..].starts_with(|c: char| c.is_ascii_digit())
                {
                    tokens.push(Spanned {
                        token: Token::Operator(word.to_ascii_lowercase()),
                        at,
                    });
                } else {
                    tokens.push(Spanned {
                        token: Token::Word(word),
                        at,
                    });
                }
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<Spanned>,
    pos: usize,
    /// Parentheses and `-not` open around the current position (see [`MAX_FILTER_DEPTH`]).
    depth: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Spanned> {
        self.tokens.get(self.pos)
    }

    fn peek_operator(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Spanned { token: Token::Operator(o), .. }) if o == name)
    }

    /// "'x' at position 7" for the current token, "the end" past the last.
    fn here(&self) -> String {
        match self.peek() {
            Some(t) => format!("'{}' at position {}", shorten(&t.token.text()), t.at),
            None => "the end of the filter".into(),
        }
    }

    fn or(&mut self) -> Result<Filter> {
        let mut any = vec![self.and()?];
        while self.peek_operator("-or") {
            self.pos += 1;
            any.push(self.and()?);
        }
        Ok(if any.len() == 1 {
            any.pop().expect("one operand")
        } else {
            Filter::Or(any)
        })
    }

    fn and(&mut self) -> Result<Filter> {
        let mut all = vec![self.unary()?];
        while self.peek_operator("-and") {
            self.pos += 1;
            all.push(self.unary()?);
        }
        Ok(if all.len() == 1 {
            all.pop().expect("one operand")
        } else {
            Filter::And(all)
        })
    }

    /// One more level of nesting, refused past [`MAX_FILTER_DEPTH`].
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(syntax(
                self.text,
                &format!("parentheses and -not are nested more than {MAX_FILTER_DEPTH} deep"),
            ));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Filter> {
        // A run of -not (or !) is counted, not recursed into.
        let mut nots = 0;
        while self.peek_operator("-not")
            || matches!(self.peek(), Some(Spanned { token: Token::Word(w), .. }) if w == "!")
        {
            self.pos += 1;
            self.enter()?;
            nots += 1;
        }
        let mut filter = self.primary()?;
        for _ in 0..nots {
            filter = Filter::Not(Box::new(filter));
        }
        self.depth -= nots;
        Ok(filter)
    }

    fn primary(&mut self) -> Result<Filter> {
        match self.peek().cloned() {
            Some(Spanned {
                token: Token::Open,
                at,
            }) => {
                self.pos += 1;
                self.enter()?;
                let inner = self.or()?;
                self.depth -= 1;
                match self.peek() {
                    Some(Spanned {
                        token: Token::Close,
                        ..
                    }) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(syntax(
                        self.text,
                        &format!(
                            "the '(' at position {at} has no matching ')' (found {})",
                            self.here()
                        ),
                    )),
                }
            }
            Some(Spanned {
                token: Token::Word(name),
                at,
            }) => {
                self.pos += 1;
                self.comparison(&name, at)
            }
            Some(_) => Err(syntax(
                self.text,
                &format!("expected a property name but found {}", self.here()),
            )),
            None => Err(syntax(
                self.text,
                "the filter ends where a comparison was expected",
            )),
        }
    }

    fn comparison(&mut self, name: &str, at: usize) -> Result<Filter> {
        let name = &shorten(name);
        let property = UserField::parse(name).ok_or_else(|| {
            let close = UserField::close_matches(name);
            let hint = if close.is_empty() {
                "see Get-Help Get-CsOnlineUser -Parameter Filter for the properties".to_string()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            syntax(
                self.text,
                &format!("'{name}' at position {at} is not a property you can filter on; {hint}"),
            )
        })?;
        let op = match self.peek() {
            Some(Spanned {
                token: Token::Operator(o),
                at,
            }) => Op::parse(o).ok_or_else(|| {
                syntax(
                    self.text,
                    &format!(
                        "'{}' at position {at} is not a supported operator (use {})",
                        shorten(o),
                        Op::ALL
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
            Some(_) => {
                return Err(syntax(
                    self.text,
                    &format!(
                        "expected an operator after '{name}' but found {}",
                        self.here()
                    ),
                ))
            }
            None => {
                return Err(syntax(
                    self.text,
                    &format!("'{name}' has no operator and value"),
                ))
            }
        };
        self.pos += 1;
        let literal = match self.peek() {
            Some(Spanned { token: Token::Quoted(v), .. }) => Some(v.clone()),
            Some(Spanned { token: Token::Word(w), .. }) if w.eq_ignore_ascii_case("$null") => None,
            Some(Spanned { token: Token::Word(w), .. }) => Some(w.clone()),
            Some(_) => {
                return Err(syntax(
                    self.text,
                    &format!("expected a value after '{name}' but found {} (quote text; commands are not run)", self.here()),
                ))
            }
            None => return Err(syntax(self.text, &format!("the comparison on '{name}' has no value"))),
        };
        let value_at = self.peek().map_or(0, |t| t.at);
        self.pos += 1;
        // Multi-valued properties compare element by element, so their value is one text.
        let kind = match property.kind() {
            kind if kind.is_multi_valued() => {
                if matches!(property.kind(), FieldKind::Objects(_))
                    && matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge)
                {
                    return Err(syntax(
                        self.text,
                        &format!("'{}' is a list of objects, which has no order; compare it with -eq, -ne, -like, -notlike, -contains or -notcontains (its objects' {}), or with $null", property.name(), object_key_name(property)),
                    ));
                }
                FieldKind::Text
            }
            other => other,
        };
        let value = match literal {
            None => FieldValue::Null,
            Some(text) => match (kind, op) {
                // A pattern is text whatever the property holds.
                (_, Op::Like | Op::NotLike) => FieldValue::Text(text),
                (FieldKind::Time, _) => match Timestamp::parse_loose(text.trim_start_matches('$')) {
                    Some(t) => FieldValue::Time(t),
                    None => {
                        return Err(syntax(
                            self.text,
                            &format!("'{}' at position {value_at} is not a date for '{}' (write '2026-01-25', '2026-01-25T23:59:59Z' or '1/25/2026 11:59:59 PM')", shorten(&text), property.name()),
                        ))
                    }
                },
                _ => kind.parse(&text).map_err(|why| {
                    syntax(self.text, &format!("{why} at position {value_at}, the value compared with '{}'", property.name()))
                })?,
            },
        };
        Ok(Filter::Compare {
            property,
            op,
            value,
        })
    }
}

/// `*` and `?` wildcards over already case-folded text.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssignedPlan, UserProfile};

    fn user(upn: &str, mode: &str) -> User {
        let mut profile = UserProfile {
            department: Some("Sales".into()),
            feature_types: vec!["Teams".into(), "AudioConferencing".into()],
            assigned_plan: vec![AssignedPlan {
                capability: "MCOMEETADV".into(),
                capability_status: "Enabled".into(),
                service_plan_id: uuid::Uuid::nil(),
                assigned_timestamp: Timestamp(0),
            }],
            when_changed: Some(Timestamp::parse("2022-02-01T00:00:00Z").unwrap()),
            telephone_numbers: vec![crate::model::TelephoneNumber {
                telephone_number: "+14255550100".into(),
                assignment_category: "Primary".into(),
            }],
            ..UserProfile::default()
        };
        profile
            .policies
            .set("TeamsMeetingPolicy", Some("RestrictedAnonymous".into()));
        User {
            key: 1,
            identity: uuid::Uuid::nil(),
            user_principal_name: upn.into(),
            sip_address: None,
            display_name: "Ken Myer".into(),
            sam_account_name: None,
            windows_domain_logon: None,
            distinguished_name: None,
            teams_upgrade_effective_mode: mode.into(),
            audio_conferencing_toll_number: None,
            audio_conferencing_toll_free_number: None,
            tenant_id: uuid::Uuid::nil(),
            profile,
        }
    }

    #[test]
    fn evaluates_the_opath_subset() {
        let ken = user("kenmyer@litwareinc.com", "TeamsOnly");
        for (text, expected) in [
            ("{TeamsUpgradeEffectiveMode -eq 'TeamsOnly'}", true),
            ("teamsupgradeeffectivemode -EQ \"teamsonly\"", true),
            ("TeamsUpgradeEffectiveMode -ne 'TeamsOnly'", false),
            ("UserPrincipalName -like '*@litwareinc.com'", true),
            ("UserPrincipalName -notlike 'ken*'", false),
            ("DisplayName -eq 'Ken Myer' -and (UserPrincipalName -like 'x*' -or TeamsUpgradeEffectiveMode -eq TeamsOnly)", true),
            ("-not (DisplayName -eq 'Ken Myer')", false),
            ("SipAddress -eq $null", true),
            ("DisplayName -eq 'O''Brien'", false),
            ("{TeamsUpgradePolicy -eq $null}", true),
            ("TeamsUpgradePolicy -ne $null", false),
            ("TeamsMeetingPolicy -eq 'restrictedanonymous'", true),
            ("AccountEnabled -eq $true", true),
            ("HideFromAddressLists -eq $True", false),
            ("FeatureTypes -Contains 'PhoneSystem'", false),
            ("FeatureTypes -contains 'audioconferencing'", true),
            ("FeatureTypes -notcontains 'PhoneSystem'", true),
            ("AssignedPlan -like '*MCO*'", true),
            ("AssignedPlans -eq 'MCOEV' -or AssignedPlans -like 'MCOPSTN*'", false),
            ("WhenChanged -gt \"1/25/2022 11:59:59 PM\"", true),
            ("WhenChanged -lt '2022-01-01'", false),
            ("WhenChanged -ge '2022-02-01T00:00:00Z' -and WhenChanged -le '2022-02-01'", true),
            ("SoftDeletionTimestamp -eq $null", true),
            ("Department -gt 'Marketing'", true),
            ("DisplayName -ieq 'ken myer'", true),
            ("AccountType -eq 'User' -and -not (AccountType -eq 'Guest')", true),
            ("TelephoneNumbers -ne $null", true),
            ("TelephoneNumbers -eq $null", false),
            ("TelephoneNumbers -contains '+14255550100'", true),
            ("TelephoneNumbers -like '+1425556*'", false),
            ("EffectivePolicyAssignments -contains 'teamsmeetingpolicy'", true),
            ("EffectivePolicyAssignments -notcontains 'TeamsUpgradePolicy'", true),
            ("EffectivePolicyAssignments -eq $null", false),
            ("EffectivePolicyAssignments -like 'Teams*'", true),
        ] {
            assert_eq!(Filter::parse(text).unwrap().matches(&ken), expected, "{text}");
        }
    }

    #[test]
    fn errors_name_the_token_and_its_position() {
        for (text, token) in [
            ("Departmnt -eq 'x'", "did you mean Department"),
            ("TeamsUpgradePolcy -eq $null", "TeamsUpgradePolicy"),
            ("DisplayName -match 'x'", "'-match' at position 13"),
            ("DisplayName -eq 'x", "no closing"),
            ("(DisplayName -eq 'x'", "'(' at position 1"),
            ("DisplayName -eq 'x' extra", "'extra' at position 21"),
            ("", "empty"),
            ("{DisplayName -eq $(Get-Date)}", "position 18"),
            ("DisplayName -eq $name", "variable"),
            ("DisplayName -eq (Get-Date)", "position 17"),
            ("DisplayName -eq 'x'.ToUpper()", "method call"),
            ("WhenChanged -gt [datetime]'2022-01-01'", "position 17"),
            ("WhenChanged -gt 'yesterday'", "not a date"),
            ("AccountEnabled -eq 'maybe'", "not True or False"),
            ("DisplayName -eq \"$x\"", "expands"),
            ("TelephoneNumbers -gt 5", "list of objects"),
            ("EffectivePolicyAssignments -le 'x'", "policy types"),
        ] {
            let e = Filter::parse(text).unwrap_err();
            assert_eq!(e.code, ErrorCode::FilterSyntax);
            assert!(e.message.contains(token), "{text}: {}", e.message);
        }
    }

    #[test]
    fn an_equality_on_a_key_is_found_under_and() {
        let f =
            Filter::parse("AccountType -ne 'Guest' -and UserPrincipalName -eq 'a@b.c'").unwrap();
        assert_eq!(
            f.required_equality(),
            Some((UserField::UserPrincipalName, "a@b.c"))
        );
        assert_eq!(
            Filter::parse("A -eq 1 -or Alias -eq 2")
                .ok()
                .and_then(|f| f.required_equality().map(|(p, _)| p)),
            None
        );
    }
}
