#!/usr/bin/env bash
# API compatibility of the library (dev.tofu:tofu, package tofu) against the last release tag, with japicmp
# (docs/COMPATIBILITY.md). The tag's library is built from the tag itself in a temporary worktree, so the check needs
# neither a published artifact nor a jar kept in the repository.
#   - no v* tag yet: skipped, with the reason printed (there is nothing to be compatible with before 0.1.0);
#   - a patch release, or a minor release from 1.0 on: any binary or source incompatible change fails;
#   - a 0.x minor release or a major release: incompatible changes are printed, not fatal (CHANGELOG lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

tag="$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)"
if [[ -z "$tag" ]]; then
    echo "api-compat: SKIPPED: no release tag (v*) yet, so there is no earlier API to compare with;"
    echo "api-compat: the first release (v0.1.0) becomes the baseline of every later build."
    exit 0
fi

current="$(sed -n 's:^    <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
baseline="${tag#v}"
IFS=. read -r cur_major cur_minor _ <<<"${current%-SNAPSHOT}"
IFS=. read -r base_major base_minor _ <<<"$baseline"
breaking=refused
if [[ "$cur_major" -gt "$base_major" ]] || { [[ "$cur_major" -eq 0 ]] && [[ "$cur_minor" -gt "$base_minor" ]]; }; then
    breaking=allowed
fi
echo "api-compat: $current against $tag; incompatible changes are $breaking"

work="$(mktemp -d)"
cleanup() {
    git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
git worktree add --quiet --detach "$work/base" "$tag"
"$root/mvnw" -B -q -f "$work/base/pom.xml" -pl tofu -am -DskipTests -Dtofu.target=target package
jar="$(ls "$work"/base/tofu/target/tofu-*.jar | grep -v -e sources -e javadoc | head -1)"

status=0
./mvnw -B -q -pl tofu -am -DskipTests -Dtofu.target=target-api "-Dtofu.api.baseline=$jar" \
    "-Dtofu.api.breaking=$breaking" package || status=$?
report="tofu/target-api/japicmp/api-check.diff"
if [[ -f "$report" ]]; then
    cat "$report"; echo
fi
rm -rf tofu/target-api target-api
if [[ $status -ne 0 ]]; then
    echo "api-compat: FAILED: the public API of $current breaks $tag (see above)" >&2
    exit $status
fi
echo "api-compat: passed against $tag"
