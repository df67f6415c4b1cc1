//! Stage 1: text → AST.
//!
//! [`parse`] reads a filter into an [`Ast`]. Two readers stand behind it, held to the same answer:
//!
//! - the **grammar**, `grammar/filter.pest`: the one normative definition of the syntax. A linear
//!   pre-scan (`scan`: limits, parentheses, quotes), then pest, then lowering into the AST. It
//!   reads every input and says in words what is wrong with one that does not parse
//!   ([`parse_with_grammar`]).
//! - a **hand-written reader** for the filters that parse without a diagnostic, which is what
//!   almost every filter is ([`parse_fast`]). It reads the bytes once, left to right, and declines
//!   anything else: a syntax error, an operator of another language, a filter over the limits.
//!
//! [`parse`] tries the reader first and, when it declines, runs the grammar. The fuzz target
//! `differential` and the tests hold the two to the same answer on every input: the reader gives
//! a tree exactly when the grammar gives one without a diagnostic, and then the same tree with
//! the same spans.
//!
//! The AST is the faithful syntax: every node has its byte span, explicit parentheses stay
//! explicit, the value's quoting is remembered, and AND/OR are n-ary. Its nodes live in one
//! arena and its names and values are slices of its own copy of the text (a value is decoded
//! into a side buffer only when it holds `""`), so a parse allocates a few buffers however many
//! nodes it has. It prints back with [`std::fmt::Display`] (see `print`).

mod lower;
mod parser;
mod print;
mod reader;
mod scan;
mod tree;

use std::fmt;

pub use crate::op::CompareOp;

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub use scan::Limits;

use tree::{Kind, Node, Text, TreeBuilder};

pub(crate) use tree::{Build, Pending, KEEP};

/// A parsed filter: the text it came from and its tree.
///
/// ```
/// use emfilter::syntax::{self, ExprKind};
///
/// let ast = syntax::parse("Result==Failed;(JobName==\"SQL Replica\",IsRetry==True)").ast.unwrap();
/// let ExprKind::And(items) = ast.root().kind() else { unreachable!() };
/// assert_eq!(items.len(), 2);
/// let group = items.get(1).unwrap();
/// assert_eq!(&ast.source()[group.span().range()], "(JobName==\"SQL Replica\",IsRetry==True)");
/// let names: Vec<&str> = ast.comparisons().map(|c| c.field.name).collect();
/// assert_eq!(names, ["Result", "JobName", "IsRetry"]);
/// ```
#[derive(Clone)]
pub struct Ast {
    /// The text the spans point into (empty for a tree made with a [`Builder`]).
    source: String,
    /// Every node; a parsed tree's are in post-order (children before parents, the root last).
    nodes: Vec<Node>,
    /// The items of every AND and OR, each node's a contiguous run.
    items: Vec<NodeId>,
    /// Text that is not a slice of `source`: values decoded from `""`, names of a built tree.
    texts: String,
    root: NodeId,
}

/// A node of an [`Ast`], as made by a [`Builder`] (or read off a parsed tree with
/// [`Expr::id`]).
///
/// ```
/// use emfilter::syntax::{self, Builder, CompareOp, Quoting};
///
/// let mut b = Builder::new();
/// let id = b.comparison("Result", CompareOp::Eq, "Failed", Quoting::Unquoted);
/// let ast = b.finish(id);
/// assert_eq!(ast.root().id(), id);
/// assert_eq!(ast.expr(id).to_string(), "Result==Failed");
///
/// let parsed = syntax::parse("(Result==Failed)").ast.unwrap();
/// let inner = parsed.root().children().next().unwrap();
/// assert_eq!(parsed.expr(inner.id()).to_string(), "Result==Failed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(u32);

impl NodeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// A node of the AST, seen through its tree: cheap to copy.
///
/// ```
/// use emfilter::syntax::{self, ExprKind};
///
/// let ast = syntax::parse(" ((Result==Failed)) ").ast.unwrap();
/// let root = ast.root();
/// assert!(matches!(root.kind(), ExprKind::Group(_)));
/// assert_eq!(root.span().range(), 1..19, "without the surrounding spaces");
/// assert_eq!(root.to_string(), "((Result==Failed))");
/// let inner = root.ungrouped();
/// assert!(matches!(inner.kind(), ExprKind::Comparison(_)));
/// assert_eq!(&ast.source()[inner.span().range()], "Result==Failed");
/// ```
#[derive(Clone, Copy)]
pub struct Expr<'a> {
    ast: &'a Ast,
    id: NodeId,
}

