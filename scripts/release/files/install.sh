#!/bin/sh
# Installs (or upgrades to) the credit-gateway release this script sits in.
#
#   sudo ./install.sh                      the service: user, /etc, /var/lib, /opt, systemd unit
#   ./install.sh --prefix /tmp/trial       a trial under one folder: no user, no systemd
#
# Checks first, changes second: the release's files are checked against
# MANIFEST.sha256, whose hash is in SHA256SUMS beside the archive, whose
# Ed25519 signature (SHA256SUMS.sig) is checked with the credit center's
# public key when one is given (--public-key) or already installed.
#
# An upgrade installs the new version beside the old one, moves `current` to
# it and keeps the old one as `previous` (for rollback); configuration
# (/etc/credit-gateway) and data (/var/lib/credit-gateway) are never touched
# once they exist.
set -eu
# The service user must be able to read and run what root copies, whatever root's own umask.
umask 022

usage() {
  cat <<'USAGE'
usage: install.sh [--prefix DIR] [--public-key center-public.pem] [--sums SHA256SUMS] [--no-start]
  --prefix DIR       install under DIR (a trial install: no service user, no systemd unit)
  --public-key FILE  the credit center's public key: the release's signature must verify with it;
                     it is installed as /etc/credit-gateway/center-public.pem if none is there
  --sums FILE        SHA256SUMS of the release (default: beside the unpacked release folder)
  --no-start         do not enable or restart the service
USAGE
}

die() {
  printf 'install.sh: %s\n' "$1" >&2
  exit 1
}

prefix=/
public_key=
sums=
start=yes
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --public-key) [ $# -ge 2 ] || die "--public-key needs a file"; public_key=$2; shift 2 ;;
    --public-key=*) public_key=${1#--public-key=}; shift ;;
    --sums) [ $# -ge 2 ] || die "--sums needs a file"; sums=$2; shift 2 ;;
    --sums=*) sums=${1#--sums=}; shift ;;
    --no-start) start=no; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd -P)
[ -f "$here/VERSION" ] && [ -f "$here/MANIFEST.sha256" ] || die "run install.sh from inside the unpacked release folder"
version=$(cat "$here/VERSION")
folder=$(basename "$here")

