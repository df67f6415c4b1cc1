//! The checked filter: a typed tree over its schema, printed canonically, sent as a query value,
//! and evaluated on records, all through one type.
//!
//! A [`Filter`] comes from the checker ([`crate::compile`]) or from a typed tree that fits its
//! schema ([`Filter::new`]); it cannot be made otherwise. Evaluating compiles the tree once, on
//! first use, into a flat program that parses nothing and allocates nothing per record.

use std::fmt;
use std::sync::OnceLock;

use crate::eval::{self, EntityFormat, MatchError, NotEvaluable, Options, Program, Record};
use crate::ir::{self, Comparison, ComparisonError, Expr, ExprKind};
use crate::schema::{FieldId, Schema};

/// A checked filter over one schema.
///
/// ```
/// use emfilter::eval::{Record, Value};
/// use emfilter::schema::{FieldId, REPLICA_JOB_SESSION};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let filter = emfilter::compile(r#"jobname=="sql replica";result>=warning"#, &REPLICA_JOB_SESSION)?;
/// assert_eq!(filter.to_string(), r#"JobName=="sql replica";Result>=Warning"#);
///
/// // EM's JSON, one entity at a time.
/// assert!(filter.matches_json(br#"{"JobName":"SQL Replica","Result":"Failed"}"#)?);
///
/// // A type of your own, through the Record trait.
/// struct Run<'a> { job: &'a str, result: &'a str }
/// impl Record for Run<'_> {
///     fn value(&self, field: FieldId) -> Value<'_> {
///         match REPLICA_JOB_SESSION.field(field).name() {
///             "JobName" => Value::Text(self.job),
///             "Result" => Value::Text(self.result),
///             _ => Value::Null,
///         }
///     }
/// }
/// assert!(!filter.matches(&Run { job: "SQL Replica", result: "Success" }));
/// # Ok(())
/// # }
/// ```
pub struct Filter {
    schema: Schema,
    root: Expr,
    options: Options,
    /// The tree compiled for evaluation, on first use.
    program: OnceLock<Program>,
    /// How EM's entities of the type are read for this filter, on first use. Boxed: a reader
    /// of entities is large (its key tables), and a filter that is never matched against JSON
    /// (most that are only checked) should not carry its room, nor copy it when moved.
    entities: OnceLock<Box<Result<Entities, NotEvaluable>>>,
}

#[derive(Debug, Clone)]
struct Entities {
    format: EntityFormat,
    /// The fields the filter reads, one bit each: the reader converts only these.
    needed: u64,
}

impl Filter {
    /// A filter over `schema` whose meaning is `root`, if every comparison in `root` fits
    /// `schema`: a field of it, a value of the field's type, an operator the type allows.
    ///
    /// ```
    /// use emfilter::ir::{Comparison, EnumValue, Expr, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp, Filter};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let result = REPLICA_JOB_SESSION.lookup("Result").unwrap();
    /// let failed = TypedValue::Enum(EnumValue::documented("Failed", 2));
    /// let c = Comparison::new(&REPLICA_JOB_SESSION, result, CompareOp::Eq, failed)?;
    /// let filter = Filter::new(&REPLICA_JOB_SESSION, Expr::compare(c))?;
    /// assert_eq!(filter.to_string(), "Result==Failed");
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(schema: &Schema, root: Expr) -> Result<Filter, ComparisonError> {
        let mut stack = vec![&root];
        while let Some(e) = stack.pop() {
            match e.kind() {
                ExprKind::Compare(c) => {
                    Comparison::new(schema, c.field(), c.op(), c.value().clone())?;
                }
                ExprKind::And(items) | ExprKind::Or(items) => stack.extend(items),
            }
        }
        Ok(Filter::checked(schema, root))
    }

    /// A filter over `schema` whose comparisons the checker made for it.
    pub(crate) fn checked(schema: &Schema, root: Expr) -> Filter {
        Filter {
            schema: schema.clone(),
            root,
            options: Options::default(),
            program: OnceLock::new(),
            entities: OnceLock::new(),
        }
    }