/// What an AST node is.
///
/// ```
/// use emfilter::syntax::{self, ExprKind};
///
/// let ast = syntax::parse("Result==Failed,(State==Stopped;IsRetry==True)").ast.unwrap();
/// let ExprKind::Or(items) = ast.root().kind() else { unreachable!() };
/// let kinds: Vec<&str> = items
///     .map(|e| match e.kind() {
///         ExprKind::Comparison(_) => "comparison",
///         ExprKind::Group(_) => "group",
///         ExprKind::And(_) => "and",
///         ExprKind::Or(_) => "or",
///     })
///     .collect();
/// assert_eq!(kinds, ["comparison", "group"]);
/// ```
#[derive(Debug, Clone, Copy)]
pub enum ExprKind<'a> {
    /// Two or more terms joined by `,` (OR).
    Or(Items<'a>),
    /// Two or more terms joined by `;` (AND).
    And(Items<'a>),
    /// An explicit `( … )`.
    Group(Expr<'a>),
    /// `Field op Value`.
    Comparison(Comparison<'a>),
}

/// The items of an AND or an OR, in source order: an iterator, and indexable.
///
/// ```
/// use emfilter::syntax;
///
/// let ast = syntax::parse("A==1;B==2;C==3").ast.unwrap();
/// let items = ast.root().children();
/// assert_eq!(items.len(), 3);
/// assert_eq!(items.get(2).unwrap().to_string(), "C==3");
/// let backwards: Vec<String> = items.rev().map(|e| e.to_string()).collect();
/// assert_eq!(backwards, ["C==3", "B==2", "A==1"]);
/// ```
#[derive(Clone, Copy)]
pub struct Items<'a> {
    ast: &'a Ast,
    ids: &'a [NodeId],
}

/// One comparison, `Field op Value`, as written.
///
/// ```
/// use emfilter::syntax::{self, CompareOp, Quoting};
///
/// let ast = syntax::parse(r#"jobname>="SQL ""Prod""""#).ast.unwrap();
/// let c = ast.comparisons().next().unwrap();
/// assert_eq!(c.field.name, "jobname", "as written; the checker resolves names");
/// assert_eq!(c.op.op, CompareOp::Ge);
/// assert_eq!(c.value.text, r#"SQL "Prod""#);
/// assert_eq!(c.value.quoting, Quoting::Quoted);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison<'a> {
    /// The field name as written.
    pub field: Ident<'a>,
    /// The operator.
    pub op: Operator,
    /// The value.
    pub value: Value<'a>,
}

/// A field name as written.
///
/// ```
/// use emfilter::syntax;
///
/// let ast = syntax::parse("Result==Failed; JobType==Replica").ast.unwrap();
/// let field = ast.comparisons().nth(1).unwrap().field;
/// assert_eq!(field.name, "JobType");
/// assert_eq!(field.span.range(), 16..23);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ident<'a> {
    /// The name as written.
    pub name: &'a str,
    /// Where.
    pub span: Span,
}

/// An operator in the source.
///
/// ```
/// use emfilter::syntax::{self, CompareOp};
///
/// // `=` is not an EM operator: read as the `==` it stands for, with a diagnostic.
/// let parsed = syntax::parse("Result=Failed");
/// let ast = parsed.ast.unwrap();
/// let op = ast.comparisons().next().unwrap().op;
/// assert_eq!((op.op, op.foreign, op.span.range()), (CompareOp::Eq, true, 6..7));
/// assert_eq!(parsed.diagnostics[0].code().as_str(), "syntax");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// The operator meant. For a foreign spelling (`=`, `<>`, `=gt=`, …) this is the operator
    /// that the `syntax` diagnostic suggests.
    pub op: CompareOp,
    /// Whether the source wrote it in a spelling the language does not have.
    pub foreign: bool,
    /// Where.
    pub span: Span,
}

