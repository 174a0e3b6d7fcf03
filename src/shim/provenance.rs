//! Annotations with where each one came from: the object itself, or (for a ListenerSet) its
//! parent Gateway. `--explain` and diagnostics use it to say who decided what.

use crate::diag::ObjectRef;
use crate::model::fields::{Located, SortedMap};

/// Who set a value. Borrowed from the objects being rendered: the shim asks for the source
/// of every field it sets, and only `--explain` prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'a> {
    /// A controller flag (or its default).
    Flag(&'static str),
    /// An annotation on an object.
    Annotation {
        key: &'a str,
        object: &'a ObjectRef,
        inherited: bool,
    },
    /// Built by the shim from the object's spec.
    Spec,
}

impl std::fmt::Display for Source<'_> {
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

/// One annotation value and its origin, borrowed from the object that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation<'a> {
    pub value: &'a str,
    /// Line on the object it was read from (the Gateway's for inherited ones).
    pub line: u32,
    pub object: &'a ObjectRef,
    pub inherited: bool,
}

impl<'a> Annotation<'a> {
    pub fn source(&self, key: &'a str) -> Source<'a> {
        Source::Annotation {
            key,
            object: self.object,
            inherited: self.inherited,
        }
    }
}

/// The annotations the shim evaluates for one object: its own, and for a ListenerSet those it
/// inherits from its Gateway. Nothing is copied: every object of a large tree passes here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Annotations<'a> {
    entries: litemap::LiteMap<&'a str, Annotation<'a>>,
}

impl<'a> Annotations<'a> {
    pub fn own(object: &'a ObjectRef, annotations: &'a SortedMap<Located>) -> Self {
        Annotations {
            entries: annotations
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str(),
                        Annotation {
                            value: &v.value,
                            line: v.line,
                            object,
                            inherited: false,
                        },
                    )
                })
                .collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Annotation<'a>> {
        self.entries.get(key)
    }

    pub fn value(&self, key: &str) -> Option<&'a str> {
        self.entries.get(key).map(|a| a.value)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Copies `key` from the parent Gateway, overwriting any own value.
    pub fn inherit(&mut self, key: &'a str, gateway: &'a ObjectRef, from: &'a SortedMap<Located>) {
        if let Some(v) = from.get(key) {
            self.entries.insert(
                key,
                Annotation {
                    value: &v.value,
                    line: v.line,
                    object: gateway,
                    inherited: true,
                },
            );
        }
    }
}
