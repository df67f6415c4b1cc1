//! The AST's storage, and the one builder both readers feed.
//!
//! Nodes live in one vector and refer to one another by index; the items of every AND and OR are
//! runs of a second vector. Names and values are ranges of the source (or, for a value decoded
//! from `""`, of a side buffer), so building a tree allocates a few buffers, not a node or a
//! string per token.
//!
//! The readers (the hand-written one in `reader.rs` and the grammar's lowering in `lower.rs`)
//! drive the same [`Reading`]: `(`, a comparison, `,`, `)` as they meet them (a `;` needs no
//! call: the items of a conjunction simply follow one another). It keeps explicit stacks, one
//! frame per open parenthesis, so that nothing recurses on the input's nesting, and hands what it
//! reads to a [`Build`]: each comparison as it is read, each group and each AND or OR once its
//! items are, children before parents. [`TreeBuilder`] makes the AST of it (its nodes come out in
//! post-order, the root last); the checker types the filter from the same calls without making
//! a tree.

use std::ops::Range;

use super::{Ast, Comparison, Ident, NodeId, Operator, Quoting, Value};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) span: Span,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// Items `items[run]`.
    Or(Run),
    And(Run),
    Group(NodeId),
    Comparison(ComparisonNode),
}

/// A run of the items vector.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    start: u32,
    end: u32,
}

impl Run {
    pub(super) fn new(range: Range<usize>) -> Run {
        Run {
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    pub(super) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Debug, Clone)]
pub(super) struct ComparisonNode {
    /// The name, whose span is its range of the source (none for a built tree's).
    pub(super) field: Text,
    pub(super) op: Operator,
    pub(super) value: Text,
    pub(super) quoting: Quoting,
    pub(super) value_span: Span,
}

/// A range of the tree's source, or of its own text buffer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Text {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) own: bool,
}

impl Text {
    /// Where the text is in the source: its range, or nowhere (offset 0) for text of the
    /// tree's own.
    pub(super) fn span(self) -> Span {
        if self.own {
            Span::empty(0)
        } else {
            Span {
                start: self.start,
                end: self.end,
            }
        }
    }

    /// The source's bytes `range`.
    pub(super) fn source(range: Range<usize>) -> Text {
        Text {
            start: range.start as u32,
            end: range.end as u32,
            own: false,
        }
    }
}

/// The parts of an [`Ast`] being built.
#[derive(Debug, Default)]
pub(super) struct Tree {
    pub(super) nodes: Vec<Node>,
    pub(super) items: Vec<NodeId>,
    pub(super) texts: String,
}

impl Tree {
    pub(super) fn push(&mut self, kind: Kind, span: Span) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node { kind, span });
        id
    }

    /// `text`, copied into the tree's own buffer.
    pub(super) fn own_text(&mut self, text: &str) -> Text {
        let start = self.texts.len();
        self.texts.push_str(text);
        Text {
            start: start as u32,
            end: self.texts.len() as u32,
            own: true,
        }
    }

    pub(super) fn into_ast(self, source: String, root: NodeId) -> Ast {
        Ast {
            source,
            nodes: self.nodes,
            items: self.items,
            texts: self.texts,
            root,
        }
    }
}

/// One level of parentheses being read: where its OR items start on the stack of pending items,
/// where the conjunction being read starts, and where its `(` is.
#[derive(Debug, Clone, Copy)]
struct Frame {
    ors: usize,
    ands: usize,
    open: Span,
}

/// An item read but not yet joined into its AND or OR, with its span and whether it is an AND
/// (which the checker wants to know of an OR's items).
#[derive(Debug)]
pub(crate) struct Pending<T> {
    pub(crate) item: T,
    pub(crate) span: Span,
    pub(crate) and: bool,
}

/// What a reading makes of what it reads.
pub(crate) trait Build {
    /// What an item becomes.
    type Item;

    /// A comparison, read from `source`. `in_source` is the range of the source that the value's
    /// text is, unless it was decoded (from `""`).
    fn comparison(
        &mut self,
        source: &str,
        c: &Comparison<'_>,
        in_source: Option<Range<usize>>,
    ) -> Self::Item;

    /// A group around `inner`, at `span` (its parentheses included).
    fn group(&mut self, inner: Self::Item, span: Span) -> Self::Item;

    /// Two or more `items` joined by AND (`and`) or OR, at `span`.
    fn junction(
        &mut self,
        source: &str,
        items: std::vec::Drain<'_, Pending<Self::Item>>,
        and: bool,
        span: Span,
    ) -> Self::Item;