    /// The schema the filter was checked against.
    ///
    /// ```
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let tasks = emfilter::schema::builtin("BackupTaskSession").unwrap();
    /// let filter = emfilter::compile("Result==Failed", tasks)?;
    /// assert_eq!(filter.schema().name(), "BackupTaskSession");
    /// assert!(filter.schema().same(tasks));
    /// # Ok(())
    /// # }
    /// ```
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The typed tree.
    ///
    /// ```
    /// use emfilter::ir::ExprKind;
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("(Result==Failed);((IsRetry==true))", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// // What the filter means: the parentheses are gone, the AND holds two comparisons.
    /// assert!(matches!(filter.root().kind(), ExprKind::And(items) if items.len() == 2));
    /// # Ok(())
    /// # }
    /// ```
    pub fn root(&self) -> &Expr {
        &self.root
    }

    /// How the filter evaluates.
    ///
    /// ```
    /// use emfilter::eval::Options;
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("JobName==nightly", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// assert_eq!(filter.options(), Options::default());
    /// let exact = filter.with_options(Options::default().case_sensitive(true));
    /// assert!(exact.options().case_sensitive);
    /// # Ok(())
    /// # }
    /// ```
    pub fn options(&self) -> Options {
        self.options
    }

    /// The same filter, evaluating with `options`.
    ///
    /// ```
    /// use emfilter::eval::Options;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile("JobName==nightly", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let json = br#"{"JobName":"Nightly"}"#;
    /// assert!(filter.matches_json(json)?);
    /// let exact = filter.with_options(Options::default().case_sensitive(true));
    /// assert!(!exact.matches_json(json)?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(self, options: Options) -> Filter {
        if options == self.options {
            return self;
        }
        Filter {
            options,
            program: OnceLock::new(),
            entities: OnceLock::new(),
            ..self
        }
    }

    /// Writes the canonical form, the text `Display` writes, to `out`.
    ///
    /// Into a `String` the printer writes straight to it, not through a `Formatter` (what
    /// `write!(out, "{filter}")` does): the cheaper way when many filters are written.
    ///
    /// ```
    /// let filter = emfilter::compile("result>=warning", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let mut out = String::from("filter: ");
    /// filter.write_canonical(&mut out).unwrap();
    /// assert_eq!(out, "filter: Result>=Warning");
    /// # Ok::<(), emfilter::Invalid>(())
    /// ```
    pub fn write_canonical(&self, out: &mut impl fmt::Write) -> fmt::Result {
        ir::print::write_filter(out, &self.schema, &self.root, false)
    }

    /// The canonical text with EM's own field names: what the server is sent. It differs from
    /// the `Display` form only for a schema whose fields were
    /// [renamed](crate::Schema::rename).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = emfilter::schema::REPLICA_JOB_SESSION.rename("JobName", "job")?;
    /// let filter = emfilter::compile("job==nightly", &schema)?;
    /// assert_eq!(filter.to_string(), "job==nightly");
    /// assert_eq!(filter.to_em_filter(), "JobName==nightly");
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_em_filter(&self) -> String {
        let mut out = String::new();
        let _ = ir::print::write_filter(&mut out, &self.schema, &self.root, true);
        out
    }

    /// The canonical text with EM's field names, percent-encoded for the `filter=` parameter of
    /// a query URL.
    ///
    /// Everything but ASCII letters, digits and `-` `.` `_` `~` is encoded, so a value holding
    /// `&`, `;`, `,`, `"`, `%`, `+`, `#`, a space or non-ASCII reaches the server intact.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile(r#"JobName=="R&D";Result==Failed"#, &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// assert_eq!(filter.to_query_value(), "JobName%3D%3D%22R%26D%22%3BResult%3D%3DFailed");
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_query_value(&self) -> String {
        crate::quote::encode_query_value(&self.to_em_filter())
    }

    fn program(&self) -> &Program {
        self.program
            .get_or_init(|| Program::new(&self.schema, &self.root, self.options))
    }

    /// Whether `record` matches, with EM's semantics (see [`eval`](crate::eval)). The filter is
    /// compiled on the first call; no call parses or allocates, or panics, whatever the record
    /// holds.
    ///
    /// ```
    /// use emfilter::eval::{Record, Value};
    /// use emfilter::schema::{FieldId, REPLICA_JOB_SESSION as S};
    ///
    /// /// A session from a table of one's own, with its end as 100 ns ticks since 1970.
    /// struct Session { result: &'static str, ended: Option<i64> }
    /// impl Record for Session {
    ///     fn value(&self, field: FieldId) -> Value<'_> {
    ///         match S.field(field).name() {
    ///             "Result" => Value::Text(self.result),
    ///             "EndTime" => self.ended.map_or(Value::Null, Value::DateTime),
    ///             _ => Value::Null,
    ///         }
    ///     }
    /// }
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("Result>=Warning;EndTime<2026-01-01T00:00:00Z", &S)?;
    /// let new_year = 17_672_256_000_000_000;
    /// assert!(filter.matches(&Session { result: "failed", ended: Some(new_year - 1) }));
    /// assert!(!filter.matches(&Session { result: "Success", ended: Some(new_year - 1) }));
    /// // Still running: no end, and no comparison with it holds.
    /// assert!(!filter.matches(&Session { result: "Failed", ended: None }));
    /// # Ok(())
    /// # }
    /// ```
    #[inline]
    pub fn matches<R: Record + ?Sized>(&self, record: &R) -> bool {
        self.program().matches(record)
    }

    /// Whether `record` matches, by the plain walk over the typed tree that defines the
    /// semantics: the same answer as [`matches`](Filter::matches), more slowly (it converts and
    /// folds values afresh on every comparison). For checking an evaluator against.
    ///
    /// ```
    /// use emfilter::eval::EntityFormat;
    /// use emfilter::schema::REPLICA_JOB_SESSION as S;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let format = EntityFormat::for_schema(&S)?;
    /// let filter = emfilter::compile("JobName>=m,Result==None", &S)?;
    /// for json in [&br#"{"JobName":"Nightly"}"#[..], br#"{"JobName":"Alpha","Result":"none"}"#, br#"{"JobName":null}"#] {
    ///     let entity = format.read(json)?;
    ///     assert_eq!(filter.interpret(&entity), filter.matches(&entity));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn interpret<R: Record + ?Sized>(&self, record: &R) -> bool {
        eval::interpret(&self.schema, &self.root, record, self.options)
    }