/// How a value was written.
///
/// ```
/// use emfilter::syntax::{self, Quoting};
///
/// let ast = syntax::parse(r#"A==Success;B=="File server";C==""Backup"""#).ast.unwrap();
/// let values: Vec<(&str, Quoting)> =
///     ast.comparisons().map(|c| (c.value.text, c.value.quoting)).collect();
/// assert_eq!(
///     values,
///     [
///         ("Success", Quoting::Unquoted),
///         ("File server", Quoting::Quoted),
///         ("\"Backup\"", Quoting::Doubled),
///     ]
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quoting {
    /// `Success`
    Unquoted,
    /// `"Fileserver Backup"`, a `"` inside written `""`.
    Quoted,
    /// `""Backup""`: EM's documented form for a value holding quotes (the value is `"Backup"`).
    Doubled,
}

/// A value as written.
///
/// ```
/// use emfilter::syntax;
///
/// let ast = syntax::parse(r#"JobName=="A ""quoted"" name""#).ast.unwrap();
/// let value = ast.comparisons().next().unwrap().value;
/// assert_eq!(value.text, r#"A "quoted" name"#);
/// assert_eq!(&ast.source()[value.span.range()], r#""A ""quoted"" name""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Value<'a> {
    /// The value's text with quoting removed and `""` read as `"`.
    pub text: &'a str,
    /// How it was quoted.
    pub quoting: Quoting,
    /// The whole token, quotes included.
    pub span: Span,
}

/// The result of [`parse`]: an AST when the text parses, and the diagnostics found on the way.
///
/// A filter can parse and still carry `syntax` errors: an operator from another language (`=`,
/// `<>`, `=gt=`) is read as the operator it stands for, so that the checker can go on and report
/// every other problem too.
///
/// ```
/// use emfilter::syntax;
///
/// let parsed = syntax::parse("Result<>Failed");
/// assert!(parsed.ast.is_some(), "read as `!=`");
/// assert_eq!(parsed.diagnostics.len(), 1);
///
/// let broken = syntax::parse("(Result==Failed");
/// assert!(broken.ast.is_none());
/// assert!(broken.diagnostics[0].message().contains("never closed"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The AST, unless the text could not be read at all.
    pub ast: Option<Ast>,
    /// Problems found while parsing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `source` with the default [`Limits`].
///
/// ```
/// let parsed = emfilter::parse(r#"BackupServerName=="srv02";Result==Success"#);
/// assert!(parsed.diagnostics.is_empty());
/// assert_eq!(parsed.ast.unwrap().comparisons().count(), 2);
/// ```
pub fn parse(source: &str) -> Parsed {
    parse_with(source, &Limits::default())
}

/// Parses `source` under `limits`: the hand-written reader when it reads the filter, the grammar
/// otherwise. The answer is [`parse_with_grammar`]'s, faster.
///
/// ```
/// use emfilter::syntax::{self, Limits};
///
/// let tight = Limits::new(32, 2);
/// assert!(syntax::parse_with("((Result==Failed))", &tight).ast.is_some());
/// let deep = syntax::parse_with("(((Result==Failed)))", &tight);
/// assert!(deep.ast.is_none());
/// assert_eq!(deep.diagnostics[0].code().as_str(), "nesting-too-deep");
/// ```
pub fn parse_with(source: &str, limits: &Limits) -> Parsed {
    match parse_fast(source, limits) {
        Some(ast) => Parsed {
            ast: Some(ast),
            diagnostics: Vec::new(),
        },
        None => parse_with_grammar(source, limits),
    }
}

/// Parses `source` under `limits` with the grammar alone (`grammar/filter.pest`, after the
/// pre-scan), never the hand-written reader: the reference [`parse_with`] is held to. Slower.
///
/// ```
/// use emfilter::syntax::{self, Limits};
///
/// let text = r#"JobName=="SQL ""Prod""";Result>=Warning"#;
/// assert_eq!(syntax::parse_with_grammar(text, &Limits::default()), syntax::parse(text));
/// ```
pub fn parse_with_grammar(source: &str, limits: &Limits) -> Parsed {
    let (root, mut tree) = read_with_grammar(source, limits, TreeBuilder::new(source.len()));
    let diagnostics = std::mem::take(&mut tree.diagnostics);
    Parsed {
        ast: root.map(|root| tree.into_ast(source, root)),
        diagnostics,
    }
}

