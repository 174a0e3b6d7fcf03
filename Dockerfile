# lsc in an image of its own, from no base image: the static binary (tools/build-static.sh)
# alone. Build the binary first, then the image, from the repository root:
#   tools/build-static.sh
#   docker build -t lsc:local .        (or podman build)
# Entrypoint lsc: `docker run --rm -i lsc:local check - < manifests.yaml`; with a ResourceList
# on stdin and no arguments it is the KRM function (`lsc fn`), as kustomize runs it.
FROM scratch
# kustomize runs container functions with `--user nobody`, which needs a passwd entry.
COPY tools/image/passwd tools/image/group /etc/
COPY target/x86_64-unknown-linux-gnu/static/lsc /usr/local/bin/lsc
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/lsc"]
