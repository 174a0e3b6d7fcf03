//! `common::assert_gateway_api_valid` accepts valid Gateway API objects and refuses ones that
//! break the CRD schema or a CEL rule that `lsc::cel` checks.

mod common;

use common::assert_gateway_api_valid;

const GATEWAY: &str = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
  namespace: infra
spec:
  gatewayClassName: example
  allowedListeners:
    namespaces:
      from: Selector
      selector:
        matchLabels:
          gateway-access: "true"
  listeners:
  - name: placeholder
    port: 80
    protocol: HTTP
    hostname: placeholder.invalid
"#;

const LISTENER_SET: &str = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: web
  namespace: team-a
spec:
  parentRef:
    name: shared
    namespace: infra
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: app.example.com
  - name: https
    port: 443
    protocol: HTTPS
    hostname: app.example.com
    tls:
      mode: Terminate
      certificateRefs:
      - name: app-example-com-tls
"#;

const HTTP_ROUTE: &str = r#"
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: team-a
spec:
  parentRefs:
  - group: gateway.networking.k8s.io
    kind: ListenerSet
    name: web
    sectionName: https
  hostnames:
  - app.example.com
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
    backendRefs:
    - name: api
      port: 8080
"#;

#[test]
fn gateway_with_allowed_listeners_is_valid() {
    assert_eq!(assert_gateway_api_valid(GATEWAY, "gateway"), 1);
}

#[test]
fn listenerset_with_http_and_https_is_valid() {
    assert_eq!(assert_gateway_api_valid(LISTENER_SET, "listenerset"), 1);
}

#[test]
fn httproute_to_a_listenerset_section_is_valid() {
    assert_eq!(assert_gateway_api_valid(HTTP_ROUTE, "httproute"), 1);
}

#[test]
fn a_stream_counts_only_gateway_api_kinds() {
    let stream = format!(
        "{GATEWAY}---\n{LISTENER_SET}---\n{HTTP_ROUTE}---\n\
         apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\n\
         metadata: {{name: certs, namespace: certs}}\n\
         spec:\n  from: [{{group: gateway.networking.k8s.io, kind: ListenerSet, namespace: team-a}}]\n\
         \x20 to: [{{group: '', kind: Secret}}]\n\
         ---\napiVersion: v1\nkind: Service\nmetadata: {{name: api}}\n"
    );
    assert_eq!(assert_gateway_api_valid(&stream, "stream"), 4);
}

#[test]
#[should_panic(expected = "Listener name must be unique within the Gateway")]
fn duplicate_listener_names_are_refused() {
    let duplicate = LISTENER_SET.replace("name: https", "name: http");
    assert_gateway_api_valid(&duplicate, "duplicate listener names");
}

#[test]
#[should_panic(expected = "must not contain '//'")]
fn double_slash_path_is_refused() {
    let route = HTTP_ROUTE.replace("value: /api", "value: //x");
    assert_gateway_api_valid(&route, "double slash");
}

#[test]
#[should_panic(expected = "is not valid")]
fn schema_errors_are_refused() {
    let route = HTTP_ROUTE.replace("port: 8080", "port: 70000");
    assert_gateway_api_valid(&route, "port out of range");
}

#[test]
#[should_panic(expected = "no schema")]
fn unknown_api_versions_are_refused() {
    let gateway = GATEWAY.replace(
        "gateway.networking.k8s.io/v1\n",
        "gateway.networking.k8s.io/v1beta2\n",
    );
    assert_gateway_api_valid(&gateway, "old version");
}
