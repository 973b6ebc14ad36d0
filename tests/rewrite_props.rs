//! Property: a rewrite replaces the online-meeting block and keeps every byte outside it,
//! whatever Unicode surrounds it (the worker's rewrite of each meeting).

use meeting_migration::invitation::{rewrite, JoinDetails, OnlineMeetingBlock, BLOCK_RULE};
use meeting_migration::model::MeetingType;
use proptest::prelude::*;
use uuid::Uuid;

fn has_rule_line(text: &str) -> bool {
    text.split('\n')
        .any(|l| l.strip_suffix('\r').unwrap_or(l) == BLOCK_RULE)
}

/// Arbitrary Unicode, and text made of the characters that matter to block detection
/// (underscores, line breaks) mixed with multi-byte ones.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[_\r\n a-zÄöß€😀会\u{200d}\u{0301}]{0,200}",
        proptest::collection::vec(
            prop_oneof![
                Just("_".repeat(79)),
                Just("_".repeat(81)),
                Just("\r\n".into()),
                Just("\n".into()),
                any::<String>()
            ],
            0..8
        )
        .prop_map(|parts| parts.concat()),
    ]
}

fn kind() -> impl Strategy<Value = MeetingType> {
    prop_oneof![
        Just(MeetingType::Teams),
        Just(MeetingType::SfbOnline),
        Just(MeetingType::SfbOnPrem)
    ]
}

fn number() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("\\+[1-9][0-9]{0,2} [0-9]{3} [0-9]{3} [0-9]{4}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn rewrite_keeps_every_byte_outside_the_block(
        prefix in text(),
        suffix in text(),
        before_kind in kind(),
        after_kind in kind(),
        crlf in any::<bool>(),
        ids in (any::<u128>(), any::<u128>()),
        toll in number(),
        toll_free in number(),
    ) {
        prop_assume!(!has_rule_line(&prefix) && !has_rule_line(&suffix));
        let nl = if crlf { "\r\n" } else { "\n" };
        let old = JoinDetails::initial(Uuid::from_u128(ids.0), before_kind, "contoso.com").render();
        // The block starts on a line of its own and its closing rule ends a line.
        let head = format!("{prefix}{nl}");
        let tail = format!("{nl}{suffix}");
        let body = format!("{head}{old}{tail}");

        let found = OnlineMeetingBlock::find(&body).expect("the block is found");
        prop_assert_eq!(found.range.clone(), head.len()..head.len() + old.len());

        let details = JoinDetails::generate(Uuid::from_u128(ids.0), Uuid::from_u128(ids.1), after_kind, "litwareinc.com", toll, toll_free);
        let out = rewrite(&body, &details).expect("rewritten");
        prop_assert!(out.as_bytes().starts_with(head.as_bytes()));
        prop_assert!(out.as_bytes().ends_with(tail.as_bytes()));
        prop_assert_eq!(out.len(), head.len() + details.render().len() + tail.len());
        prop_assert_eq!(&out[head.len()..out.len() - tail.len()], details.render());

        // The new block reads back as what was written; rewriting again is stable.
        let block = OnlineMeetingBlock::find(&out).expect("the new block is found");
        prop_assert_eq!(block.join_url.as_deref(), Some(details.join_url.as_str()));
        prop_assert_eq!(block.conference_id.as_deref(), Some(details.conference_id.as_str()));
        prop_assert_eq!(rewrite(&out, &details).unwrap(), out.clone());
    }

    #[test]
    fn a_body_without_a_block_is_not_rewritten(body in text()) {
        prop_assume!(!has_rule_line(&body));
        let details = JoinDetails::initial(Uuid::from_u128(1), MeetingType::Teams, "contoso.com");
        prop_assert!(OnlineMeetingBlock::find(&body).is_none());
        prop_assert!(rewrite(&body, &details).is_none());
    }

    #[test]
    fn only_the_first_block_is_replaced(prefix in text(), middle in text(), suffix in text()) {
        prop_assume!(!has_rule_line(&prefix) && !has_rule_line(&middle) && !has_rule_line(&suffix));
        let first = JoinDetails::initial(Uuid::from_u128(1), MeetingType::SfbOnline, "contoso.com").render();
        let second = JoinDetails::initial(Uuid::from_u128(2), MeetingType::SfbOnPrem, "contoso.com").render();
        let body = format!("{prefix}\n{first}\n{middle}\n{second}\n{suffix}");
        let details = JoinDetails::initial(Uuid::from_u128(3), MeetingType::Teams, "contoso.com");
        let out = rewrite(&body, &details).unwrap();
        let expected = format!("{prefix}\n{}\n{middle}\n{second}\n{suffix}", details.render());
        prop_assert_eq!(out, expected);
    }
}
