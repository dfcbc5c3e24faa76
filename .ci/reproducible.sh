#!/usr/bin/env bash
# Reproducible builds: builds the project twice from scratch, into two separate output folders, and compares the
# SHA-256 of every jar (library, sources, javadoc, CLI, cookbook). project.build.outputTimestamp in the parent pom
# fixes the time of every archive entry; anything else that leaks into a jar (build time, path, order) fails here.
set -euo pipefail
cd "$(dirname "$0")/.."

builds=(target-repro1 target-repro2)
cleanup() {
    for b in "${builds[@]}"; do
        find . -maxdepth 2 -type d -name "$b" -prune -exec rm -rf {} +
    done
}
trap cleanup EXIT
cleanup

for b in "${builds[@]}"; do
    echo "reproducible: building into */$b"
    ./mvnw -B -q -DskipTests -Dtofu.target="$b" verify
done

sums() {
    (for jar in */"$1"/*.jar; do
        printf '%s  %s\n' "$(sha256sum <"$jar" | cut -d' ' -f1)" "${jar/\/$1\//\/}"
    done) | sort -k2
}
first="$(sums "${builds[0]}")"
second="$(sums "${builds[1]}")"
count="$(printf '%s\n' "$first" | grep -c .)"
if [[ "$count" -lt 6 ]]; then
    echo "reproducible: expected at least 6 jars, found $count" >&2
    exit 1
fi
if [[ "$first" != "$second" ]]; then
    echo "reproducible: FAILED, the two builds differ:" >&2
    diff <(printf '%s\n' "$first") <(printf '%s\n' "$second") >&2 || true
    exit 1
fi
printf '%s\n' "$first"
echo "reproducible: $count jars identical in two clean builds"