/// The hand-written reader alone: the tree of a filter that parses under `limits` without a
/// diagnostic, and `None` for any other text (which [`parse_with_grammar`] then explains).
///
/// ```
/// use emfilter::syntax::{self, Limits};
///
/// let limits = Limits::default();
/// assert!(syntax::parse_fast("Result==Failed", &limits).is_some());
/// assert!(syntax::parse_fast("Result=Failed", &limits).is_none(), "a foreign operator");
/// assert!(syntax::parse_fast("(Result==Failed", &limits).is_none(), "not closed");
/// ```
pub fn parse_fast(source: &str, limits: &Limits) -> Option<Ast> {
    read_fast(source, limits, TreeBuilder::new(source.len()))
        .map(|(root, tree)| tree.into_ast(source, root))
}

/// Reads `source` into `build` with the hand-written reader: `None` when it declines the text.
pub(crate) fn read_fast<B: Build>(source: &str, limits: &Limits, build: B) -> Option<(B::Item, B)> {
    reader::read(source, limits, build)
}

/// Reads `source` into `build` with the grammar (after the pre-scan), handing it what is wrong
/// on the way: what it makes of the whole filter (`None` when the text cannot be read at all),
/// and the builder.
pub(crate) fn read_with_grammar<B: Build>(
    source: &str,
    limits: &Limits,
    mut build: B,
) -> (Option<B::Item>, B) {
    let found = scan::prescan(source, limits);
    let fatal = found.iter().any(Diagnostic::is_error);
    for d in found {
        build.diagnostic(d);
    }
    if fatal {
        return (None, build);
    }
    match parser::parse(source) {
        Ok(pairs) => {
            let (root, build) = lower::lower(source, pairs, build);
            (Some(root), build)
        }
        Err(diagnostic) => {
            build.diagnostic(*diagnostic);
            (None, build)
        }
    }
}

impl Ast {
    /// The text the spans point into: the filter as given (empty for a built tree).
    ///
    /// ```
    /// use emfilter::syntax::{self, Builder, CompareOp, Quoting};
    ///
    /// let ast = syntax::parse("  Result==Failed ").ast.unwrap();
    /// assert_eq!(ast.source(), "  Result==Failed ", "as given, spaces and all");
    /// let mut b = Builder::new();
    /// let id = b.comparison("Result", CompareOp::Eq, "Failed", Quoting::Unquoted);
    /// assert_eq!(b.finish(id).source(), "");
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The whole filter.
    ///
    /// ```
    /// use emfilter::syntax::{self, ExprKind};
    ///
    /// let ast = syntax::parse("Result==Failed;IsRetry==True").ast.unwrap();
    /// let root = ast.root();
    /// assert!(matches!(root.kind(), ExprKind::And(items) if items.len() == 2));
    /// assert_eq!(root.span().range(), 0..28);
    /// ```
    pub fn root(&self) -> Expr<'_> {
        self.expr(self.root)
    }

    /// The node `id` (of the [`Builder`] that made this tree).
    ///
    /// # Panics
    ///
    /// If `id` is not a node of this tree.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let failed = b.comparison("Result", CompareOp::Eq, "Failed", Quoting::Unquoted);
    /// let retry = b.comparison("IsRetry", CompareOp::Eq, "True", Quoting::Unquoted);
    /// let root = b.or(&[failed, retry]);
    /// let ast = b.finish(root);
    /// assert_eq!(ast.expr(retry).to_string(), "IsRetry==True");
    /// assert_eq!(ast.expr(root).to_string(), "Result==Failed,IsRetry==True");
    /// ```
    pub fn expr(&self, id: NodeId) -> Expr<'_> {
        assert!(
            id.index() < self.nodes.len(),
            "{id:?} is not a node of this tree"
        );
        Expr { ast: self, id }
    }

    /// Every comparison of the tree, in source order.
    ///
    /// ```
    /// use emfilter::syntax;
    ///
    /// let ast = syntax::parse("(A==1,B==2);((C==3))").ast.unwrap();
    /// let found: Vec<(&str, &str)> = ast.comparisons().map(|c| (c.field.name, c.value.text)).collect();
    /// assert_eq!(found, [("A", "1"), ("B", "2"), ("C", "3")]);
    /// ```
    pub fn comparisons(&self) -> impl Iterator<Item = Comparison<'_>> + '_ {
        let mut stack = vec![self.root];
        std::iter::from_fn(move || {
            while let Some(id) = stack.pop() {
                match &self.nodes[id.index()].kind {
                    Kind::Comparison(c) => return Some(self.comparison(c)),
                    Kind::Group(inner) => stack.push(*inner),
                    Kind::And(range) | Kind::Or(range) => {
                        stack.extend(self.items[range.range()].iter().rev());
                    }
                }
            }
            None
        })
    }

    fn text(&self, t: Text) -> &str {
        let range = t.start as usize..t.end as usize;
        if t.own {
            &self.texts[range]
        } else {
            &self.source[range]
        }
    }

    fn comparison(&self, c: &tree::ComparisonNode) -> Comparison<'_> {
        Comparison {
            field: Ident {
                name: self.text(c.field),
                span: c.field.span(),
            },
            op: c.op,
            value: Value {
                text: self.text(c.value),
                quoting: c.quoting,
                span: c.value_span,
            },
        }
    }
}

