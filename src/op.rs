//! The comparison operators: one definition, below every stage that reads, types, prints or
//! runs them.

use std::fmt;

/// The six comparison operators of the language.
///
/// ```
/// use emfilter::CompareOp;
/// assert_eq!(CompareOp::Ge.to_string(), ">=");
/// assert!(CompareOp::Lt.is_ordering() && !CompareOp::Ne.is_ordering());
/// assert_eq!(CompareOp::ALL.len(), 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written in the language.
    ///
    /// ```
    /// use emfilter::CompareOp;
    /// assert_eq!(CompareOp::Ne.as_str(), "!=");
    /// let filter = emfilter::compile("Result <= Warning", &emfilter::schema::REPLICA_JOB_SESSION).unwrap();
    /// assert!(filter.to_string().contains(CompareOp::Le.as_str()));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }

    /// Whether the operator needs an order on the field's values (`<` `<=` `>` `>=`).
    ///
    /// ```
    /// use emfilter::CompareOp;
    /// let ordering: Vec<&str> = CompareOp::ALL.iter().filter(|op| op.is_ordering()).map(|op| op.as_str()).collect();
    /// assert_eq!(ordering, ["<", "<=", ">", ">="]);
    /// ```
    pub fn is_ordering(self) -> bool {
        !matches!(self, CompareOp::Eq | CompareOp::Ne)
    }

    /// Every operator.
    ///
    /// ```
    /// use emfilter::CompareOp;
    /// let written: String = CompareOp::ALL.iter().map(|op| op.as_str()).collect::<Vec<_>>().join(" ");
    /// assert_eq!(written, "== != < <= > >=");
    /// ```
    pub const ALL: [CompareOp; 6] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
    ];
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
