//! The AWS console tab, as plain data: who it is signed in as (`identity`), the session a
//! one-click switch from it starts (`session`), and how long a switched role's session has left
//! (`session_clock`).

pub mod identity;
pub mod session;
pub mod session_clock;
