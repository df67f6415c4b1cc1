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

/// `text` with everything shaped like a GUID (8-4-4-4-12 hex digits) replaced by `<hidden>`:
/// for text that may hold a logon session's id before the id is known.
pub(crate) fn redact_guids(text: &str) -> String {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let guid_at = |start: usize| -> Option<usize> {
        let mut i = start;
        for (n, len) in SHAPE.iter().enumerate() {
            if n > 0 {
                (bytes.get(i) == Some(&b'-')).then_some(())?;
                i += 1;
            }
            let group = bytes.get(i..i + len)?;
            group.iter().all(u8::is_ascii_hexdigit).then_some(())?;
            i += len;
        }
        Some(i)
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_hexdigit();
        match guid_at(i).filter(|_| boundary) {
            Some(end) => {
                out.push_str("<hidden>");
                i = end;
            }
            None => {
                let c = text[i..].chars().next().expect("at a char boundary");
                out.push(c);
                i += c.len_utf8();
            }
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
    fn redact_guids_hides_guid_shapes_only() {
        assert_eq!(
            redact_guids(r#"{"SessionId":"4e8f2905-a88d-4c9d-9e58-56608d0f0b0b","é":1}"#),
            r#"{"SessionId":"<hidden>","é":1}"#
        );
        assert_eq!(redact_guids("4e8f2905-a88d-4c9d"), "4e8f2905-a88d-4c9d");
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
