//! Rules of area `logs`.
