//! Text that must never be shown: the password, the session token, the logon session's id.

use std::fmt;

/// A secret string. `Debug` shows `<hidden>`; the bytes are overwritten when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub fn new(text: String) -> Secret {
        Secret(text)
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

/// `text` with every occurrence of each secret replaced by `<hidden>`. Secrets shorter than three
/// bytes are left alone: hiding every `a` of a message would hide the message, not the secret.
pub(crate) fn redact<'a>(text: &str, secrets: impl IntoIterator<Item = &'a Secret>) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        let s = secret.expose();
        if s.len() >= 3 && out.contains(s) {
            out = out.replace(s, "<hidden>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let s = Secret::new("hunter2".to_owned());
        assert_eq!(format!("{s:?}"), "<hidden>");
    }

    #[test]
    fn redact_hides_every_occurrence() {
        let token = Secret::new("tok3n".to_owned());
        let short = Secret::new("a".to_owned());
        assert_eq!(
            redact("a tok3n and tok3n", [&token, &short]),
            "a <hidden> and <hidden>"
        );
    }
}
