//! What the input itself allows: a paste or file in which nothing diagnosable was recognised.

pub mod input_not_recognised;
