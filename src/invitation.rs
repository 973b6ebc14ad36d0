//! The online-meeting block of an invitation and its rewrite.
//!
//! A block is the text from a line that is exactly [`BLOCK_RULE`] (80 underscores, as
//! Outlook writes around Teams and Skype join details) to the next such line, both
//! included. A rewrite replaces that range and nothing else: every byte before and after it
//! is kept, so any text and any Unicode in the invitation survive.

use uuid::Uuid;

use crate::model::MeetingType;
use crate::rng::SplitMix64;

/// The line that opens and closes an online-meeting block.
pub const BLOCK_RULE: &str =
    "________________________________________________________________________________";

/// The online-meeting block found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineMeetingBlock<'a> {
    /// Byte range of the block in the body (both rules included, no line break after).
    pub range: std::ops::Range<usize>,
    pub text: &'a str,
    pub join_url: Option<String>,
    pub conference_id: Option<String>,
}

/// Byte offsets of lines that are exactly the rule (a trailing `\r` allowed).
fn rule_lines(body: &str) -> impl Iterator<Item = usize> + '_ {
    let mut offset = 0;
    body.split_inclusive('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len();
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        (content == BLOCK_RULE).then_some(start)
    })
}

impl<'a> OnlineMeetingBlock<'a> {
    /// The first block of `body`, if it has one.
    pub fn find(body: &'a str) -> Option<Self> {
        let mut rules = rule_lines(body);
        let start = rules.next()?;
        let end = rules.next()? + BLOCK_RULE.len();
        let text = &body[start..end];
        let join_url = text
            .split('<')
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .map(|(url, _)| url.to_string());
        let conference_id = text.lines().find_map(|line| {
            let line = line.trim();
            line.strip_prefix("Phone Conference ID:")
                .or_else(|| line.strip_prefix("Conference ID:"))
                .map(|id| id.trim().trim_end_matches('#').trim().to_string())
        });
        Some(OnlineMeetingBlock {
            range: start..end,
            text,
            join_url,
            conference_id,
        })
    }
}

/// The domain in a Skype meeting's join URL: the organiser's UPN domain, lower case
/// (`meet.lync.com/<domain>/…`, `meet.<domain>/…`). Every writer of a block uses it.
pub fn join_domain(organizer_upn: &str) -> String {
    organizer_upn
        .rsplit_once('@')
        .map_or(organizer_upn, |(_, domain)| domain)
        .trim()
        .to_lowercase()
}

/// What a block says: where to join, the conference id and the dial-in numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinDetails {
    pub meeting_type: MeetingType,
    pub join_url: String,
    pub conference_id: String,
    pub toll: Option<String>,
    pub toll_free: Option<String>,
}

impl JoinDetails {
    /// Details for a meeting of `meeting_type`, derived from the meeting and the request
    /// that (re)writes it (`Uuid::nil()` for a meeting's first invitation).
    pub fn generate(
        meeting_id: Uuid,
        request: Uuid,
        meeting_type: MeetingType,
        domain: &str,
        toll: Option<String>,
        toll_free: Option<String>,
    ) -> Self {
        // A function of the meeting and the request: rewriting twice gives the same text.
        let h = SplitMix64::digest(&[meeting_id, request]);
        let (join_url, conference_id) = match meeting_type {
            MeetingType::Teams => (
                format!(
                    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{}%40thread.v2/0",
                    &format!("{h:016x}")
                ),
                format!(
                    "{:03} {:03} {:03}",
                    (h % 1000) as u32,
                    ((h / 1000) % 1000) as u32,
                    ((h / 1_000_000) % 1000) as u32
                ),
            ),
            MeetingType::SfbOnline => (
                format!("https://meet.lync.com/{domain}/{:08X}", (h >> 32) as u32),
                format!("{:08}", h % 100_000_000),
            ),
            MeetingType::SfbOnPrem => (
                format!("https://meet.{domain}/{:06X}", (h >> 40) as u32),
                format!("{:07}", h % 10_000_000),
            ),
        };
        JoinDetails {
            meeting_type,
            join_url,
            conference_id,
            toll,
            toll_free,
        }
    }

    /// A new meeting's first details, with the sample bridge's numbers.
    pub fn initial(meeting_id: Uuid, meeting_type: MeetingType, domain: &str) -> Self {
        Self::generate(
            meeting_id,
            Uuid::nil(),
            meeting_type,
            domain,
            Some("+1 425 555 0100".into()),
            Some("+1 800 555 0100".into()),
        )
    }

