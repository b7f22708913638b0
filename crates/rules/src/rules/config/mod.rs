//! Rules of area `config`.
