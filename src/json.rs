//! Two small rules for the JSON that Enterprise Manager sends, written once for the record
//! reader, the submitter and the command line.

/// The UTF-8 byte-order mark EM writes before every JSON body.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` without a leading UTF-8 byte-order mark.
///
/// ```
/// assert_eq!(emfilter::json::strip_bom(b"\xEF\xBB\xBF{}"), b"{}");
/// assert_eq!(emfilter::json::strip_bom(b"{}"), b"{}");
/// ```
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Appends `json` to `out` on one line: the whitespace between tokens removed, strings and
/// numbers byte for byte, members in their order.
///
/// ```
/// let mut out = Vec::new();
/// emfilter::json::compact(b"{\n  \"Name\": \"SQL  Replica\",\r\n  \"Progress\" : 100\n}", &mut out);
/// assert_eq!(out, br#"{"Name":"SQL  Replica","Progress":100}"#);
/// ```
pub fn compact(json: &[u8], out: &mut Vec<u8>) {
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            out.push(b);
            in_string = b == b'"';
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn whitespace_goes_strings_stay() {
        let mut out = Vec::new();
        super::compact(
            b"{\n  \"a b\": [1, 2],\r\n \"c\\\" d\" : \"x  y\"\n}",
            &mut out,
        );
        assert_eq!(out, b"{\"a b\":[1,2],\"c\\\" d\":\"x  y\"}");
        out.clear();
        super::compact(br#"{ "U": "TECH\\", "V" : "x y" }"#, &mut out);
        assert_eq!(out, br#"{"U":"TECH\\","V":"x y"}"#);
    }
}