    /// The block's text (rules included, lines separated by CRLF as in Outlook bodies).
    pub fn render(&self) -> String {
        let mut lines: Vec<String> = vec![BLOCK_RULE.to_string()];
        let id_digits: String = self
            .conference_id
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        match self.meeting_type {
            MeetingType::Teams => {
                lines.push("Microsoft Teams meeting".into());
                lines.push("Join on your computer, mobile app or room device".into());
                lines.push(format!(
                    "Click here to join the meeting <{}>",
                    self.join_url
                ));
                if self.toll.is_some() || self.toll_free.is_some() {
                    lines.push("Or call in (audio only)".into());
                }
            }
            MeetingType::SfbOnline | MeetingType::SfbOnPrem => {
                lines.push("Skype Meeting".into());
                lines.push(format!("Join Skype Meeting <{}>", self.join_url));
                if self.toll.is_some() || self.toll_free.is_some() {
                    lines.push("Join by phone".into());
                }
            }
        }
        if let Some(n) = &self.toll {
            lines.push(format!("{n},,{id_digits}# (Toll)"));
        }
        if let Some(n) = &self.toll_free {
            lines.push(format!("{n},,{id_digits}# (Toll-free)"));
        }
        lines.push(match self.meeting_type {
            MeetingType::Teams => format!("Phone Conference ID: {}#", self.conference_id),
            _ => format!("Conference ID: {}", self.conference_id),
        });
        lines.push(BLOCK_RULE.to_string());
        lines.join("\r\n")
    }
}

/// Replaces the body's online-meeting block with `details`; `None` when it has no block.
pub fn rewrite(body: &str, details: &JoinDetails) -> Option<String> {
    let block = OnlineMeetingBlock::find(body)?;
    let rendered = details.render();
    let mut out = String::with_capacity(body.len() - block.range.len() + rendered.len());
    out.push_str(&body[..block.range.start]);
    out.push_str(&rendered);
    out.push_str(&body[block.range.end..]);
    Some(out)
}

/// The meetings whose online-meeting block was pasted from another meeting: among one
/// organiser's meetings (`(key, body)`), a block whose join link is also in a meeting of a
/// lower key belongs to that meeting, the one it was written for, and has no online meeting
/// of its own. Each pasted meeting's key maps to the key of the meeting it came from.
pub fn pasted_blocks<'a>(
    meetings: impl IntoIterator<Item = (i64, &'a str)>,
) -> std::collections::HashMap<i64, i64> {
    let mut meetings: Vec<(i64, Option<String>)> = meetings
        .into_iter()
        .map(|(key, body)| (key, OnlineMeetingBlock::find(body).and_then(|b| b.join_url)))
        .collect();
    meetings.sort_by_key(|(key, _)| *key);
    let mut owners: std::collections::HashMap<String, i64> = Default::default();
    let mut pasted = std::collections::HashMap::new();
    for (key, url) in meetings {
        let Some(url) = url else { continue };
        match owners.get(&url) {
            Some(owner) => {
                pasted.insert(key, *owner);
            }
            None => {
                owners.insert(url, key);
            }
        }
    }
    pasted
}

/// An invitation body around a block, for the sample tenant and imports without a body.
pub fn sample_invitation(
    subject: &str,
    meeting_type: MeetingType,
    details: &JoinDetails,
) -> String {
    debug_assert_eq!(meeting_type, details.meeting_type);
    format!(
        "{subject}\r\n\r\nHello all — agenda and notes are in the shared folder. Café at 10, Zoë presents. 会议 📅\r\n\r\n{}\r\n\r\nThis invitation was sent by the organiser's calendar.\r\n",
        details.render()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_rewrites_only_the_block() {
        let id = Uuid::from_u128(7);
        let before = JoinDetails::initial(id, MeetingType::SfbOnPrem, "contoso.com");
        let body = format!("Über\n{}\nnach ✓\r\n", before.render());
        let block = OnlineMeetingBlock::find(&body).unwrap();
        assert_eq!(block.join_url.as_deref(), Some(before.join_url.as_str()));
        assert_eq!(
            block.conference_id.as_deref(),
            Some(before.conference_id.as_str())
        );
        let after = JoinDetails::generate(
            id,
            Uuid::from_u128(9),
            MeetingType::Teams,
            "contoso.com",
            None,
            Some("+1 800 555 0199".into()),
        );
        let new_body = rewrite(&body, &after).unwrap();
        assert!(new_body.starts_with("Über\n") && new_body.ends_with("\nnach ✓\r\n"));
        let found = OnlineMeetingBlock::find(&new_body).unwrap();
        assert_eq!(found.join_url.as_deref(), Some(after.join_url.as_str()));
        assert!(
            found.text.contains("Microsoft Teams meeting")
                && found.text.contains("+1 800 555 0199")
        );
        assert!(rewrite("no block here", &after).is_none());
    }

    #[test]
    fn a_block_also_in_an_earlier_meeting_is_pasted_from_it() {
        let block = |n: u128| {
            JoinDetails::initial(Uuid::from_u128(n), MeetingType::Teams, "contoso.com").render()
        };
        let (first, second) = (block(1), block(2));
        let pasted = pasted_blocks([
            (30, first.as_str()),
            (10, first.as_str()),
            (20, second.as_str()),
            (40, "no block"),
            (50, first.as_str()),
        ]);
        assert_eq!(pasted.len(), 2);
        assert_eq!((pasted[&30], pasted[&50]), (10, 10));
    }
}
