# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_lsc_global_optspecs
    string join \n q/quiet h/help V/version
end

function __fish_lsc_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_lsc_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_lsc_using_subcommand
    set -l cmd (__fish_lsc_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c lsc -n "__fish_lsc_needs_command" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_needs_command" -s V -l version -d 'Print version'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "render" -d 'Print the Certificates cert-manager would create for the inputs'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "convert" -d 'Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "check" -d 'Report what the controllers would reject or silently ignore, with stable codes'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "explain" -d 'Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "diff" -d 'Compare the rendered Certificates with committed or live ones (exit 1 when they differ)'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "fn" -d 'Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "version" -d 'Print the version and git commit, as `--version` does'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "man" -d 'Print the man page (roff) of lsc, or of one subcommand, to stdout'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c lsc -n "__fish_lsc_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c lsc -n "__fish_lsc_using_subcommand render" -s f -l filename -d 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -s o -l output -d 'Output format' -r -f -a "yaml\t'kubectl-style YAML documents separated by `---`'
json\t'a `v1` `List`, as `kubectl get -o json` prints'"
complete -c lsc -n "__fish_lsc_using_subcommand render" -s n -l namespace -d 'Namespace of objects that set none, as `kubectl apply -n` would give them' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l controller-config -d 'Read these settings from cert-manager\'s ControllerConfiguration file; flags override it' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l cert-manager-version -d 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l default-issuer-name -d 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l default-issuer-kind -d 'Starting issuerRef.kind for every object [default: Issuer]' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l default-issuer-group -d 'Starting issuerRef.group for every object [default: cert-manager.io]' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l auto-certificate-annotations -d 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l extra-certificate-annotations -d 'Annotation keys copied from the object to its Certificates' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l gateway-api-extra-protocols -d 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l enable-gateway-api -d 'Render Gateways (and ListenerSets) [default: true in lsc]' -r -f -a "true\t''
false\t''"
complete -c lsc -n "__fish_lsc_using_subcommand render" -l enable-gateway-api-listenerset -d 'Render ListenerSets and XListenerSets [default: true in lsc]' -r -f -a "true\t''
false\t''"
complete -c lsc -n "__fish_lsc_using_subcommand render" -l feature-gates -d 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l color -d 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lsc -n "__fish_lsc_using_subcommand render" -s j -l jobs -d 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l exclude -d 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l max-input-bytes -d 'Largest input file (or stdin), in bytes' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l max-document-bytes -d 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l max-depth -d 'Deepest nesting of mappings and lists in a document (at most 100000)' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l max-documents -d 'Most documents in one input, `kind: List` items and a ResourceList\'s items included' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l max-alias-nodes -l max-alias-expansions -d 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)' -r
complete -c lsc -n "__fish_lsc_using_subcommand render" -l all -d 'Print every input document unchanged, then the Certificates (transformer mode)'
complete -c lsc -n "__fish_lsc_using_subcommand render" -l explain -d 'Explain on stderr which object, listeners and annotations decided each Certificate'
complete -c lsc -n "__fish_lsc_using_subcommand render" -l helm-post-renderer -d 'Given by the helm post-renderer plugin (examples/helm/plugin): warn once when objects set no namespace, which helm does not pass on'
complete -c lsc -n "__fish_lsc_using_subcommand render" -l follow -d 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
complete -c lsc -n "__fish_lsc_using_subcommand render" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_using_subcommand convert" -s f -l filename -d 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -s o -l output -d 'Output format' -r -f -a "yaml\t'kubectl-style YAML documents separated by `---`'
json\t'a `v1` `List`, as `kubectl get -o json` prints'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l out -d 'Write one file per object, DIR/<namespace>/<kind>-<name>.yaml, instead of printing' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l tls-in -d 'Where listeners, TLS and cert-manager annotations go' -r -f -a "listenerset\t'one ListenerSet per Ingress (developers keep their TLS)'
gateway\t'ingress2gateway\'s layout: everything on the Gateway'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l gateway -d 'One shared, operator-owned Gateway for every Ingress instead of one per namespace and class' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l gateway-class -d 'gatewayClassName of the Gateways [default: the ingress class]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l allowed-listeners -d 'Which namespaces\' ListenerSets the Gateway accepts [default: Same, All with --gateway]' -r -f -a "Same\t'ListenerSets in the Gateway\'s namespace'
All\t'ListenerSets in any namespace'
Selector\t'ListenerSets in the namespaces of the converted Ingresses (a label selector)'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l listenerset-api -d 'Which ListenerSet API to write [default: v1; v1alpha1 with --gateway-api-version 1.4]' -r -f -a "v1\t'gateway.networking.k8s.io/v1 ListenerSet (Gateway API v1.5 and later)'
v1alpha1\t'gateway.networking.x-k8s.io/v1alpha1 XListenerSet (Gateway API v1.3 and v1.4)'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l gateway-api-version -d 'The Gateway API release of the cluster: only what its CRDs serve and accept is written [default: 1.6; 1.4 with --listenerset-api v1alpha1]' -r -f -a "1.4\t'v1.4.1 (XListenerSet, experimental)'
1.5\t'v1.5.1 (ListenerSet v1)'
1.6\t'v1.6.1'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l ingress-class -d 'Convert only Ingresses of these classes (comma-separated or repeated) [default: all, one Gateway per class]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l default-ingress-class -d 'Class of Ingresses that name none, as the cluster\'s default IngressClass gives them [default: the IngressClass in the inputs annotated ingressclass.kubernetes.io/is-default-class]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l allow-unprotected -d 'Accept losing access controls (ingress-nginx\'s IP allow/deny lists, authentication, client certificates, WAF, rate limits; another controller\'s auth, middleware or plugin annotations) on this host, or on every host with `all` (comma-separated or repeated); without it convert refuses such Ingresses' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l provider -d 'The Ingress controller(s) serving the Ingresses, whose annotations apply (comma-separated or repeated) [default: told per Ingress from its IngressClass, class name and annotations, else ingress-nginx]' -r -f -a "ingress-nginx\t'kubernetes/ingress-nginx (`nginx.ingress.kubernetes.io/*`)'
nginx\t'F5 NGINX Ingress Controller (`nginx.org/*`)'
traefik\t'Traefik (`traefik.ingress.kubernetes.io/*`)'
kong\t'Kong Ingress Controller (`konghq.com/*`)'
cilium\t'Cilium (`ingress.cilium.io/*`)'
apisix\t'Apache APISIX (`k8s.apisix.apache.org/*`)'
gce\t'GKE Ingress (`networking.gke.io/*`)'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l emitter -d 'The Gateway API implementation to write for: `standard` writes Gateway API only; an implementation\'s emitter adds its own policy objects for what Gateway API cannot say (and sets its GatewayClass, `eg` for envoy-gateway, unless --gateway-class is given)' -r -f -a "standard\t'Standard Gateway API only'
envoy-gateway\t'Envoy Gateway: SecurityPolicy, BackendTrafficPolicy and ClientTrafficPolicy (`gateway.envoyproxy.io/v1alpha1`)'
nginx-gateway-fabric\t'NGINX Gateway Fabric: AuthenticationFilter, SnippetsFilter, ClientSettingsPolicy, RateLimitPolicy and UpstreamSettingsPolicy (`gateway.nginx.org/v1alpha1`)'
kgateway\t'kgateway: TrafficPolicy and GatewayExtension (`gateway.kgateway.dev/v1alpha1`)'
agentgateway\t'agentgateway: AgentgatewayPolicy (`agentgateway.dev/v1alpha1`)'
gke\t'GKE\'s Gateway: GCPBackendPolicy (`networking.gke.io/v1`)'"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -s n -l namespace -d 'Namespace of objects that set none, as `kubectl apply -n` would give them' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l controller-config -d 'Read these settings from cert-manager\'s ControllerConfiguration file; flags override it' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l cert-manager-version -d 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l default-issuer-name -d 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l default-issuer-kind -d 'Starting issuerRef.kind for every object [default: Issuer]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l default-issuer-group -d 'Starting issuerRef.group for every object [default: cert-manager.io]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l auto-certificate-annotations -d 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l extra-certificate-annotations -d 'Annotation keys copied from the object to its Certificates' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l color -d 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lsc -n "__fish_lsc_using_subcommand convert" -s j -l jobs -d 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l exclude -d 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l max-input-bytes -d 'Largest input file (or stdin), in bytes' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l max-document-bytes -d 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l max-depth -d 'Deepest nesting of mappings and lists in a document (at most 100000)' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l max-documents -d 'Most documents in one input, `kind: List` items and a ResourceList\'s items included' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l max-alias-nodes -l max-alias-expansions -d 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)' -r
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l force -d 'Overwrite existing files under --out'
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l prune -d 'Remove the files under --out that an earlier run wrote (marked by their first line) and this one does not'
complete -c lsc -n "__fish_lsc_using_subcommand convert" -l follow -d 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
complete -c lsc -n "__fish_lsc_using_subcommand convert" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand convert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_using_subcommand check" -s f -l filename -d 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -s o -l format -d 'Output format' -r -f -a "human\t'for people: the source line and a caret, colored on a terminal'
json\t'one JSON array of findings'
github\t'GitHub Actions workflow commands (annotations on the pull request)'
sarif\t'SARIF 2.1.0 (code scanning)'"
complete -c lsc -n "__fish_lsc_using_subcommand check" -l deny -d 'Make warnings fail the check as well' -r -f -a "warnings\t'warnings fail the check too (exit 1)'"
complete -c lsc -n "__fish_lsc_using_subcommand check" -s n -l namespace -d 'Namespace of objects that set none, as `kubectl apply -n` would give them' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l upgrade-to -d 'Also report (LSC701) the Certificates that change when cert-manager moves from --cert-manager-version to this release' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l gateway-api-version -d 'The Gateway API release of the cluster: objects of kinds it does not serve are reported too (LSC204) [default: 1.6]' -r -f -a "1.4\t'v1.4.1 (XListenerSet, experimental)'
1.5\t'v1.5.1 (ListenerSet v1)'
1.6\t'v1.6.1'"
complete -c lsc -n "__fish_lsc_using_subcommand check" -l controller-config -d 'Read these settings from cert-manager\'s ControllerConfiguration file; flags override it' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l cert-manager-version -d 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l default-issuer-name -d 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l default-issuer-kind -d 'Starting issuerRef.kind for every object [default: Issuer]' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l default-issuer-group -d 'Starting issuerRef.group for every object [default: cert-manager.io]' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l auto-certificate-annotations -d 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l extra-certificate-annotations -d 'Annotation keys copied from the object to its Certificates' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l gateway-api-extra-protocols -d 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l enable-gateway-api -d 'Render Gateways (and ListenerSets) [default: true in lsc]' -r -f -a "true\t''
false\t''"
complete -c lsc -n "__fish_lsc_using_subcommand check" -l enable-gateway-api-listenerset -d 'Render ListenerSets and XListenerSets [default: true in lsc]' -r -f -a "true\t''
false\t''"
complete -c lsc -n "__fish_lsc_using_subcommand check" -l feature-gates -d 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l color -d 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lsc -n "__fish_lsc_using_subcommand check" -s j -l jobs -d 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l exclude -d 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l max-input-bytes -d 'Largest input file (or stdin), in bytes' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l max-document-bytes -d 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l max-depth -d 'Deepest nesting of mappings and lists in a document (at most 100000)' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l max-documents -d 'Most documents in one input, `kind: List` items and a ResourceList\'s items included' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l max-alias-nodes -l max-alias-expansions -d 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)' -r
complete -c lsc -n "__fish_lsc_using_subcommand check" -l follow -d 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
complete -c lsc -n "__fish_lsc_using_subcommand check" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_using_subcommand explain" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_using_subcommand diff" -s f -l filename -d 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l against -d 'Certificates to compare with: a file, folder or `-` (e.g. `kubectl get certificates -A -o yaml`); repeat for several' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "text\t'unified diffs per Certificate, then `N missing, N extra, N changed, N unchanged`'
json\t'one JSON object: missing, extra, changed (with its diff), unchanged'"
complete -c lsc -n "__fish_lsc_using_subcommand diff" -s n -l namespace -d 'Namespace of objects that set none, as `kubectl apply -n` would give them (both sides)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l controller-config -d 'Read these settings from cert-manager\'s ControllerConfiguration file; flags override it' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l cert-manager-version -d 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l default-issuer-name -d 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l default-issuer-kind -d 'Starting issuerRef.kind for every object [default: Issuer]' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l default-issuer-group -d 'Starting issuerRef.group for every object [default: cert-manager.io]' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l auto-certificate-annotations -d 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l extra-certificate-annotations -d 'Annotation keys copied from the object to its Certificates' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l gateway-api-extra-protocols -d 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l enable-gateway-api -d 'Render Gateways (and ListenerSets) [default: true in lsc]' -r -f -a "true\t''
false\t''"
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l enable-gateway-api-listenerset -d 'Render ListenerSets and XListenerSets [default: true in lsc]' -r -f -a "true\t''
false\t''"
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l feature-gates -d 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l color -d 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lsc -n "__fish_lsc_using_subcommand diff" -s j -l jobs -d 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l exclude -d 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l max-input-bytes -d 'Largest input file (or stdin), in bytes' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l max-document-bytes -d 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l max-depth -d 'Deepest nesting of mappings and lists in a document (at most 100000)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l max-documents -d 'Most documents in one input, `kind: List` items and a ResourceList\'s items included' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l max-alias-nodes -l max-alias-expansions -d 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)' -r
complete -c lsc -n "__fish_lsc_using_subcommand diff" -l follow -d 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
complete -c lsc -n "__fish_lsc_using_subcommand diff" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l max-input-bytes -d 'Largest input file (or stdin), in bytes' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l max-document-bytes -d 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l max-depth -d 'Deepest nesting of mappings and lists in a document (at most 100000)' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l max-documents -d 'Most documents in one input, `kind: List` items and a ResourceList\'s items included' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l max-alias-nodes -l max-alias-expansions -d 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l color -d 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c lsc -n "__fish_lsc_using_subcommand fn" -s j -l jobs -d 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l exclude -d 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too' -r
complete -c lsc -n "__fish_lsc_using_subcommand fn" -l follow -d 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
complete -c lsc -n "__fish_lsc_using_subcommand fn" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand fn" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c lsc -n "__fish_lsc_using_subcommand version" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand version" -s h -l help -d 'Print help'
complete -c lsc -n "__fish_lsc_using_subcommand man" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand man" -s h -l help -d 'Print help'
complete -c lsc -n "__fish_lsc_using_subcommand completions" -s q -l quiet -d 'Print no warnings, notes or summary lines on stderr (errors still)'
complete -c lsc -n "__fish_lsc_using_subcommand completions" -s h -l help -d 'Print help'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "render" -d 'Print the Certificates cert-manager would create for the inputs'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "convert" -d 'Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "check" -d 'Report what the controllers would reject or silently ignore, with stable codes'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "explain" -d 'Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "diff" -d 'Compare the rendered Certificates with committed or live ones (exit 1 when they differ)'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "fn" -d 'Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "version" -d 'Print the version and git commit, as `--version` does'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "man" -d 'Print the man page (roff) of lsc, or of one subcommand, to stdout'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c lsc -n "__fish_lsc_using_subcommand help; and not __fish_seen_subcommand_from render convert check explain diff fn version man completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