case $prefix in
  /) system=yes; root= ;;
  /*) system=no; root=${prefix%/} ;;
  *) die "--prefix must be an absolute path, got $prefix" ;;
esac
if [ "$system" = yes ] && [ "$(id -u)" != 0 ]; then
  die "installing the service needs root (sudo ./install.sh), or try it without root: ./install.sh --prefix \$HOME/credit-gateway-trial"
fi

home=$root/opt/credit-gateway
etc=$root/etc/credit-gateway
data=$root/var/lib/credit-gateway
bin=$root/usr/local/bin
user=credit-gateway

# --- check the release before changing anything ---------------------------

[ -n "$sums" ] || sums=$(dirname "$here")/SHA256SUMS
[ -f "$sums" ] || die "$sums not found: copy SHA256SUMS (and SHA256SUMS.sig) beside the archive and unpack it there, or give --sums FILE"
sums_dir=$(cd "$(dirname "$sums")" && pwd -P)

key=
if [ -n "$public_key" ]; then
  [ -f "$public_key" ] || die "public key $public_key not found"
  key=$public_key
elif [ -f "$etc/center-public.pem" ]; then
  key=$etc/center-public.pem
fi
if [ -n "$key" ]; then
  [ -f "$sums.sig" ] || die "$sums.sig not found: a credit center key is installed ($key), so only a release signed with it is installed"
  sig_bin=$(mktemp)
  trap 'rm -f "$sig_bin"' EXIT
  # The signature is checked with the system's openssl where it can (the
  # release's own node is not trusted before its signature is); otherwise
  # with the node of the version already installed, or else the release's.
  if base64 -d <"$sums.sig" >"$sig_bin" 2>/dev/null &&
    openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$sums" -sigfile "$sig_bin" >/dev/null 2>&1; then
    echo "signature of SHA256SUMS: good (checked with openssl)"
  else
    verifier=$here/node/bin/node
    [ -x "$home/current/node/bin/node" ] && verifier=$home/current/node/bin/node
    if "$verifier" -e '
      const { verify, createPublicKey } = require("node:crypto");
      const { readFileSync } = require("node:fs");
      const [key, data, sig] = process.argv.slice(1);
      const ok = verify(null, readFileSync(data), createPublicKey(readFileSync(key)), Buffer.from(readFileSync(sig, "utf8").trim(), "base64"));
      process.exit(ok ? 0 : 1);' "$key" "$sums" "$sums.sig"; then
      echo "signature of SHA256SUMS: good"
    else
      die "the signature $sums.sig does not match SHA256SUMS with the key $key: this release was not signed by the credit center, or was changed; do not install it"
    fi
  fi
fi

expected=$(awk -v f="$folder/MANIFEST.sha256" '$2 == f || $2 == "*" f { print $1 }' "$sums")
[ -n "$expected" ] || die "$sums does not list $folder/MANIFEST.sha256: it belongs to another release"
actual=$(sha256sum "$here/MANIFEST.sha256" | cut -d' ' -f1)
[ "$expected" = "$actual" ] || die "$folder/MANIFEST.sha256 does not match SHA256SUMS: the release was changed after it was built; unpack it again"
archive_sum=$(awk -v f="$folder.tar.gz" '$2 == f || $2 == "*" f { print $1 }' "$sums")
if [ -n "$archive_sum" ] && [ -f "$sums_dir/$folder.tar.gz" ]; then
  [ "$(sha256sum "$sums_dir/$folder.tar.gz" | cut -d' ' -f1)" = "$archive_sum" ] || die "$folder.tar.gz does not match SHA256SUMS: copy it again"
fi
(cd "$here" && sha256sum --check --quiet --strict MANIFEST.sha256) >&2 || die "files of the release differ from its MANIFEST.sha256 (listed above): unpack the archive again"
echo "release $version: every file checked"

# --- service user ---------------------------------------------------------

if [ "$system" = yes ] && ! id "$user" >/dev/null 2>&1; then
  nologin=/usr/sbin/nologin
  [ -x "$nologin" ] || nologin=/sbin/nologin
  useradd --system --user-group --home-dir /var/lib/credit-gateway --no-create-home --shell "$nologin" \
    --comment "credit-gateway service" "$user" || die "could not create the service user $user"
  echo "created service user $user"
fi

# Folders the gateway demands: its data folder private to the user it runs as.
owner() {
  if [ "$system" = yes ]; then chown "$user:$user" "$@"; fi
}

# --- the version folder and the links -------------------------------------

mkdir -p "$home" "$bin"
target=$home/$version
if [ "$(cd "$target" 2>/dev/null && pwd -P)" != "$here" ]; then
  staging=$home/.$version.installing.$$
  rm -rf "$staging"
  cp -R "$here" "$staging"
  rm -rf "$target"
  mv "$staging" "$target"
fi
chmod 755 "$target"

old=
[ -L "$home/current" ] && old=$(readlink "$home/current")
# Links are replaced by renaming a new one over them: never a moment without.
relink() {
  ln -s "$1" "$2.new.$$"
  mv -T "$2.new.$$" "$2"
}
if [ -n "$old" ] && [ "$old" != "$version" ]; then
  relink "$old" "$home/previous"
fi
relink "$version" "$home/current"
relink "$home/current/bin/credit-gateway" "$bin/credit-gateway"
if [ -n "$old" ] && [ "$old" != "$version" ]; then
  echo "installed $target; current -> $version, previous -> $old"
else
  echo "installed $target; current -> $version"
fi

# --- configuration and data: created once, never replaced ----------------

if [ ! -d "$etc" ]; then
  mkdir -p "$etc"
  if [ "$system" = yes ]; then chown "root:$user" "$etc"; chmod 750 "$etc"; else chmod 700 "$etc"; fi
fi
if [ -n "$public_key" ] && [ ! -e "$etc/center-public.pem" ]; then
  cp "$public_key" "$etc/center-public.pem"
  chmod 644 "$etc/center-public.pem"
  echo "installed the credit center's public key as $etc/center-public.pem"
fi
if [ ! -e "$etc/gateway.yaml" ]; then
  control_key=
  [ -f "$etc/center-public.pem" ] && control_key="publicKeyFile: ./center-public.pem, "
  sed -e "s|@DATA@|$data|g" -e "s|@ETC@|$etc|g" -e "s|@RELEASE@|$home/current|g" -e "s|@CONTROL_KEY@|$control_key|" \
    "$target/service/gateway.yaml" >"$etc/gateway.yaml.new"
  chmod 640 "$etc/gateway.yaml.new"
  [ "$system" = yes ] && chown "root:$user" "$etc/gateway.yaml.new"
  mv "$etc/gateway.yaml.new" "$etc/gateway.yaml"
  echo "wrote $etc/gateway.yaml (an example: edit it)"
fi
if [ ! -e "$etc/secrets.yaml" ]; then
  (umask 077 && printf '# secrets: set them with credit-gateway secrets set NAME, never by hand into a copy\n{}\n' >"$etc/secrets.yaml")
  owner "$etc/secrets.yaml"
  echo "wrote $etc/secrets.yaml (mode 600)"
fi
for d in "$data" "$data/drop" "$data/bundles"; do
  if [ ! -d "$d" ]; then
    mkdir -p "$d"
    chmod 700 "$d"
    owner "$d"
  fi
done

# --- the service ----------------------------------------------------------

if [ "$system" = yes ]; then
  unit=/etc/systemd/system/credit-gateway.service
  mkdir -p /etc/systemd/system
  cp "$target/service/credit-gateway.service" "$unit.new"
  chmod 644 "$unit.new"
  mv "$unit.new" "$unit"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
    if [ "$start" = yes ]; then
      systemctl enable credit-gateway.service >/dev/null 2>&1 || true
      if systemctl is-active --quiet credit-gateway.service; then
        systemctl restart credit-gateway.service
        echo "restarted credit-gateway.service on $version"
      fi
    fi
  else
    echo "systemd is not running here: $unit is installed for when it is; start by hand meanwhile (see below)"
  fi
fi

cmd=$bin/credit-gateway
[ "$system" = yes ] && cmd=credit-gateway
cat <<NEXT

Next:
  1. configure: edit $etc/gateway.yaml (or put the credit center's signed bundle in place)
     and store the platform secret:  $cmd secrets set platform --file $etc/secrets.yaml
  2. check:     $cmd doctor    (and: $cmd config check $etc/gateway.yaml)
NEXT
if [ "$system" = yes ]; then
  cat <<NEXT
  3. start:     systemctl enable --now credit-gateway    (logs: journalctl -u credit-gateway)
  4. open the status page shown in the log (http://127.0.0.1:8650/ by default)
NEXT
else
  cat <<NEXT
  3. start:     $cmd start --config $etc/gateway.yaml
  4. open the status page it prints (http://127.0.0.1:8650/ by default)
NEXT
fi
