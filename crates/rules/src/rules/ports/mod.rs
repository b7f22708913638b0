//! Rules of area `ports`.
