//! Ingresses whose ingress-nginx access controls Gateway API cannot carry: `lsc convert`
//! refuses them until `--allow-unprotected` accepts the loss, so CI sees them first.

use super::{Finding, rules};
use crate::model::{Object, SourceKind};

pub fn protections(objects: &[Object]) -> Vec<Finding> {
    objects
        .iter()
        .filter(|o| o.kind == SourceKind::Ingress)
        .flat_map(|ingress| {
            let me = ingress.reference();
            crate::convert::security::protections(&ingress.meta.annotations)
                .into_iter()
                .map(move |(message, line)| {
                    Finding::new(
                        rules::INGRESS_PROTECTION,
                        Some(ingress.location.at_line(line)),
                        Some(&me),
                        message,
                    )
                })
        })
        .collect()
}
