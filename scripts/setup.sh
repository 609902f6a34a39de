#!/usr/bin/env bash
# Installs what taskledger needs to build, test and run, from Debian's packages.
# Idempotent: packages already present are left alone and apt-get is not touched at all.
# Extra package names given as arguments are installed the same way (scripts/fuzz.sh: clang).
# chromium: the report test (tests/report/HtmlInBrowser_test.cpp) measures the HTML report in a
# real browser, headless; without it that test skips with a reason.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libpoco-dev libssl-dev openssl ca-certificates
  libboost-program-options-dev
  libgtest-dev libgmock-dev
  time procps
  chromium
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
