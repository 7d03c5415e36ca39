# Shared by the benchmark scripts (scripts/bench.sh, scripts/bench-scale.sh, scripts/bench-ingest.sh,
# scripts/bench-simulate.sh): source it from the repository's root.
#
#   bench_source            what is measured: "commit abc1234" (+ uncommitted changes under the given paths)
#   bench_build [PRODUCT]   release build in .build-bench (its own scratch folder, so `swift build` in .build is
#                           left alone); sets BENCH_BIN to the product's path (default rivertrace)
#   bench_time OUT CMD…     runs CMD under `/usr/bin/time -v`: its output to OUT.out, its errors to OUT.err, the
#                           timing to OUT.time; returns CMD's exit code
#   bench_time_fields FILE  prints "wall_s user_s sys_s max_rss_kib" from a `/usr/bin/time -v` file
#   bench_median            the median of the numbers on standard input, one a line
#   json_get FILE EXPR      EXPR evaluated on the JSON document of FILE (or its last line that is one), as `d`
#   tree_key PATH…          a key that changes when the committed or uncommitted content under the paths changes
#                           (what the caches of generated inputs are keyed by)
#   size_of FILE…           the bytes of the files that exist, added up
#
# Environment: SWIFT (default swift), PYTHON (default python3, for json_get).

BENCH_TIME=/usr/bin/time
[ -x "$BENCH_TIME" ] || { echo "bench: $BENCH_TIME not found (apt-get install time)" >&2; exit 1; }

bench_source() {
  if [ -n "${BENCH_SOURCE:-}" ]; then
    echo "$BENCH_SOURCE"
  elif git rev-parse --git-dir >/dev/null 2>&1; then
    local source dirty
    source="commit $(git rev-parse --short HEAD)"
    dirty=$(git status --porcelain -- "${@:-Sources}" | wc -l | tr -d ' ')
    [ "$dirty" = 0 ] || source="$source + $dirty uncommitted change(s) under ${*:-Sources}"
    echo "$source"
  else
    echo "not a git checkout"
  fi
}

bench_build() {
  local product=${1:-rivertrace}
  echo "== build $product (release, scratch path .build-bench)"
  "${SWIFT:-swift}" build -c release --scratch-path .build-bench --product "$product"
  BENCH_BIN=$("${SWIFT:-swift}" build -c release --scratch-path .build-bench --show-bin-path)/$product
  [ -x "$BENCH_BIN" ] || { echo "bench: no binary at $BENCH_BIN" >&2; exit 1; }
}

bench_time() {
  local out=$1
  shift
  local rc=0
  "$BENCH_TIME" -v -o "$out.time" "$@" >"$out.out" 2>"$out.err" || rc=$?
  return "$rc"
}

bench_time_fields() {
  awk -F': ' '
    /Elapsed \(wall clock\) time/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
    /User time \(seconds\)/ { user = $2 }
    /System time \(seconds\)/ { sys = $2 }
    /Maximum resident set size/ { rss = $2 }
    END {
      if (wall == "" || rss == "") { print "bench: no timing in " FILENAME > "/dev/stderr"; exit 1 }
      printf "%.2f %s %s %s\n", wall, user, sys, rss
    }' "$1"
}

bench_median() {
  sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# json_get FILE EXPR: EXPR evaluated on the JSON document (the last line that is one) of FILE, as `d`.
json_get() {
  "${PYTHON:-python3}" - "$1" "$2" <<'PY'
import json, sys
path, expr = sys.argv[1:]
text = open(path, encoding="utf-8").read()
try:
    d = json.loads(text)
except json.JSONDecodeError:
    d = json.loads([line for line in text.splitlines() if line.startswith("{")][-1])
print(eval(expr, {"d": d}))
PY
}

# tree_key PATH…: changes when the committed or uncommitted content under the paths changes.
tree_key() {
  { for p in "$@"; do git rev-parse "HEAD:$p" 2>/dev/null || echo "$p"; done; git diff HEAD -- "$@" 2>/dev/null; } |
    sha1sum | cut -c1-12
}

size_of() { local total=0 f; for f in "$@"; do [ -e "$f" ] && total=$((total + $(stat -L -c %s "$f"))); done; echo "$total"; }
