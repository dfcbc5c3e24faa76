#!/usr/bin/env bash
# Every jar the build made (under */target/, or */$1/) carries the project's LICENSE and NOTICE in META-INF.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-target}"

shopt -s nullglob
jars=(*/"$target"/*.jar)
if [[ ${#jars[@]} -eq 0 ]]; then
    echo "check-jars: no jar under */$target/; build first" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
missing=0
for jar in "${jars[@]}"; do
    # The JDK's jar tool (not unzip, which a fresh machine may lack) extracts the two entries; their text must be
    # ours, not a dependency's file of the same name folded into a shaded jar.
    rm -rf "$work/x" && mkdir "$work/x"
    (cd "$work/x" && jar xf "$OLDPWD/$jar" META-INF/LICENSE META-INF/NOTICE)
    for entry in META-INF/LICENSE META-INF/NOTICE; do
        if ! grep -qs "tofu for Java" "$work/x/$entry"; then
            echo "check-jars: $jar has no project $entry" >&2
            missing=1
        fi
    done
done
[[ $missing -eq 0 ]] || exit 1
echo "check-jars: ${#jars[@]} jars carry META-INF/LICENSE and META-INF/NOTICE"
