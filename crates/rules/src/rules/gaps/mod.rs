//! Rules of area `gaps`.
