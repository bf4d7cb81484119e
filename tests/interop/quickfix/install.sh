#!/bin/sh
# Install what exsim's QuickFIX interoperability tests and benchmarks need:
#
#   * Debian packages: libquickfix-dev (headers, library), libquickfix-doc (the example
#     sources the harness builds QuickFIX's `ordermatch` acceptor from), nlohmann-json3-dev
#     (JSON for our C++ programs), g++, make, pkg-config.
#   * QuickFIX's FIX data dictionaries (FIX42.xml, FIX44.xml, FIXT11.xml, FIX50SP2.xml...),
#     which Debian does not package. They are taken from the `quickfix` source
#     distribution on PyPI of the same version as Debian's library, checked against a
#     pinned SHA-256, and unpacked into $QUICKFIX_SPEC_DIR
#     (default /usr/local/share/quickfix/spec).
#
# Idempotent: whatever is already present is left alone, and every step says what it did.
# Needs root (or sudo) only when a Debian package is missing.
set -eu

spec_dir=${QUICKFIX_SPEC_DIR:-/usr/local/share/quickfix/spec}
sdist_version=1.15.1
sdist_sha256=e3564ad2dd155892dc74496d6f4db1794bd8f9f74450ccbb45571ffaa2815da2
packages="libquickfix-dev libquickfix-doc nlohmann-json3-dev g++ make pkg-config"

say() { echo "quickfix install: $*"; }

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    sudo="none"
fi

apt_install() {
    if [ "$sudo" = none ]; then
        say "missing Debian packages:$*; run this script as root to install them" >&2
        exit 1
    fi
    say "installing Debian packages:$*"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # shellcheck disable=SC2086  # the package list is meant to split into words
    $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    say "installed:$*"
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for pkg in $packages; do
    if installed "$pkg"; then
        say "$pkg already installed"
    else
        missing="$missing $pkg"
    fi
done
if [ -n "$missing" ]; then
    # shellcheck disable=SC2086
    apt_install $missing
fi

if [ -f "$spec_dir/FIX42.xml" ] && [ -f "$spec_dir/FIX44.xml" ] && [ -f "$spec_dir/FIXT11.xml" ]; then
    say "data dictionaries already in $spec_dir"
    exit 0
fi

if ! python3 -m pip --version >/dev/null 2>&1; then
    apt_install python3-pip
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "quickfix==$sdist_version --hash=sha256:$sdist_sha256" > "$work/requirements.txt"
say "fetching the quickfix $sdist_version source distribution for its data dictionaries"
python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    --require-hashes -r "$work/requirements.txt" -d "$work"
tar -xzf "$work/quickfix-$sdist_version.tar.gz" -C "$work" "quickfix-$sdist_version/spec"
if [ -w "$(dirname "$spec_dir")" ] || [ -w "$spec_dir" ] || [ "$sudo" = "" ]; then
    mkdir -p "$spec_dir"
    cp "$work/quickfix-$sdist_version/spec/"*.xml "$spec_dir/"
elif [ "$sudo" = sudo ]; then
    $sudo mkdir -p "$spec_dir"
    $sudo cp "$work/quickfix-$sdist_version/spec/"*.xml "$spec_dir/"
else
    say "cannot write $spec_dir; set QUICKFIX_SPEC_DIR to a writable folder" >&2
    exit 1
fi
say "data dictionaries installed in $spec_dir: $(cd "$spec_dir" && echo *.xml)"
