//! Annotations with where each one came from: the object itself, or (for a ListenerSet) its
//! parent Gateway. `--explain` and diagnostics use it to say who decided what.

use crate::diag::ObjectRef;
use crate::model::fields::{Located, SortedMap};

/// Who set a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A controller flag (or its default).
    Flag(&'static str),
    /// An annotation on an object.
    Annotation {
        key: String,
        object: ObjectRef,
        inherited: bool,
    },
    /// Built by the shim from the object's spec.
    Spec,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "{flag}"),
            Source::Annotation {
                key,
                object,
                inherited,
            } => {
                write!(f, "{key} on {object}")?;
                if *inherited {
                    f.write_str(" (inherited)")?;
                }
                Ok(())
            }
            Source::Spec => f.write_str("the object's spec"),
        }
    }
}

/// One annotation value and its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub value: String,
    /// Line on the object it was read from (the Gateway's for inherited ones).
    pub line: u32,
    pub object: ObjectRef,
    pub inherited: bool,
}

impl Annotation {
    pub fn source(&self, key: &str) -> Source {
        Source::Annotation {
            key: key.to_string(),
            object: self.object.clone(),
            inherited: self.inherited,
        }
    }
}

/// The annotations the shim evaluates for one object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Annotations {
    entries: SortedMap<Annotation>,
}

impl Annotations {
    pub fn own(object: &ObjectRef, annotations: &SortedMap<Located>) -> Self {
        Annotations {
            entries: annotations
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        Annotation {
                            value: v.value.clone(),
                            line: v.line,
                            object: object.clone(),
                            inherited: false,
                        },
                    )
                })
                .collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Annotation> {
        self.entries.get(key)
    }

    pub fn value(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(|a| a.value.as_str())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Copies `key` from the parent Gateway, overwriting any own value.
    pub fn inherit(&mut self, key: &str, gateway: &ObjectRef, from: &SortedMap<Located>) {
        if let Some(v) = from.get(key) {
            self.entries.insert(
                key.to_string(),
                Annotation {
                    value: v.value.clone(),
                    line: v.line,
                    object: gateway.clone(),
                    inherited: true,
                },
            );
        }
    }
}
