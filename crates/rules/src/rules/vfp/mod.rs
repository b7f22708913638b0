//! Rules of area `vfp`.
