#!/usr/bin/env bash
# Builds the Debian base image every locally built image starts from, with debootstrap from the Debian mirror that
# this machine's own apt configuration names (read here, at build time; no mirror is written into the project).
#
#   scripts/k8s/debian-base.sh [image]     default image: $DEBIAN_BASE_IMAGE (offndat.local/debian:trixie)
#
# The image keeps apt pointed at the same mirror (so Dockerfiles can apt-get install), and trusts the certificate
# authorities this machine trusts beyond Debian's own bundle: where TLS to the package registries is re-signed by
# a local CA, npm, pip and the Go proxy work inside containers too. Nothing else of the machine goes in.
set -euo pipefail

SUITE="${DEBIAN_SUITE:-trixie}"
IMAGE="${1:-${DEBIAN_BASE_IMAGE:-offndat.local/debian:$SUITE}}"

log() { printf '[debian-base] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=scripts/k8s/docker-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/docker-lib.sh"

# "URI suite" pairs of every enabled Debian source of apt's configuration, one-line (.list) and deb822 (.sources).
# APT_DIR and OS_RELEASE stand in for /etc/apt and /etc/os-release in tests.
APT_DIR="${APT_DIR:-/etc/apt}"
OS_RELEASE="${OS_RELEASE:-/etc/os-release}"
apt_sources() {
  local f
  for f in "$APT_DIR/sources.list" "$APT_DIR"/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++; print $i, $(i + 1) }' "$f"
  done
  for f in "$APT_DIR"/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; suites = ""; enabled = 1; types = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) uris = substr($i, 6); if ($i ~ /^Suites:/) suites = substr($i, 8)
          if ($i ~ /^Types:/) types = $i; if ($i ~ /^Enabled: *no/) enabled = 0 }
        if (!enabled || types !~ /deb( |$)/) next
        n = split(uris, u, " "); m = split(suites, s, " ")
        for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print u[a], s[b] }' "$f"
  done
}

# The mirror of the Debian archive and of its security updates, as apt on this machine reaches them.
host_codename() { (. "$OS_RELEASE" && printf '%s' "${VERSION_CODENAME:?}"); }
archive_uri() { apt_sources | awk -v s="$(host_codename)" '$2 == s { print $1; exit }'; }
security_uri() { apt_sources | awk -v s="$(host_codename)-security" '$2 == s { print $1; exit }'; }

# The authorities this machine trusts beyond those Debian's ca-certificates package ships (one PEM block a line,
# newlines as \n): whatever the administrator added, wherever it was added from.
machine_certs() {
  local pem_lines='/-----BEGIN CERTIFICATE-----/ { c = "" } { c = c $0 "\\n" } /-----END CERTIFICATE-----/ { print c }'
  grep -vxF -f <(cat /usr/share/ca-certificates/*/*.crt | awk "$pem_lines") \
    <(awk "$pem_lines" /etc/ssl/certs/ca-certificates.crt) || true
}

work=""
main() {
  if docker image inspect "$IMAGE" >/dev/null 2>&1 && [[ -z ${REBUILD:-} ]]; then
    log "$IMAGE exists (REBUILD=1 rebuilds it)"
    return
  fi
  ensure_docker
  command -v debootstrap >/dev/null || apt_install debootstrap
  local archive security
  archive="$(archive_uri)"
  security="$(security_uri)"
  if [[ -z $archive ]]; then
    # Not a Debian machine (a hosted CI runner, say): there is a registry to pull the public image from instead.
    log "apt's configuration names no Debian archive; starting from the public image debian:$SUITE-slim"
    docker_build -t "$IMAGE" - <<DOCKERFILE
FROM debian:$SUITE-slim
RUN printf 'APT::Install-Recommends "false";\\nAPT::Install-Suggests "false";\\n' >/etc/apt/apt.conf.d/90offndat \\
 && apt-get update -qq && apt-get install -y -qq ca-certificates && rm -rf /var/lib/apt/lists/*
DOCKERFILE
    log "built $IMAGE"
    return
  fi
  work="$(mktemp -d /tmp/offndat-debian-base.XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  local root="$work/rootfs"
  log "debootstrap $SUITE from $archive (about a minute)"
  debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$root" "$archive" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

  rm -f "$root/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n' \
      "$archive" "$SUITE" "$SUITE" /usr/share/keyrings/debian-archive-keyring.gpg
    if [[ -n $security ]]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
        "$security" "$SUITE" /usr/share/keyrings/debian-archive-keyring.gpg
    fi
  } >"$root/etc/apt/sources.list.d/debian.sources"
  # Small images: no documentation, no recommended packages, no apt caches left behind.
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90offndat"
  printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/90offndat"

  local extra n=0
  extra="$(machine_certs)"
  while IFS= read -r cert; do
    [[ -n $cert ]] || continue
    n=$((n + 1))
    printf '%b' "$cert" >"$root/usr/local/share/ca-certificates/machine-$n.crt"
  done <<<"$extra"
  chroot "$root" update-ca-certificates 2>&1 | grep -v '^rehash: warning: skipping ca-certificates.crt' >/dev/null || true
  log "trusting $n certificate authorities this machine adds to Debian's bundle"

  chroot "$root" apt-get update -qq >/dev/null
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/*.log "$root"/tmp/*
  tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    --change 'CMD ["bash"]' - "$IMAGE" >/dev/null
  log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%d MB", $1 / 1e6 }'))"
}

# Sourced (by tests), it only defines the functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