    /// A problem the reader found on the way (an operator of another language, say).
    fn diagnostic(&mut self, d: Diagnostic);

    /// An empty stack of pending items to use (one kept from an earlier reading, say).
    fn stack(&mut self) -> Vec<Pending<Self::Item>> {
        Vec::new()
    }

    /// The stack, emptied, once the reading is done with it.
    fn give_back(&mut self, stack: Vec<Pending<Self::Item>>) {
        drop(stack);
    }
}

/// The most pending items or frames kept for the next reading on the thread; a larger stack (a
/// filter of thousands of comparisons) is freed instead.
pub(crate) const KEEP: usize = 4096;

thread_local! {
    /// The frame stack of the last reading on this thread, empty, to be used again.
    static FRAMES: std::cell::Cell<Vec<Frame>> = const { std::cell::Cell::new(Vec::new()) };
    /// The pending stack of the last tree built on this thread, empty, to be used again.
    static NODES: std::cell::Cell<Vec<Pending<NodeId>>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A value's text as a reader finds it.
pub(super) enum ValueText {
    /// The source's bytes `range`, as they are.
    Source(Range<usize>),
    /// The inside of a quoted value that holds `""`, to be read as `"`: the source's `range`.
    Quoted(Range<usize>),
}

/// A filter being read from text into a [`Build`]. The caller guarantees the order of calls the
/// grammar allows: every item is an optional run of `open`, a `comparison`, an optional run of
/// `close`; items are separated by nothing (`;`) or `or` (`,`); every `close` matches an `open`.
///
/// A reading that is finished gives its stacks back for the next one on the thread; one that is
/// abandoned (the hand-written reader declines a text) frees them.
pub(super) struct Reading<'s, B: Build> {
    source: &'s str,
    build: B,
    /// The items finished but not yet joined: of every open level, its OR items, then the items
    /// of the conjunction being read.
    pending: Vec<Pending<B::Item>>,
    frames: Vec<Frame>,
    /// The whole filter's level.
    top: Frame,
    /// A value decoded from `""`.
    decoded: String,
}

