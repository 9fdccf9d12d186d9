#!/usr/bin/env sh
# Installs Debian's Chromium for the browser tests (test/browser/) when it is missing.
# The tests skip without it, so a failure here is reported but does not stop CI.
set -u

if command -v chromium >/dev/null 2>&1; then
  echo "install-browser: chromium already installed ($(command -v chromium))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not available; install Chromium yourself (the browser tests are skipped without /usr/bin/chromium)" >&2
  exit 0
fi

# Root runs apt-get directly; other users need sudo without a password.
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-browser: not root and no password-less sudo; cannot install chromium (the browser tests will be skipped)" >&2
    exit 0
  fi
fi

start=$(date +%s)
echo "install-browser: installing chromium with apt-get ..."
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq >/dev/null \
  && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  echo "install-browser: chromium installed in $(( $(date +%s) - start )) s ($(chromium --version 2>/dev/null || echo 'version unknown'))"
else
  echo "install-browser: apt-get install chromium failed (the browser tests will be skipped)" >&2
fi
exit 0
