//! One module per subcommand. Each turns its arguments into engine calls and returns a
//! `Report`; none of them prints results itself or speaks the Redis protocol.

pub mod completions;
pub mod demo;
pub mod profile;
