#!/usr/bin/env bash
# Runs every shell command in the README's ```sh blocks (except the test command, which CI runs itself) from the
# checkout's root, the way a new user would, then removes the files they wrote. A command may find risks
# (exit 1); it must not fail (exit 2 or more). ATLAS_DATA comes from the caller (.ci/run sets it).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
before=$(git ls-files --others --exclude-standard | sort)
out=$(mktemp)
failed=0
while IFS= read -r line; do
  case "$line" in
    *"npm test"*) continue ;;
  esac
  echo "\$ $line"
  bash -c "$line" >"$out" 2>&1
  code=$?
  if [ "$code" -gt 1 ]; then
    echo "README command failed with exit $code: $line"
    tail -20 "$out"
    failed=1
  else
    echo "  ok (exit $code, $(wc -l <"$out") lines of output)"
  fi
done < <(awk '/^```sh$/{on=1; next} /^```$/{on=0} on && NF' README.md)
rm -f "$out"
after=$(git ls-files --others --exclude-standard | sort)
comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | while IFS= read -r f; do [ -n "$f" ] && rm -f -- "$f"; done
exit $failed
