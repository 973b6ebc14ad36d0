//! The OPath subset of `Get-CsOnlineUser -Filter`: comparisons `-eq`, `-ne`, `-like`,
//! `-notlike` on user properties, joined by `-and`, `-or`, `-not` and parentheses.
//! Comparisons are case-insensitive, as in OPath.

use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::fold;
use crate::model::{User, UserField};

/// A parsed filter, evaluated against each user.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Compare {
        property: UserField,
        op: Op,
        value: Option<String>,
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
    Like,
    NotLike,
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
        let trimmed = text.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(trimmed);
        let tokens = tokenize(inner, text)?;
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
        if let Some(extra) = parser.tokens.get(parser.pos) {
            return Err(syntax(
                text,
                &format!(
                    "unexpected '{}' after a complete expression",
                    shorten(&extra.text())
                ),
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
            } => {
                let actual = property.value(user).map(|v| fold(&v));
                let expected = value.as_deref().map(fold);
                match op {
                    Op::Eq => actual == expected,
                    Op::Ne => actual != expected,
                    Op::Like | Op::NotLike => {
                        let hit = match (&actual, &expected) {
                            (Some(a), Some(p)) => wildcard_match(p, a),
                            (None, None) => true,
                            _ => false,
                        };
                        hit == (*op == Op::Like)
                    }
                }
            }
            Filter::And(all) => all.iter().all(|f| f.matches(user)),
            Filter::Or(any) => any.iter().any(|f| f.matches(user)),
            Filter::Not(a) => !a.matches(user),
        }
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

fn tokenize(input: &str, original: &str) -> Result<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '\'' | '"' => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        // A doubled quote inside a quoted string is one quote, as in PowerShell.
                        Some(q) if q == c => {
                            if chars.peek() == Some(&c) {
                                chars.next();
                                value.push(c);
                            } else {
                                break;
                            }
                        }
                        Some(other) => value.push(other),
                        None => {
                            return Err(syntax(
                                original,
                                &format!("the string {c}{} has no closing {c}", shorten(&value)),
                            ))
                        }
                    }
                }
                tokens.push(Token::Quoted(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '\'' || c == '"' {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                if word.starts_with('-') {
                    tokens.push(Token::Operator(word.to_ascii_lowercase()));
                } else {
                    tokens.push(Token::Word(word));
                }
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    /// Parentheses and `-not` open around the current position (see [`MAX_FILTER_DEPTH`]).
    depth: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek_operator(&self, name: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Operator(o)) if o == name)
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
        // A run of -not is counted, not recursed into.
        let mut nots = 0;
        while self.peek_operator("-not") {
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
        match self.tokens.get(self.pos).cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                self.enter()?;
                let inner = self.or()?;
                self.depth -= 1;
                match self.tokens.get(self.pos) {
                    Some(Token::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(syntax(self.text, "a '(' has no matching ')'")),
                }
            }
            Some(Token::Word(name)) => {
                self.pos += 1;
                self.comparison(&name)
            }
            Some(other) => Err(syntax(
                self.text,
                &format!(
                    "expected a property name but found '{}'",
                    shorten(&other.text())
                ),
            )),
            None => Err(syntax(
                self.text,
                "the filter ends where a comparison was expected",
            )),
        }
    }

    fn comparison(&mut self, name: &str) -> Result<Filter> {
        let name = &shorten(name);
        let property = UserField::parse(name).ok_or_else(|| {
            syntax(
                self.text,
                &format!(
                    "'{name}' is not a property you can filter on (use one of: {})",
                    UserField::ALL
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let op = match self.tokens.get(self.pos) {
            Some(Token::Operator(o)) => match o.as_str() {
                "-eq" => Op::Eq,
                "-ne" => Op::Ne,
                "-like" => Op::Like,
                "-notlike" => Op::NotLike,
                other => {
                    let other = shorten(other);
                    return Err(syntax(
                        self.text,
                        &format!(
                        "'{other}' is not a supported operator (use -eq, -ne, -like or -notlike)"
                    ),
                    ));
                }
            },
            Some(other) => {
                return Err(syntax(
                    self.text,
                    &format!(
                        "expected an operator after '{name}' but found '{}'",
                        shorten(&other.text())
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
        let value = match self.tokens.get(self.pos) {
            Some(Token::Quoted(v)) => Some(v.clone()),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("$null") => None,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("$true") => Some("True".into()),
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("$false") => Some("False".into()),
            Some(Token::Word(w)) if !w.starts_with('$') => Some(w.clone()),
            Some(other) => {
                return Err(syntax(
                    self.text,
                    &format!("'{}' is not a value (quote it; variables are not expanded, use -Filter \"...$x...\")", shorten(&other.text())),
                ))
            }
            None => return Err(syntax(self.text, &format!("the comparison on '{name}' has no value"))),
        };
        self.pos += 1;
        Ok(Filter::Compare {
            property,
            op,
            value,
        })
    }
}

/// `*` and `?` wildcards over already case-folded text.
fn wildcard_match(pattern: &str, text: &str) -> bool {
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

    fn user(upn: &str, mode: &str) -> User {
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
        ] {
            assert_eq!(Filter::parse(text).unwrap().matches(&ken), expected, "{text}");
        }
    }

    #[test]
    fn errors_name_the_token() {
        for (text, token) in [
            ("Department -eq 'x'", "'Department'"),
            ("DisplayName -gt 'x'", "'-gt'"),
            ("DisplayName -eq 'x", "no closing"),
            ("(DisplayName -eq 'x'", "'('"),
            ("DisplayName -eq 'x' extra", "'extra'"),
            ("", "empty"),
        ] {
            let e = Filter::parse(text).unwrap_err();
            assert_eq!(e.code, ErrorCode::FilterSyntax);
            assert!(e.message.contains(token), "{text}: {}", e.message);
        }
    }
}
