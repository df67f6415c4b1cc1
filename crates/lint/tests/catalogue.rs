//! The whole diagnostic catalogue as one reviewed snapshot (issue 11): every code with what it
//! catches, why, its fix and applicability, and what emfilter says about its example (message,
//! help, fix). A change of wording is a change of `tests/snapshots/catalogue__catalogue.snap`.

use emfilter::Code;
use emfilter_lint::rules;

#[test]
fn catalogue() {
    let mut all = String::new();
    for &code in Code::ALL {
        all.push_str(&rules::explain(code));
        all.push_str("\n----\n\n");
    }
    insta::assert_snapshot!("catalogue", all);
}

#[test]
fn every_rule_is_documented_and_its_example_gives_it() {
    for &code in Code::ALL {
        let rule = rules::rule(code);
        assert!(!rule.why.is_empty(), "{code} has no why");
        let found = rules::example_diagnostics(code);
        assert!(
            found.iter().any(|d| d.code() == code),
            "the example of {code} gives {found:?}"
        );
        // A rule that documents a fix gives one on its example, and the other way round.
        let fixed = found.iter().any(|d| d.code() == code && d.fix().is_some());
        let documented = rule.fix.is_some_and(|f| !f.starts_with("none"));
        if fixed {
            assert!(documented, "{code} fixes its example but documents no fix");
        }
    }
}
