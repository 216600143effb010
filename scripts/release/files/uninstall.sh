#!/bin/sh
# Removes credit-gateway: the service unit, the command and every installed
# version under /opt/credit-gateway. Configuration (/etc/credit-gateway) and
# data (/var/lib/credit-gateway: the store with its queue, cursors and
# history) stay unless --purge is given, which asks first (or --yes).
set -eu

usage() {
  cat <<'USAGE'
usage: uninstall.sh [--prefix DIR] [--purge [--yes]]
  --prefix DIR  the folder a trial install went to (default: the system install)
  --purge       also delete configuration, secrets and data (the queue not yet delivered is lost)
  --yes         do not ask before --purge deletes
USAGE
}

die() {
  printf 'uninstall.sh: %s\n' "$1" >&2
  exit 1
}

prefix=/
purge=no
yes=no
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --purge) purge=yes; shift ;;
    --yes|-y) yes=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option $1" ;;
  esac
done
case $prefix in
  /) system=yes; root= ;;
  /*) system=no; root=${prefix%/} ;;
  *) die "--prefix must be an absolute path, got $prefix" ;;
esac
if [ "$system" = yes ] && [ "$(id -u)" != 0 ]; then
  die "removing the service needs root (sudo)"
fi

home=$root/opt/credit-gateway
etc=$root/etc/credit-gateway
data=$root/var/lib/credit-gateway

if [ "$purge" = yes ] && [ "$yes" != yes ]; then
  [ -t 0 ] || die "--purge deletes $etc and $data for good: add --yes when no one can answer the question"
  printf 'Delete the configuration %s and the data %s (store, queue not yet delivered, drop folder) for good? [y/N] ' "$etc" "$data"
  read -r answer
  case $answer in
    y|Y|yes|YES) ;;
    *) die "nothing removed" ;;
  esac
fi

if [ "$system" = yes ]; then
  unit=/etc/systemd/system/credit-gateway.service
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now credit-gateway.service >/dev/null 2>&1 || true
  fi
  rm -f "$unit"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
  fi
fi

link=$root/usr/local/bin/credit-gateway
if [ -L "$link" ]; then
  case $(readlink "$link") in
    "$home"/*) rm -f "$link" ;;
  esac
fi
rm -rf "$home"
echo "removed the program ($home)"

if [ "$purge" = yes ]; then
  rm -rf "$etc" "$data"
  if [ "$system" = yes ] && id credit-gateway >/dev/null 2>&1; then
    userdel credit-gateway >/dev/null 2>&1 || true
  fi
  echo "removed the configuration ($etc) and the data ($data)"
else
  echo "kept the configuration ($etc) and the data ($data): install again to continue where it stopped, or uninstall.sh --purge to delete them"
fi
