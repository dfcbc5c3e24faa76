#!/usr/bin/env bash
# Runs the whole suite, benchmark smoke test included, on the newest Temurin JDK installed beside the default one
# (/usr/lib/jvm/*temurin*; TOFU_NEWER_JDK=<java home> overrides); with an argument, only those modules (a Maven -pl
# list, e.g. "tofu"). The library targets Java 17 and must build, test and document cleanly on the newest JDK too.
# No newer JDK found is a failure, not a skip: on this project's machines one is always installed, and a silent skip
# would hide that the check stopped running.
#   .ci/newer-jdk.sh [modules]
set -euo pipefail
cd "$(dirname "$0")/.."
modules="${1:-}"

jdk="${TOFU_NEWER_JDK:-}"
if [[ -z "$jdk" ]]; then
    shopt -s nullglob
    candidates=(/usr/lib/jvm/*temurin*)
    if [[ ${#candidates[@]} -gt 0 ]]; then
        # highest feature version first: temurin-25-jdk-amd64 sorts after temurin-21-jdk-amd64
        jdk="$(printf '%s\n' "${candidates[@]}" | sort -V | tail -1)"
    fi
fi
if [[ -z "$jdk" || ! -x "$jdk/bin/java" ]]; then
    echo "newer-jdk: FAILED: no Temurin JDK under /usr/lib/jvm (and TOFU_NEWER_JDK not set)" >&2
    exit 1
fi
feature="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [[ -z "$feature" || "$feature" -le 17 ]]; then
    echo "newer-jdk: FAILED: $jdk is Java ${feature:-?}, not newer than 17" >&2
    exit 1
fi
echo "newer-jdk: Java $feature at $jdk, modules: ${modules:-all}"

selection=(-Pbenchmarks)
if [[ -n "$modules" ]]; then
    selection+=(-pl "$modules" -am)
fi
JAVA_HOME="$jdk" ./mvnw -B "${selection[@]}" -Dtofu.target="target-jdk$feature" verify
