//! The same object defined more than once in the inputs (a docs repository keeping
//! `ingress-tls.yaml` beside `ingress-tls-final.yaml`): as with `kubectl apply -f dir/`, the
//! last definition in input order wins, and each one it replaces is reported where the later
//! one is. Every command applies this after all its inputs are read, to the objects it reads.

use crate::diag::{Diagnostic, Location, ObjectRef};

/// What names an object in a cluster: API group, kind, namespace (after the default namespace
/// is applied; empty for cluster-scoped kinds) and name. The version is not part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identity<'a> {
    pub group: &'a str,
    pub kind: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
}

impl<'a> Identity<'a> {
    /// The identity of an object as written: the group is read from `api_version`, and the
    /// `extensions` Ingress is the `networking.k8s.io` one (the API server serves one object
    /// under both groups).
    pub fn new(api_version: &'a str, kind: &'a str, namespace: &'a str, name: &'a str) -> Self {
        let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
        let group = match (group, kind) {
            ("extensions", "Ingress") => "networking.k8s.io",
            _ => group,
        };
        Identity {
            group,
            kind,
            namespace,
            name,
        }
    }

    fn reference(&self) -> ObjectRef {
        ObjectRef {
            kind: self.kind.to_string(),
            namespace: self.namespace.to_string(),
            name: self.name.to_string(),
        }
    }
}

/// One definition of an object: what it is and the document it is in.
#[derive(Debug, Clone, Copy)]
pub struct Definition<'a> {
    pub identity: Identity<'a>,
    pub location: &'a Location,
}

/// What a command keeps of its inputs: each item says which object it defines, if it can be
/// told (an object without a name defines none, and is never replaced).
pub trait Defined {
    fn definition(&self) -> Option<Definition<'_>>;
}

/// The definitions a later one replaces.
#[derive(Debug, Default)]
pub struct Replaced {
    /// Their positions among the definitions, ascending.
    pub positions: Vec<usize>,
    /// One warning for each, at the definition that replaces it.
    pub warnings: Vec<Diagnostic>,
}

/// Finds, among definitions in input order (`None` for an item that defines no object), each
/// one a later definition of the same object replaces. Identical copies are replaced too: each
/// later copy is reported once.
pub fn find<'a>(definitions: impl IntoIterator<Item = Option<Definition<'a>>>) -> Replaced {
    let definitions = definitions.into_iter();
    let mut latest: foldhash::HashMap<Identity<'a>, (usize, &'a Location)> =
        foldhash::HashMap::default();
    latest.reserve(definitions.size_hint().0);
    let mut replaced = Replaced::default();
    for (position, definition) in definitions.enumerate() {
        let Some(Definition { identity, location }) = definition else {
            continue;
        };
        let Some((earlier, earlier_location)) = latest.insert(identity, (position, location))
        else {
            continue;
        };
        replaced.positions.push(earlier);
        replaced
            .warnings
            .push(warning(&identity, location, earlier_location));
    }
    // Each position is pushed once, when its successor comes, which may be out of order.
    replaced.positions.sort_unstable();
    replaced
}

/// The warning at `later` for the definition at `earlier` it replaces.
fn warning(identity: &Identity<'_>, later: &Location, earlier: &Location) -> Diagnostic {
    let at = if earlier.line > 0 {
        format!("{}:{}", earlier.file, earlier.line)
    } else {
        earlier.file.to_string()
    };
    Diagnostic::warning(
        Some(later.clone()),
        format!(
            "defined again; the definition at {at} is replaced by this one (the last definition wins, as with kubectl apply)"
        ),
    )
    .about(&identity.reference())
}

/// Drops every item a later one replaces, keeping the others in order; returns the warnings.
pub fn keep_last<T: Defined>(items: &mut Vec<T>) -> Vec<Diagnostic> {
    let replaced = find(items.iter().map(Defined::definition));
    remove(items, &replaced.positions);
    replaced.warnings
}

/// Drops the items at `positions` (ascending), keeping the others in order.
pub fn remove<T>(items: &mut Vec<T>, positions: &[usize]) {
    if positions.is_empty() {
        return;
    }
    let mut next = positions.iter().peekable();
    let mut position = 0;
    items.retain(|_| {
        let drop = next.next_if_eq(&&position).is_some();
        position += 1;
        !drop
    });
}

#[cfg(test)]
mod tests {
    use super::{Definition, Identity, find, remove};
    use crate::diag::Location;
    use std::sync::Arc;

    fn at(file: &str, line: u32) -> Location {
        Location {
            file: Arc::from(file),
            document: 1,
            line,
        }
    }

    #[test]
    fn the_last_definition_wins_and_each_replaced_one_is_named() {
        let (a, b, c, other) = (
            at("a.yaml", 1),
            at("b.yaml", 3),
            at("c.yaml", 5),
            at("d.yaml", 7),
        );
        let kuard = |api| Identity::new(api, "Ingress", "default", "kuard");
        let definitions = [
            Some(Definition {
                identity: kuard("networking.k8s.io/v1"),
                location: &a,
            }),
            None,
            Some(Definition {
                identity: kuard("extensions/v1beta1"),
                location: &b,
            }),
            Some(Definition {
                identity: Identity::new("networking.k8s.io/v1", "Ingress", "other", "kuard"),
                location: &other,
            }),
            Some(Definition {
                identity: kuard("networking.k8s.io/v1"),
                location: &c,
            }),
        ];
        let replaced = find(definitions);
        assert_eq!(replaced.positions, [0, 2]);
        let warnings: Vec<String> = replaced.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            warnings,
            [
                "warning: b.yaml:3: document 1: Ingress default/kuard: defined again; the definition at a.yaml:1 is replaced by this one (the last definition wins, as with kubectl apply)",
                "warning: c.yaml:5: document 1: Ingress default/kuard: defined again; the definition at b.yaml:3 is replaced by this one (the last definition wins, as with kubectl apply)",
            ]
        );
    }

    #[test]
    fn kinds_and_groups_tell_objects_apart() {
        let l = at("a.yaml", 1);
        let definitions = [
            ("gateway.networking.k8s.io/v1", "ListenerSet"),
            ("gateway.networking.x-k8s.io/v1alpha1", "XListenerSet"),
            ("gateway.networking.k8s.io/v1", "Gateway"),
            ("networking.istio.io/v1", "Gateway"),
        ]
        .map(|(api, kind)| {
            Some(Definition {
                identity: Identity::new(api, kind, "default", "web"),
                location: &l,
            })
        });
        let replaced = find(definitions);
        assert!(replaced.positions.is_empty(), "{:?}", replaced.warnings);
    }

    #[test]
    fn remove_drops_exactly_the_positions() {
        let mut items: Vec<u32> = (0..8).collect();
        remove(&mut items, &[0, 3, 4, 7]);
        assert_eq!(items, [1, 2, 5, 6]);
        remove(&mut items, &[]);
        assert_eq!(items, [1, 2, 5, 6]);
    }
}
