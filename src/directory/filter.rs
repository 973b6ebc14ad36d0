//! The OPath subset of `Get-CsOnlineUser -Filter`: comparisons `-eq`, `-ne`, `-like`,
//! `-notlike` on user properties, joined by `-and`, `-or`, `-not` and parentheses.
//! Comparisons are case-insensitive, as in OPath.

use crate::error::{Error, ErrorCode, Result};
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
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

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
        let trimmed = text.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .unwrap_or(trimmed);
        let tokens = tokenize(inner, text)?;
        let mut parser = Parser {
            tokens,
            pos: 0,
            text,
        };
        if parser.tokens.is_empty() {
            return Err(syntax(text, "the filter is empty; write a comparison such as TeamsUpgradeEffectiveMode -eq 'TeamsOnly'"));
        }
        let filter = parser.or()?;
        if let Some(extra) = parser.tokens.get(parser.pos) {
            return Err(syntax(
                text,
                &format!("unexpected '{}' after a complete expression", extra.text()),
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
            Filter::And(a, b) => a.matches(user) && b.matches(user),
            Filter::Or(a, b) => a.matches(user) || b.matches(user),
            Filter::Not(a) => !a.matches(user),
        }
    }
}

fn syntax(text: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::FilterSyntax,
        format!("The filter \"{text}\" is not valid: {why}."),
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
                                &format!("the string {c}{value} has no closing {c}"),
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
    text: &'a str,
}

impl Parser<'_> {
    fn peek_operator(&self, name: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token::Operator(o)) if o == name)
    }

    fn or(&mut self) -> Result<Filter> {
        let mut left = self.and()?;
        while self.peek_operator("-or") {
            self.pos += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter> {
        let mut left = self.unary()?;
        while self.peek_operator("-and") {
            self.pos += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter> {
        if self.peek_operator("-not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        match self.tokens.get(self.pos).cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                let inner = self.or()?;
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
                &format!("expected a property name but found '{}'", other.text()),
            )),
            None => Err(syntax(
                self.text,
                "the filter ends where a comparison was expected",
            )),
        }
    }

    fn comparison(&mut self, name: &str) -> Result<Filter> {
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
                    return Err(syntax(
                        self.text,
                        &format!(
                        "'{other}' is not a supported operator (use -eq, -ne, -like or -notlike)"
                    ),
                    ))
                }
            },
            Some(other) => {
                return Err(syntax(
                    self.text,
                    &format!(
                        "expected an operator after '{name}' but found '{}'",
                        other.text()
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
                    &format!("'{}' is not a value (quote it; variables are not expanded, use -Filter \"...$x...\")", other.text()),
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