impl<'a> Expr<'a> {
    /// Where the node is, without surrounding whitespace.
    ///
    /// ```
    /// use emfilter::syntax;
    ///
    /// let ast = syntax::parse("Result==Failed; ( IsRetry==True )").ast.unwrap();
    /// let spans: Vec<_> = ast.root().children().map(|e| e.span().range()).collect();
    /// assert_eq!(spans, [0..14, 16..33], "a group's span holds its parentheses");
    /// assert_eq!(&ast.source()[16..33], "( IsRetry==True )");
    /// ```
    pub fn span(self) -> Span {
        self.node().span
    }

    /// What the node is.
    ///
    /// ```
    /// use emfilter::syntax::{self, CompareOp, ExprKind};
    ///
    /// let ast = syntax::parse("(EndTime<2026-01-01)").ast.unwrap();
    /// let ExprKind::Group(inner) = ast.root().kind() else { panic!("a group") };
    /// let ExprKind::Comparison(c) = inner.kind() else { panic!("a comparison") };
    /// assert_eq!((c.field.name, c.op.op, c.value.text), ("EndTime", CompareOp::Lt, "2026-01-01"));
    /// ```
    pub fn kind(self) -> ExprKind<'a> {
        let ast = self.ast;
        match &self.node().kind {
            Kind::Or(range) => ExprKind::Or(Items {
                ast,
                ids: &ast.items[range.range()],
            }),
            Kind::And(range) => ExprKind::And(Items {
                ast,
                ids: &ast.items[range.range()],
            }),
            Kind::Group(inner) => ExprKind::Group(Expr { ast, id: *inner }),
            Kind::Comparison(c) => ExprKind::Comparison(ast.comparison(c)),
        }
    }

    /// The node's id in its tree.
    ///
    /// ```
    /// use emfilter::syntax;
    ///
    /// let ast = syntax::parse("A==1,B==2").ast.unwrap();
    /// let second = ast.root().children().get(1).unwrap();
    /// assert_ne!(second.id(), ast.root().id());
    /// let again = ast.expr(second.id());
    /// assert_eq!((again.to_string(), again.span().range()), ("B==2".to_owned(), 5..9));
    /// ```
    pub fn id(self) -> NodeId {
        self.id
    }

    /// The direct children of this node: the items of an AND or OR, a group's inside.
    ///
    /// ```
    /// use emfilter::syntax;
    ///
    /// let ast = syntax::parse("(A==1;B==2),C==3").ast.unwrap();
    /// assert_eq!(ast.root().children().len(), 2);
    /// // A group has one child, its inside; a comparison has none.
    /// let group = ast.root().children().get(0).unwrap();
    /// let inside: Vec<String> = group.children().map(|e| e.to_string()).collect();
    /// assert_eq!(inside, ["A==1;B==2"]);
    /// assert_eq!(ast.root().children().get(1).unwrap().children().len(), 0);
    /// ```
    pub fn children(self) -> Items<'a> {
        let ast = self.ast;
        match &self.node().kind {
            Kind::Or(range) | Kind::And(range) => Items {
                ast,
                ids: &ast.items[range.range()],
            },
            Kind::Group(inner) => Items {
                ast,
                ids: std::slice::from_ref(inner),
            },
            Kind::Comparison(_) => Items { ast, ids: &[] },
        }
    }

    /// The node with its explicit groups looked through.
    ///
    /// ```
    /// use emfilter::syntax::{self, ExprKind};
    ///
    /// let ast = syntax::parse("((A==1,B==2))").ast.unwrap();
    /// let inner = ast.root().ungrouped();
    /// assert!(matches!(inner.kind(), ExprKind::Or(_)));
    /// assert_eq!(inner.span().range(), 2..11);
    /// // A node that is not a group is itself.
    /// let first = inner.children().get(0).unwrap();
    /// assert_eq!(first.ungrouped().id(), first.id());
    /// ```
    pub fn ungrouped(self) -> Expr<'a> {
        let mut e = self;
        while let Kind::Group(inner) = e.node().kind {
            e = Expr {
                ast: e.ast,
                id: inner,
            };
        }
        e
    }

    fn node(self) -> &'a Node {
        &self.ast.nodes[self.id.index()]
    }
}

