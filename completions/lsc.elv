
use builtin;
use str;

set edit:completion:arg-completer[lsc] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'lsc'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'lsc'= {
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Print the Certificates cert-manager would create for the inputs'
            cand convert 'Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service'
            cand check 'Report what the controllers would reject or silently ignore, with stable codes'
            cand explain 'Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them'
            cand diff 'Compare the rendered Certificates with committed or live ones (exit 1 when they differ)'
            cand fn 'Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout'
            cand version 'Print the version and git commit, as `--version` does'
            cand man 'Print the man page (roff) of lsc, or of one subcommand, to stdout'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lsc;render'= {
            cand -f 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand --filename 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -n 'Namespace of objects that set none, as `kubectl apply -n` would give them'
            cand --namespace 'Namespace of objects that set none, as `kubectl apply -n` would give them'
            cand --controller-config 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it'
            cand --cert-manager-version 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]'
            cand --default-issuer-name 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]'
            cand --default-issuer-kind 'Starting issuerRef.kind for every object [default: Issuer]'
            cand --default-issuer-group 'Starting issuerRef.group for every object [default: cert-manager.io]'
            cand --auto-certificate-annotations 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]'
            cand --extra-certificate-annotations 'Annotation keys copied from the object to its Certificates'
            cand --gateway-api-extra-protocols 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)'
            cand --enable-gateway-api 'Render Gateways (and ListenerSets) [default: true in lsc]'
            cand --enable-gateway-api-listenerset 'Render ListenerSets and XListenerSets [default: true in lsc]'
            cand --feature-gates 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)'
            cand --color 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never'
            cand -j 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --jobs 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --exclude 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too'
            cand --max-input-bytes 'Largest input file (or stdin), in bytes'
            cand --max-document-bytes 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)'
            cand --max-depth 'Deepest nesting of mappings and lists in a document (at most 100000)'
            cand --max-documents 'Most documents in one input, `kind: List` items and a ResourceList''s items included'
            cand --max-alias-nodes 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --max-alias-expansions 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --all 'Print every input document unchanged, then the Certificates (transformer mode)'
            cand --explain 'Explain on stderr which object, listeners and annotations decided each Certificate'
            cand --helm-post-renderer 'Given by the helm post-renderer plugin (examples/helm/plugin): warn once when objects set no namespace, which helm does not pass on'
            cand --follow 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lsc;convert'= {
            cand -f 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand --filename 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --out 'Write one file per object, DIR/<namespace>/<kind>-<name>.yaml, instead of printing'
            cand --tls-in 'Where listeners, TLS and cert-manager annotations go'
            cand --gateway 'One shared, operator-owned Gateway for every Ingress instead of one per namespace and class'
            cand --gateway-class 'gatewayClassName of the Gateways [default: the ingress class]'
            cand --allowed-listeners 'Which namespaces'' ListenerSets the Gateway accepts [default: Same, All with --gateway]'
            cand --listenerset-api 'Which ListenerSet API to write [default: v1; v1alpha1 with --gateway-api-version 1.4]'
            cand --gateway-api-version 'The Gateway API release of the cluster: only what its CRDs serve and accept is written [default: 1.6; 1.4 with --listenerset-api v1alpha1]'
            cand --ingress-class 'Convert only Ingresses of these classes (comma-separated or repeated) [default: all, one Gateway per class]'
            cand --default-ingress-class 'Class of Ingresses that name none, as the cluster''s default IngressClass gives them [default: the IngressClass in the inputs annotated ingressclass.kubernetes.io/is-default-class]'
            cand --allow-unprotected 'Accept losing access controls (ingress-nginx''s IP allow/deny lists, authentication, client certificates, WAF, rate limits; another controller''s auth, middleware or plugin annotations) on this host, or on every host with `all` (comma-separated or repeated); without it convert refuses such Ingresses'
            cand --provider 'The Ingress controller(s) serving the Ingresses, whose annotations apply (comma-separated or repeated) [default: told per Ingress from its IngressClass, class name and annotations, else ingress-nginx]'
            cand --emitter 'The Gateway API implementation to write for: `standard` writes Gateway API only; an implementation''s emitter adds its own policy objects for what Gateway API cannot say (and sets its GatewayClass, `eg` for envoy-gateway, unless --gateway-class is given)'
            cand -n 'Namespace of objects that set none, as `kubectl apply -n` would give them'
            cand --namespace 'Namespace of objects that set none, as `kubectl apply -n` would give them'
            cand --controller-config 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it'
            cand --cert-manager-version 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]'
            cand --default-issuer-name 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]'
            cand --default-issuer-kind 'Starting issuerRef.kind for every object [default: Issuer]'
            cand --default-issuer-group 'Starting issuerRef.group for every object [default: cert-manager.io]'
            cand --auto-certificate-annotations 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]'
            cand --extra-certificate-annotations 'Annotation keys copied from the object to its Certificates'
            cand --color 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never'
            cand -j 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --jobs 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --exclude 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too'
            cand --max-input-bytes 'Largest input file (or stdin), in bytes'
            cand --max-document-bytes 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)'
            cand --max-depth 'Deepest nesting of mappings and lists in a document (at most 100000)'
            cand --max-documents 'Most documents in one input, `kind: List` items and a ResourceList''s items included'
            cand --max-alias-nodes 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --max-alias-expansions 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --force 'Overwrite existing files under --out'
            cand --prune 'Remove the files under --out that an earlier run wrote (marked by their first line) and this one does not'
            cand --follow 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lsc;check'= {
            cand -f 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand --filename 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand -o 'Output format'
            cand --format 'Output format'
            cand --deny 'Make warnings fail the check as well'
            cand -n 'Namespace of objects that set none, as `kubectl apply -n` would give them'
            cand --namespace 'Namespace of objects that set none, as `kubectl apply -n` would give them'
            cand --upgrade-to 'Also report (LSC701) the Certificates that change when cert-manager moves from --cert-manager-version to this release'
            cand --gateway-api-version 'The Gateway API release of the cluster: objects of kinds it does not serve are reported too (LSC204) [default: 1.6]'
            cand --controller-config 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it'
            cand --cert-manager-version 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]'
            cand --default-issuer-name 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]'
            cand --default-issuer-kind 'Starting issuerRef.kind for every object [default: Issuer]'
            cand --default-issuer-group 'Starting issuerRef.group for every object [default: cert-manager.io]'
            cand --auto-certificate-annotations 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]'
            cand --extra-certificate-annotations 'Annotation keys copied from the object to its Certificates'
            cand --gateway-api-extra-protocols 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)'
            cand --enable-gateway-api 'Render Gateways (and ListenerSets) [default: true in lsc]'
            cand --enable-gateway-api-listenerset 'Render ListenerSets and XListenerSets [default: true in lsc]'
            cand --feature-gates 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)'
            cand --color 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never'
            cand -j 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --jobs 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --exclude 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too'
            cand --max-input-bytes 'Largest input file (or stdin), in bytes'
            cand --max-document-bytes 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)'
            cand --max-depth 'Deepest nesting of mappings and lists in a document (at most 100000)'
            cand --max-documents 'Most documents in one input, `kind: List` items and a ResourceList''s items included'
            cand --max-alias-nodes 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --max-alias-expansions 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --follow 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lsc;explain'= {
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lsc;diff'= {
            cand -f 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand --filename 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)'
            cand --against 'Certificates to compare with: a file, folder or `-` (e.g. `kubectl get certificates -A -o yaml`); repeat for several'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -n 'Namespace of objects that set none, as `kubectl apply -n` would give them (both sides)'
            cand --namespace 'Namespace of objects that set none, as `kubectl apply -n` would give them (both sides)'
            cand --controller-config 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it'
            cand --cert-manager-version 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]'
            cand --default-issuer-name 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]'
            cand --default-issuer-kind 'Starting issuerRef.kind for every object [default: Issuer]'
            cand --default-issuer-group 'Starting issuerRef.group for every object [default: cert-manager.io]'
            cand --auto-certificate-annotations 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]'
            cand --extra-certificate-annotations 'Annotation keys copied from the object to its Certificates'
            cand --gateway-api-extra-protocols 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)'
            cand --enable-gateway-api 'Render Gateways (and ListenerSets) [default: true in lsc]'
            cand --enable-gateway-api-listenerset 'Render ListenerSets and XListenerSets [default: true in lsc]'
            cand --feature-gates 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)'
            cand --color 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never'
            cand -j 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --jobs 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --exclude 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too'
            cand --max-input-bytes 'Largest input file (or stdin), in bytes'
            cand --max-document-bytes 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)'
            cand --max-depth 'Deepest nesting of mappings and lists in a document (at most 100000)'
            cand --max-documents 'Most documents in one input, `kind: List` items and a ResourceList''s items included'
            cand --max-alias-nodes 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --max-alias-expansions 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --follow 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lsc;fn'= {
            cand --max-input-bytes 'Largest input file (or stdin), in bytes'
            cand --max-document-bytes 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)'
            cand --max-depth 'Deepest nesting of mappings and lists in a document (at most 100000)'
            cand --max-documents 'Most documents in one input, `kind: List` items and a ResourceList''s items included'
            cand --max-alias-nodes 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --max-alias-expansions 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)'
            cand --color 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never'
            cand -j 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --jobs 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value'
            cand --exclude 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too'
            cand --follow 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)'
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'lsc;version'= {
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lsc;man'= {
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lsc;completions'= {
            cand -q 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand --quiet 'Print no warnings, notes or summary lines on stderr (errors still)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'lsc;help'= {
            cand render 'Print the Certificates cert-manager would create for the inputs'
            cand convert 'Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service'
            cand check 'Report what the controllers would reject or silently ignore, with stable codes'
            cand explain 'Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them'
            cand diff 'Compare the rendered Certificates with committed or live ones (exit 1 when they differ)'
            cand fn 'Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout'
            cand version 'Print the version and git commit, as `--version` does'
            cand man 'Print the man page (roff) of lsc, or of one subcommand, to stdout'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'lsc;help;render'= {
        }
        &'lsc;help;convert'= {
        }
        &'lsc;help;check'= {
        }
        &'lsc;help;explain'= {
        }
        &'lsc;help;diff'= {
        }
        &'lsc;help;fn'= {
        }
        &'lsc;help;version'= {
        }
        &'lsc;help;man'= {
        }
        &'lsc;help;completions'= {
        }
        &'lsc;help;help'= {
        }
    ]
    $completions[$command]
}
