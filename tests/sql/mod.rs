//! Compiling filters to SQL: the statements each dialect gets, the refusals, and the
//! differential tests against the real engines.

mod data;
mod differential;
mod engines;
mod translate;
