#!/usr/bin/env bash
# Runs a command (make test: `swift test …`) with TMPDIR set to a fresh folder, then fails if the
# tests left anything in it: every test removes what it makes (a TemporaryDirectory from
# Tests/ParleyTestSupport), and runs never see each other's files. SwiftPM itself leaves lock
# files (_*.lock) and swift-driver folders (TemporaryDirectory.* holding only .keep-directory,
# manifest.swift, vfs.yaml, *.o, *.autolink) on every invocation; those are not the tests' and
# are ignored.
# With --unchecked first (the build), the folder is only removed afterwards: what SwiftPM and the
# compiler leave there (swift-generated-sources, driver folders) is theirs, not a test's.
set -uo pipefail
checked=1
if [ "${1:-}" = "--unchecked" ]; then checked=0; shift; fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/parley-test-run.XXXXXX") || exit 1
TMPDIR="$scratch" "$@"
status=$?
if [ $checked = 0 ]; then rm -rf "$scratch"; exit $status; fi

swiftpm_only() {  # a driver folder with nothing but SwiftPM's own artefacts
    [ -d "$1" ] || return 1
    [ -z "$(find "$1" -mindepth 1 ! -name .keep-directory ! -name manifest.swift ! -name vfs.yaml \
        ! -name '*.o' ! -name '*.autolink' -print -quit)" ]
}
left=()
for entry in "$scratch"/* "$scratch"/.[!.]*; do
    [ -e "$entry" ] || continue
    name=${entry##*/}
    case "$name" in
        _*.lock) continue ;;
        TemporaryDirectory.*) swiftpm_only "$entry" && continue ;;
    esac
    left+=("$name")
done
rm -rf "$scratch"
if [ ${#left[@]} -gt 0 ]; then
    echo "make test: the tests left these in TMPDIR (a test must remove what it makes):" >&2
    printf '  %s\n' "${left[@]}" >&2
    exit 1
fi
exit $status
