//! The build stage's one error type: what went wrong, at which Dockerfile line (or context path),
//! and what was expected. It does not decide how errors are printed beyond `Display`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// 1-based Dockerfile line, when the error comes from an instruction.
    pub line: Option<usize>,
    /// What the builder was doing or expected.
    pub message: String,
}

impl BuildError {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        BuildError {
            line: Some(line),
            message: message.into(),
        }
    }
    pub fn new(message: impl Into<String>) -> Self {
        BuildError {
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "Dockerfile:{l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for BuildError {}
