//! What a type printed in a parameter table of EM's reference means to the checker.
//!
//! Shared by `build.rs` (which maps every row of `types.toml` through it) and the crate's tests,
//! so the mapping is written once.

/// The checker's type for a printed type name, before `values` (which make any row an enum) and
/// `resource` (which a UID needs) are considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `urn:veeam:<resource>:<guid>`.
    Uid,
    /// A UTC date-time.
    DateTime,
    /// `True` or `False`.
    Boolean,
    /// A whole number, read as 64 bits.
    Int64,
    /// A finite floating-point number.
    Double,
    /// Free text.
    String,
}

/// The kind of a type as the reference prints it in a parameter table's Type column, or `None`
/// for a name the reference does not use for a scalar (an enum's own type name such as
/// `CloudTenantType` is only accepted together with `values`).
///
/// The reference is irregular: UIDs are printed `UidType` (and `URN` in tables of older
/// releases), 64-bit integers `Long`, `Int64` or `Int`, and some strings `Name` or
/// `HierarchyObjRefType` (a reference such as `urn:vCloud:Org:<id>`, not a Veeam UID).
pub(crate) fn kind(printed: &str) -> Option<Kind> {
    Some(match printed {
        "UidType" | "URN" => Kind::Uid,
        "DateTime" => Kind::DateTime,
        "Boolean" => Kind::Boolean,
        "Long" | "Int64" | "Int" => Kind::Int64,
        "Double" => Kind::Double,
        "String" | "Name" | "HierarchyObjRefType" => Kind::String,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_names_of_one_type_agree() {
        assert_eq!(kind("URN"), Some(Kind::Uid));
        assert_eq!(kind("UidType"), Some(Kind::Uid));
        assert_eq!(kind("Name"), Some(Kind::String));
        assert_eq!(kind("Long"), kind("Int64"));
        assert_eq!(kind("Int"), Some(Kind::Int64));
        assert_eq!(kind("Double"), Some(Kind::Double));
        assert_eq!(kind("CloudTenantType"), None);
        assert_eq!(kind("string"), None, "printed names are matched exactly");
    }
}
