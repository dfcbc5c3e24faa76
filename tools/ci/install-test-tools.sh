#!/usr/bin/env bash
# Installs, from Debian's packages, the programs the tests drive besides Java: tshark (the Wireshark dissector test,
# WiresharkDissectorIT), zsh (the completion test) and iproute2's ip (the network-namespace tests, tofu.netns).
# Does nothing when all are there.
# CI runs it from .ci/run as root; elsewhere without root it only says what is missing (those tests then skip).
set -euo pipefail

missing=()
command -v tshark >/dev/null 2>&1 || missing+=(tshark)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
    echo "install-test-tools: ${missing[*]} missing and not root; the tests that need them skip (CI installs them)" >&2
    if [[ -n "${CI:-}" ]]; then
        exit 1
    fi
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# tshark's package asks whether non-root users may capture; the tests only read files.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