impl<'a> Items<'a> {
    /// How many there are.
    ///
    /// ```
    /// use emfilter::syntax::{self, ExprKind};
    ///
    /// let ast = syntax::parse("A==1,B==2,(C==3;D==4)").ast.unwrap();
    /// let ExprKind::Or(items) = ast.root().kind() else { unreachable!() };
    /// assert_eq!(items.len(), 3, "the group is one item");
    /// assert_eq!(ast.comparisons().count(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// use emfilter::syntax;
    ///
    /// let ast = syntax::parse("A==1;B==2").ast.unwrap();
    /// assert!(!ast.root().children().is_empty());
    /// // A comparison has no children.
    /// let first = ast.root().children().get(0).unwrap();
    /// assert!(first.children().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The `i`-th of the items not yet taken by iterating, as [`len`](ExactSizeIterator::len)
    /// counts them (as a slice iterator's `as_slice` does): on a fresh
    /// [`children`](Expr::children), the `i`-th child.
    ///
    /// ```
    /// use emfilter::syntax;
    ///
    /// let ast = syntax::parse("A==1;B==2").ast.unwrap();
    /// let mut items = ast.root().children();
    /// assert_eq!(items.get(1).unwrap().span().range(), 5..9);
    /// assert!(items.get(2).is_none());
    /// // After the first is taken, the second is the first left.
    /// items.next();
    /// assert_eq!(items.get(0).unwrap().span().range(), 5..9);
    /// ```
    pub fn get(&self, i: usize) -> Option<Expr<'a>> {
        self.ids.get(i).map(|&id| Expr { ast: self.ast, id })
    }
}

impl<'a> Iterator for Items<'a> {
    type Item = Expr<'a>;

    fn next(&mut self) -> Option<Expr<'a>> {
        let (&id, rest) = self.ids.split_first()?;
        self.ids = rest;
        Some(Expr { ast: self.ast, id })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.ids.len(), Some(self.ids.len()))
    }
}

impl DoubleEndedIterator for Items<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let (&id, rest) = self.ids.split_last()?;
        self.ids = rest;
        Some(Expr { ast: self.ast, id })
    }
}

impl ExactSizeIterator for Items<'_> {}

/// Two trees are equal when they have the same source text and the same nodes: kinds, spans,
/// names, operators and values (however each tree stores them).
impl PartialEq for Ast {
    fn eq(&self, other: &Ast) -> bool {
        self.source == other.source && self.root() == other.root()
    }
}