impl<'s, B: Build> Reading<'s, B> {
    pub(super) fn new(source: &'s str, mut build: B) -> Reading<'s, B> {
        let frames = FRAMES.try_with(std::cell::Cell::take).unwrap_or_default();
        Reading {
            source,
            pending: build.stack(),
            build,
            frames,
            top: Frame {
                ors: 0,
                ands: 0,
                open: Span::empty(0),
            },
            decoded: String::new(),
        }
    }

    /// A `(` at `span`.
    pub(super) fn open(&mut self, span: Span) {
        let at = self.pending.len();
        self.frames.push(std::mem::replace(
            &mut self.top,
            Frame {
                ors: at,
                ands: at,
                open: span,
            },
        ));
    }

    /// A comparison: the field at `field`, an operator, a value written with `quoting` at
    /// `value_span` whose text is `text`.
    pub(super) fn comparison(
        &mut self,
        field: Span,
        op: Operator,
        quoting: Quoting,
        value_span: Span,
        text: ValueText,
    ) {
        let source = self.source;
        let (text, in_source) = match text {
            ValueText::Source(range) => (&source[range.clone()], Some(range)),
            ValueText::Quoted(range) => {
                self.decoded.clear();
                for (i, part) in source[range].split("\"\"").enumerate() {
                    if i > 0 {
                        self.decoded.push('"');
                    }
                    self.decoded.push_str(part);
                }
                (self.decoded.as_str(), None)
            }
        };
        let c = Comparison {
            field: Ident {
                name: &source[field.range()],
                span: field,
            },
            op,
            value: Value {
                text,
                quoting,
                span: value_span,
            },
        };
        let item = self.build.comparison(source, &c, in_source);
        self.pending.push(Pending {
            item,
            span: field.to(value_span),
            and: false,
        });
    }

    /// A problem found on the way.
    pub(super) fn diagnostic(&mut self, d: Diagnostic) {
        self.build.diagnostic(d);
    }

    /// A `,`: the conjunction being read ends.
    pub(super) fn or(&mut self) {
        self.end_conjunction();
        self.top.ands = self.pending.len();
    }

    /// A `)` at `span`, closing the last `(`.
    pub(super) fn close(&mut self, span: Span) {
        let inner = self.end_level();
        let frame = self.top;
        self.top = self.frames.pop().expect("a `)` closes a `(`");
        let span = frame.open.to(span);
        let item = self.build.group(inner.item, span);
        self.pending.push(Pending {
            item,
            span,
            and: false,
        });
    }

    /// What the whole filter makes, once its last item is read, and the builder.
    pub(super) fn finish(mut self) -> (B::Item, B) {
        debug_assert!(self.frames.is_empty(), "every `(` is closed");
        let root = self.end_level();
        debug_assert!(self.pending.is_empty());
        let pending = std::mem::take(&mut self.pending);
        self.build.give_back(pending);
        let frames = std::mem::take(&mut self.frames);
        give_back_frames(frames);
        (root.item, self.build)
    }

    /// Joins the items of the conjunction being read into an AND (one item stands alone).
    fn end_conjunction(&mut self) {
        let at = self.top.ands;
        if let Some(and) = self.join(at, true) {
            self.pending.push(and);
        }
    }

    /// Joins the current level's OR items into an OR, and returns the level's expression.
    fn end_level(&mut self) -> Pending<B::Item> {
        self.end_conjunction();
        let at = self.top.ors;
        match self.join(at, false) {
            Some(or) => or,
            None => self.pending.pop().expect("a level holds an item"),
        }
    }

    /// The pending items from `at` on, joined into one AND (`and`) or OR, when there are two or
    /// more; `None` (and the one item left pending) otherwise.
    fn join(&mut self, at: usize, and: bool) -> Option<Pending<B::Item>> {
        let n = self.pending.len() - at;
        debug_assert!(n >= 1, "a conjunction holds an item");
        if n == 1 {
            return None;
        }
        let span = self.pending[at]
            .span
            .to(self.pending[self.pending.len() - 1].span);
        let item = self
            .build
            .junction(self.source, self.pending.drain(at..), and, span);
        Some(Pending { item, span, and })
    }
}

fn give_back_frames(mut frames: Vec<Frame>) {
    if frames.capacity() <= KEEP {
        frames.clear();
        // Not at all while the thread's storage is being torn down.
        let _ = FRAMES.try_with(|f| f.set(frames));
    }
}

/// Builds the AST, and keeps the diagnostics of the reading.
#[derive(Debug)]
pub(super) struct TreeBuilder {
    tree: Tree,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl TreeBuilder {
    /// A builder for a filter `len` bytes long (which sizes the buffers: a node for about every
    /// dozen bytes is what real filters have).
    pub(super) fn new(len: usize) -> TreeBuilder {
        TreeBuilder {
            tree: Tree {
                nodes: Vec::with_capacity(len / 12 + 4),
                // Made at the first AND or OR: a filter of one comparison has none.
                items: Vec::new(),
                texts: String::new(),
            },
            diagnostics: Vec::new(),
        }
    }

    /// The tree of `source` whose root is `root`.
    pub(super) fn into_ast(self, source: &str, root: NodeId) -> Ast {
        self.tree.into_ast(source.to_owned(), root)
    }
}

impl Build for TreeBuilder {
    type Item = NodeId;

    fn comparison(
        &mut self,
        _source: &str,
        c: &Comparison<'_>,
        in_source: Option<Range<usize>>,
    ) -> NodeId {
        let value = match in_source {
            Some(range) => Text::source(range),
            None => self.tree.own_text(c.value.text),
        };
        let node = ComparisonNode {
            field: Text::source(c.field.span.range()),
            op: c.op,
            value,
            quoting: c.value.quoting,
            value_span: c.value.span,
        };
        self.tree
            .push(Kind::Comparison(node), c.field.span.to(c.value.span))
    }

    fn group(&mut self, inner: NodeId, span: Span) -> NodeId {
        self.tree.push(Kind::Group(inner), span)
    }

    fn junction(
        &mut self,
        _source: &str,
        items: std::vec::Drain<'_, Pending<NodeId>>,
        and: bool,
        span: Span,
    ) -> NodeId {
        let ids = &mut self.tree.items;
        if ids.capacity() == 0 {
            ids.reserve(self.tree.nodes.capacity());
        }
        let start = ids.len();
        ids.extend(items.map(|p| p.item));
        let run = Run::new(start..ids.len());
        let kind = if and { Kind::And(run) } else { Kind::Or(run) };
        self.tree.push(kind, span)
    }

    fn diagnostic(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn stack(&mut self) -> Vec<Pending<NodeId>> {
        NODES.try_with(std::cell::Cell::take).unwrap_or_default()
    }

    fn give_back(&mut self, mut stack: Vec<Pending<NodeId>>) {
        if stack.capacity() <= KEEP {
            stack.clear();
            let _ = NODES.try_with(|s| s.set(stack));
        }
    }
}
