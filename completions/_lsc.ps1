
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'lsc' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'lsc'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'lsc' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the Certificates cert-manager would create for the inputs')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Report what the controllers would reject or silently ignore, with stable codes')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare the rendered Certificates with committed or live ones (exit 1 when they differ)')
            [CompletionResult]::new('fn', 'fn', [CompletionResultType]::ParameterValue, 'Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version and git commit, as `--version` does')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of lsc, or of one subcommand, to stdout')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lsc;render' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them')
            [CompletionResult]::new('--controller-config', '--controller-config', [CompletionResultType]::ParameterName, 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it')
            [CompletionResult]::new('--cert-manager-version', '--cert-manager-version', [CompletionResultType]::ParameterName, 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]')
            [CompletionResult]::new('--default-issuer-name', '--default-issuer-name', [CompletionResultType]::ParameterName, 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]')
            [CompletionResult]::new('--default-issuer-kind', '--default-issuer-kind', [CompletionResultType]::ParameterName, 'Starting issuerRef.kind for every object [default: Issuer]')
            [CompletionResult]::new('--default-issuer-group', '--default-issuer-group', [CompletionResultType]::ParameterName, 'Starting issuerRef.group for every object [default: cert-manager.io]')
            [CompletionResult]::new('--auto-certificate-annotations', '--auto-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]')
            [CompletionResult]::new('--extra-certificate-annotations', '--extra-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotation keys copied from the object to its Certificates')
            [CompletionResult]::new('--gateway-api-extra-protocols', '--gateway-api-extra-protocols', [CompletionResultType]::ParameterName, 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)')
            [CompletionResult]::new('--enable-gateway-api', '--enable-gateway-api', [CompletionResultType]::ParameterName, 'Render Gateways (and ListenerSets) [default: true in lsc]')
            [CompletionResult]::new('--enable-gateway-api-listenerset', '--enable-gateway-api-listenerset', [CompletionResultType]::ParameterName, 'Render ListenerSets and XListenerSets [default: true in lsc]')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Largest input file (or stdin), in bytes')
            [CompletionResult]::new('--max-document-bytes', '--max-document-bytes', [CompletionResultType]::ParameterName, 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Deepest nesting of mappings and lists in a document (at most 100000)')
            [CompletionResult]::new('--max-documents', '--max-documents', [CompletionResultType]::ParameterName, 'Most documents in one input, `kind: List` items and a ResourceList''s items included')
            [CompletionResult]::new('--max-alias-nodes', '--max-alias-nodes', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--max-alias-expansions', '--max-alias-expansions', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Print every input document unchanged, then the Certificates (transformer mode)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Explain on stderr which object, listeners and annotations decided each Certificate')
            [CompletionResult]::new('--helm-post-renderer', '--helm-post-renderer', [CompletionResultType]::ParameterName, 'Given by the helm post-renderer plugin (examples/helm/plugin): warn once when objects set no namespace, which helm does not pass on')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lsc;convert' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write one file per object, DIR/<namespace>/<kind>-<name>.yaml, instead of printing')
            [CompletionResult]::new('--tls-in', '--tls-in', [CompletionResultType]::ParameterName, 'Where listeners, TLS and cert-manager annotations go')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'One shared, operator-owned Gateway for every Ingress instead of one per namespace and class')
            [CompletionResult]::new('--gateway-class', '--gateway-class', [CompletionResultType]::ParameterName, 'gatewayClassName of the Gateways [default: the ingress class]')
            [CompletionResult]::new('--allowed-listeners', '--allowed-listeners', [CompletionResultType]::ParameterName, 'Which namespaces'' ListenerSets the Gateway accepts [default: Same, All with --gateway]')
            [CompletionResult]::new('--listenerset-api', '--listenerset-api', [CompletionResultType]::ParameterName, 'Which ListenerSet API to write [default: v1; v1alpha1 with --gateway-api-version 1.4]')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release of the cluster: only what its CRDs serve and accept is written [default: 1.6; 1.4 with --listenerset-api v1alpha1]')
            [CompletionResult]::new('--ingress-class', '--ingress-class', [CompletionResultType]::ParameterName, 'Convert only Ingresses of these classes (comma-separated or repeated) [default: all, one Gateway per class]')
            [CompletionResult]::new('--default-ingress-class', '--default-ingress-class', [CompletionResultType]::ParameterName, 'Class of Ingresses that name none, as the cluster''s default IngressClass gives them [default: the IngressClass in the inputs annotated ingressclass.kubernetes.io/is-default-class]')
            [CompletionResult]::new('--allow-unprotected', '--allow-unprotected', [CompletionResultType]::ParameterName, 'Accept losing access controls (ingress-nginx''s IP allow/deny lists, authentication, client certificates, WAF, rate limits; another controller''s auth, middleware or plugin annotations) on this host, or on every host with `all` (comma-separated or repeated); without it convert refuses such Ingresses')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The Ingress controller(s) serving the Ingresses, whose annotations apply (comma-separated or repeated) [default: told per Ingress from its IngressClass, class name and annotations, else ingress-nginx]')
            [CompletionResult]::new('--emitter', '--emitter', [CompletionResultType]::ParameterName, 'The Gateway API implementation to write for: `standard` writes Gateway API only; an implementation''s emitter adds its own policy objects for what Gateway API cannot say (and sets its GatewayClass, `eg` for envoy-gateway, unless --gateway-class is given)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them')
            [CompletionResult]::new('--controller-config', '--controller-config', [CompletionResultType]::ParameterName, 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it')
            [CompletionResult]::new('--cert-manager-version', '--cert-manager-version', [CompletionResultType]::ParameterName, 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]')
            [CompletionResult]::new('--default-issuer-name', '--default-issuer-name', [CompletionResultType]::ParameterName, 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]')
            [CompletionResult]::new('--default-issuer-kind', '--default-issuer-kind', [CompletionResultType]::ParameterName, 'Starting issuerRef.kind for every object [default: Issuer]')
            [CompletionResult]::new('--default-issuer-group', '--default-issuer-group', [CompletionResultType]::ParameterName, 'Starting issuerRef.group for every object [default: cert-manager.io]')
            [CompletionResult]::new('--auto-certificate-annotations', '--auto-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]')
            [CompletionResult]::new('--extra-certificate-annotations', '--extra-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotation keys copied from the object to its Certificates')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Largest input file (or stdin), in bytes')
            [CompletionResult]::new('--max-document-bytes', '--max-document-bytes', [CompletionResultType]::ParameterName, 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Deepest nesting of mappings and lists in a document (at most 100000)')
            [CompletionResult]::new('--max-documents', '--max-documents', [CompletionResultType]::ParameterName, 'Most documents in one input, `kind: List` items and a ResourceList''s items included')
            [CompletionResult]::new('--max-alias-nodes', '--max-alias-nodes', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--max-alias-expansions', '--max-alias-expansions', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite existing files under --out')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Remove the files under --out that an earlier run wrote (marked by their first line) and this one does not')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lsc;check' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--deny', '--deny', [CompletionResultType]::ParameterName, 'Make warnings fail the check as well')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them')
            [CompletionResult]::new('--upgrade-to', '--upgrade-to', [CompletionResultType]::ParameterName, 'Also report (LSC701) the Certificates that change when cert-manager moves from --cert-manager-version to this release')
            [CompletionResult]::new('--gateway-api-version', '--gateway-api-version', [CompletionResultType]::ParameterName, 'The Gateway API release of the cluster: objects of kinds it does not serve are reported too (LSC204) [default: 1.6]')
            [CompletionResult]::new('--controller-config', '--controller-config', [CompletionResultType]::ParameterName, 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it')
            [CompletionResult]::new('--cert-manager-version', '--cert-manager-version', [CompletionResultType]::ParameterName, 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]')
            [CompletionResult]::new('--default-issuer-name', '--default-issuer-name', [CompletionResultType]::ParameterName, 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]')
            [CompletionResult]::new('--default-issuer-kind', '--default-issuer-kind', [CompletionResultType]::ParameterName, 'Starting issuerRef.kind for every object [default: Issuer]')
            [CompletionResult]::new('--default-issuer-group', '--default-issuer-group', [CompletionResultType]::ParameterName, 'Starting issuerRef.group for every object [default: cert-manager.io]')
            [CompletionResult]::new('--auto-certificate-annotations', '--auto-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]')
            [CompletionResult]::new('--extra-certificate-annotations', '--extra-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotation keys copied from the object to its Certificates')
            [CompletionResult]::new('--gateway-api-extra-protocols', '--gateway-api-extra-protocols', [CompletionResultType]::ParameterName, 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)')
            [CompletionResult]::new('--enable-gateway-api', '--enable-gateway-api', [CompletionResultType]::ParameterName, 'Render Gateways (and ListenerSets) [default: true in lsc]')
            [CompletionResult]::new('--enable-gateway-api-listenerset', '--enable-gateway-api-listenerset', [CompletionResultType]::ParameterName, 'Render ListenerSets and XListenerSets [default: true in lsc]')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Largest input file (or stdin), in bytes')
            [CompletionResult]::new('--max-document-bytes', '--max-document-bytes', [CompletionResultType]::ParameterName, 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Deepest nesting of mappings and lists in a document (at most 100000)')
            [CompletionResult]::new('--max-documents', '--max-documents', [CompletionResultType]::ParameterName, 'Most documents in one input, `kind: List` items and a ResourceList''s items included')
            [CompletionResult]::new('--max-alias-nodes', '--max-alias-nodes', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--max-alias-expansions', '--max-alias-expansions', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lsc;explain' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lsc;diff' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Certificates to compare with: a file, folder or `-` (e.g. `kubectl get certificates -A -o yaml`); repeat for several')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them (both sides)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of objects that set none, as `kubectl apply -n` would give them (both sides)')
            [CompletionResult]::new('--controller-config', '--controller-config', [CompletionResultType]::ParameterName, 'Read these settings from cert-manager''s ControllerConfiguration file; flags override it')
            [CompletionResult]::new('--cert-manager-version', '--cert-manager-version', [CompletionResultType]::ParameterName, 'Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]')
            [CompletionResult]::new('--default-issuer-name', '--default-issuer-name', [CompletionResultType]::ParameterName, 'Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]')
            [CompletionResult]::new('--default-issuer-kind', '--default-issuer-kind', [CompletionResultType]::ParameterName, 'Starting issuerRef.kind for every object [default: Issuer]')
            [CompletionResult]::new('--default-issuer-group', '--default-issuer-group', [CompletionResultType]::ParameterName, 'Starting issuerRef.group for every object [default: cert-manager.io]')
            [CompletionResult]::new('--auto-certificate-annotations', '--auto-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]')
            [CompletionResult]::new('--extra-certificate-annotations', '--extra-certificate-annotations', [CompletionResultType]::ParameterName, 'Annotation keys copied from the object to its Certificates')
            [CompletionResult]::new('--gateway-api-extra-protocols', '--gateway-api-extra-protocols', [CompletionResultType]::ParameterName, 'Listener protocols treated like HTTPS and TLS (exact, case-sensitive)')
            [CompletionResult]::new('--enable-gateway-api', '--enable-gateway-api', [CompletionResultType]::ParameterName, 'Render Gateways (and ListenerSets) [default: true in lsc]')
            [CompletionResult]::new('--enable-gateway-api-listenerset', '--enable-gateway-api-listenerset', [CompletionResultType]::ParameterName, 'Render ListenerSets and XListenerSets [default: true in lsc]')
            [CompletionResult]::new('--feature-gates', '--feature-gates', [CompletionResultType]::ParameterName, 'Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too')
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Largest input file (or stdin), in bytes')
            [CompletionResult]::new('--max-document-bytes', '--max-document-bytes', [CompletionResultType]::ParameterName, 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Deepest nesting of mappings and lists in a document (at most 100000)')
            [CompletionResult]::new('--max-documents', '--max-documents', [CompletionResultType]::ParameterName, 'Most documents in one input, `kind: List` items and a ResourceList''s items included')
            [CompletionResult]::new('--max-alias-nodes', '--max-alias-nodes', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--max-alias-expansions', '--max-alias-expansions', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lsc;fn' {
            [CompletionResult]::new('--max-input-bytes', '--max-input-bytes', [CompletionResultType]::ParameterName, 'Largest input file (or stdin), in bytes')
            [CompletionResult]::new('--max-document-bytes', '--max-document-bytes', [CompletionResultType]::ParameterName, 'Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Deepest nesting of mappings and lists in a document (at most 100000)')
            [CompletionResult]::new('--max-documents', '--max-documents', [CompletionResultType]::ParameterName, 'Most documents in one input, `kind: List` items and a ResourceList''s items included')
            [CompletionResult]::new('--max-alias-nodes', '--max-alias-nodes', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--max-alias-expansions', '--max-alias-expansions', [CompletionResultType]::ParameterName, 'Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'lsc;version' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lsc;man' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lsc;completions' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no warnings, notes or summary lines on stderr (errors still)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'lsc;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print the Certificates cert-manager would create for the inputs')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Report what the controllers would reject or silently ignore, with stable codes')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare the rendered Certificates with committed or live ones (exit 1 when they differ)')
            [CompletionResult]::new('fn', 'fn', [CompletionResultType]::ParameterValue, 'Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the version and git commit, as `--version` does')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff) of lsc, or of one subcommand, to stdout')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'lsc;help;render' {
            break
        }
        'lsc;help;convert' {
            break
        }
        'lsc;help;check' {
            break
        }
        'lsc;help;explain' {
            break
        }
        'lsc;help;diff' {
            break
        }
        'lsc;help;fn' {
            break
        }
        'lsc;help;version' {
            break
        }
        'lsc;help;man' {
            break
        }
        'lsc;help;completions' {
            break
        }
        'lsc;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