impl Eq for Ast {}

/// Two nodes are equal when their subtrees are: the same kinds, spans, names, operators and
/// values, item by item. Compared without recursion.
impl PartialEq for Expr<'_> {
    fn eq(&self, other: &Expr<'_>) -> bool {
        let mut stack = vec![(*self, *other)];
        while let Some((a, b)) = stack.pop() {
            if a.span() != b.span() {
                return false;
            }
            match (a.kind(), b.kind()) {
                (ExprKind::Comparison(x), ExprKind::Comparison(y)) if x == y => {}
                (ExprKind::Group(x), ExprKind::Group(y)) => stack.push((x, y)),
                (ExprKind::And(x), ExprKind::And(y)) | (ExprKind::Or(x), ExprKind::Or(y))
                    if x.len() == y.len() =>
                {
                    stack.extend(x.zip(y));
                }
                _ => return false,
            }
        }
        true
    }
}

impl Eq for Expr<'_> {}

impl fmt::Debug for Ast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ast")
            .field("source", &self.source)
            .field("root", &self.root())
            .finish()
    }
}

/// The node and its subtree, as nested structs (the tree's depth is bounded by the nesting
/// limit for a parsed tree).
impl fmt::Debug for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expr")
            .field("kind", &self.kind())
            .field("span", &self.span())
            .finish()
    }
}

impl fmt::Debug for Items<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

/// Builds an [`Ast`] by hand, bottom-up, for tools and tests that make trees rather than parse
/// them. A built tree has no source text: every span is empty, at offset 0.
///
/// ```
/// use emfilter::syntax::{Builder, CompareOp, Quoting};
///
/// let mut b = Builder::new();
/// let failed = b.comparison("Result", CompareOp::Eq, "Failed", Quoting::Unquoted);
/// let name = b.comparison("JobName", CompareOp::Ne, "SQL \"Prod\"", Quoting::Quoted);
/// let retry = b.comparison("IsRetry", CompareOp::Eq, "True", Quoting::Unquoted);
/// let or = b.or(&[name, retry]);
/// let group = b.group(or);
/// let root = b.and(&[failed, group]);
/// let ast = b.finish(root);
/// assert_eq!(ast.to_string(), r#"Result==Failed;(JobName!="SQL ""Prod""",IsRetry==True)"#);
/// ```
#[derive(Debug, Default)]
pub struct Builder {
    tree: tree::Tree,
}

impl Builder {
    /// An empty builder.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let id = b.comparison("JobName", CompareOp::Eq, "nightly", Quoting::Unquoted);
    /// let ast = b.finish(id);
    /// assert_eq!(ast.to_string(), "JobName==nightly");
    /// assert_eq!(ast.comparisons().count(), 1);
    /// ```
    pub fn new() -> Builder {
        Builder::default()
    }

    /// A comparison of `field` with `value` (its text with quoting removed), written with
    /// `quoting`. For [`Quoting::Doubled`], `value` holds the quotes the doubled form adds
    /// (`"Backup"` prints as `""Backup""`).
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let id = b.comparison("JobName", CompareOp::Ne, "\"Backup\"", Quoting::Doubled);
    /// let ast = b.finish(id);
    /// assert_eq!(ast.to_string(), r#"JobName!=""Backup"""#);
    /// let value = ast.comparisons().next().unwrap().value;
    /// assert_eq!((value.text, value.span.range()), ("\"Backup\"", 0..0), "no source: empty spans");
    /// ```
    pub fn comparison(
        &mut self,
        field: &str,
        op: CompareOp,
        value: &str,
        quoting: Quoting,
    ) -> NodeId {
        let field = self.tree.own_text(field);
        let value = self.tree.own_text(value);
        let at = Span::empty(0);
        self.tree.push(
            Kind::Comparison(tree::ComparisonNode {
                field,
                op: Operator {
                    op,
                    foreign: false,
                    span: at,
                },
                value,
                quoting,
                value_span: at,
            }),
            at,
        )
    }

