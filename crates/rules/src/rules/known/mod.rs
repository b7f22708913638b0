//! Rules of area `known`.