    /// Whether the filter reads `field`.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION as S;
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("Result==Failed,IsRetry==true", &S)?;
    /// assert!(filter.reads(S.lookup("Result").unwrap()));
    /// assert!(filter.reads(S.lookup("IsRetry").unwrap()));
    /// assert!(!filter.reads(S.lookup("JobName").unwrap()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn reads(&self, field: FieldId) -> bool {
        self.program().reads(field)
    }

    fn entities(&self) -> &Result<Entities, NotEvaluable> {
        self.entities.get_or_init(|| Box::new(self.read_entities()))
    }

    fn read_entities(&self) -> Result<Entities, NotEvaluable> {
        let format = EntityFormat::for_schema(&self.schema)?;
        let program = self.program();
        format.can_evaluate(program)?;
        let needed = eval::mask(program);
        Ok(Entities { format, needed })
    }

    /// How EM's JSON entities of the filter's type are read, if this filter can be evaluated on
    /// them: an error for a type whose entities this build cannot read, or a filter on a field
    /// the entity does not hold (a task session's `JobName`, which the server takes from the
    /// parent job).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let tasks = emfilter::schema::builtin("BackupTaskSession").unwrap();
    /// let on_vm = emfilter::compile("VmDisplayName==srv04", tasks)?;
    /// assert_eq!(on_vm.entity_format()?.collection(), "BackupTaskSessions");
    /// let on_job = emfilter::compile("JobName==nightly", tasks)?;
    /// assert_eq!(on_job.entity_format().unwrap_err().field.as_deref(), Some("JobName"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn entity_format(&self) -> Result<&EntityFormat, NotEvaluable> {
        match self.entities() {
            Ok(e) => Ok(&e.format),
            Err(e) => Err(e.clone()),
        }
    }

    /// Whether the EM entity whose JSON is `json` matches (a leading byte-order mark is fine;
    /// only the fields the filter reads are converted). An error when the filter cannot be
    /// evaluated on its type's entities ([`entity_format`](Filter::entity_format)), or the
    /// entity cannot be read: not JSON, not an object, or a field the filter reads that holds no
    /// value of its type.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile("Result!=Success", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// // A running session: Result None is not Success, and matches.
    /// assert!(filter.matches_json(br#"{"Result":"None"}"#)?);
    /// // No Result at all: neither == nor != holds.
    /// assert!(!filter.matches_json(br#"{"Result":null}"#)?);
    /// assert!(filter.matches_json(br#"{"Result":"#).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn matches_json(&self, json: &[u8]) -> Result<bool, MatchError> {
        let entities = self.entities().as_ref().map_err(|e| e.clone())?;
        let entity = entities.format.read_masked(json, entities.needed)?;
        Ok(self.matches(&entity))
    }
}

impl Clone for Filter {
    fn clone(&self) -> Filter {
        Filter {
            schema: self.schema.clone(),
            root: self.root.clone(),
            options: self.options,
            program: self.program.clone(),
            entities: self.entities.clone(),
        }
    }
}

/// Two filters are equal when they have the same schema, tree and options.
impl PartialEq for Filter {
    fn eq(&self, other: &Filter) -> bool {
        self.schema == other.schema && self.root == other.root && self.options == other.options
    }
}

impl Eq for Filter {}

impl fmt::Debug for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Filter")
            .field("schema", &self.schema.name())
            .field("root", &self.root)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The canonical form (see the README's "The canonical form"): what the filter means, in the
/// schema's spelling, printed one way only.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_canonical(f)
    }
}