    /// An explicit group, `( inner )`.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let failed = b.comparison("Result", CompareOp::Eq, "Failed", Quoting::Unquoted);
    /// let once = b.group(failed);
    /// let twice = b.group(once);
    /// let ast = b.finish(twice);
    /// assert_eq!(ast.to_string(), "((Result==Failed))");
    /// assert_eq!(ast.root().ungrouped().id(), failed);
    /// ```
    pub fn group(&mut self, inner: NodeId) -> NodeId {
        self.check(inner);
        self.tree.push(Kind::Group(inner), Span::empty(0))
    }

    /// `items` joined by `;`.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let a = b.comparison("A", CompareOp::Eq, "1", Quoting::Unquoted);
    /// let c = b.comparison("C", CompareOp::Gt, "3", Quoting::Unquoted);
    /// let and = b.and(&[a, c]);
    /// let ast = b.finish(and);
    /// assert_eq!(ast.to_string(), "A==1;C>3");
    /// assert_eq!(ast.root().children().len(), 2);
    /// ```
    ///
    /// One item is that item itself (an AND of one is no AND: `and(&[a])` is `a`).
    ///
    /// # Panics
    ///
    /// If `items` is empty (an AND of nothing is no filter), or one of them is not a node of
    /// this builder.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let a = b.comparison("A", CompareOp::Eq, "1", Quoting::Unquoted);
    /// assert_eq!(b.and(&[a]), a);
    /// ```
    pub fn and(&mut self, items: &[NodeId]) -> NodeId {
        match self.junction(items) {
            Ok(range) => self.tree.push(Kind::And(range), Span::empty(0)),
            Err(one) => one,
        }
    }

    /// `items` joined by `,`.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let a = b.comparison("A", CompareOp::Eq, "1", Quoting::Unquoted);
    /// let c = b.comparison("C", CompareOp::Eq, "3", Quoting::Unquoted);
    /// let or = b.or(&[a, c]);
    /// let z = b.comparison("Z", CompareOp::Eq, "9", Quoting::Unquoted);
    /// // An OR inside an AND is printed in parentheses, as `;` binds tighter than `,`.
    /// let root = b.and(&[or, z]);
    /// assert_eq!(b.finish(root).to_string(), "(A==1,C==3);Z==9");
    /// ```
    ///
    /// One item is that item itself, as for [`Builder::and`].
    ///
    /// # Panics
    ///
    /// If `items` is empty (an OR of nothing is no filter), or one of them is not a node of
    /// this builder.
    pub fn or(&mut self, items: &[NodeId]) -> NodeId {
        match self.junction(items) {
            Ok(range) => self.tree.push(Kind::Or(range), Span::empty(0)),
            Err(one) => one,
        }
    }

    /// The run of `items` for an AND or OR of two or more; `Err` with the item itself for one.
    fn junction(&mut self, items: &[NodeId]) -> Result<tree::Run, NodeId> {
        for &id in items {
            self.check(id);
        }
        match items {
            [] => panic!("an AND or OR needs at least one item"),
            [one] => Err(*one),
            _ => {
                let start = self.tree.items.len();
                self.tree.items.extend_from_slice(items);
                Ok(tree::Run::new(start..self.tree.items.len()))
            }
        }
    }

    fn check(&self, id: NodeId) {
        assert!(
            id.index() < self.tree.nodes.len(),
            "{id:?} is not a node of this builder"
        );
    }

    /// The tree whose root is `root`.
    ///
    /// # Panics
    ///
    /// If `root` is not a node of this builder.
    ///
    /// ```
    /// use emfilter::syntax::{Builder, CompareOp, Quoting};
    ///
    /// let mut b = Builder::new();
    /// let a = b.comparison("A", CompareOp::Eq, "1", Quoting::Unquoted);
    /// let c = b.comparison("C", CompareOp::Eq, "3", Quoting::Unquoted);
    /// let _both = b.and(&[a, c]);
    /// // Any node can be the root; the tree is what it reaches.
    /// let ast = b.finish(c);
    /// assert_eq!(ast.to_string(), "C==3");
    /// assert_eq!(ast.comparisons().count(), 1);
    /// ```
    pub fn finish(self, root: NodeId) -> Ast {
        self.check(root);
        self.tree.into_ast(String::new(), root)
    }
}
