//! Cache stampede simulation: a deterministic discrete-event model in virtual time
//! (`model`), and a live driver against a real Redis (`live`).

pub mod live;
pub mod model;
