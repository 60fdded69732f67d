#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every test on SQLite and on a
# throwaway PostgreSQL cluster started here, and the notice scorer when ../shared exists.
set -euo pipefail
cd "$(dirname "$0")/.."
# A one-off build keeps no incremental state: it is no faster for a fresh clone and takes
# about as much disk again as the build itself (a full disk stopped one CI run's linker).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql; install postgresql" >&2
  exit 1
fi

pg_dir=$(mktemp -d /tmp/zhenggai-pg.XXXXXX)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-sync >"$pg_dir/initdb.log"
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
pg_pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
stop_pg() {
  kill -INT "$pg_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
  rm -rf "$pg_dir"
}
trap stop_pg EXIT

export ZHENGGAI_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres"

# The web application's browser test drives Debian's chromium through chromedriver, with
# CJK fonts so that the screenshots show Chinese; installed here when missing (as root).
browser_packages="chromium chromium-driver fonts-noto-cjk"
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "the browser test needs $browser_packages: install them as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y -q $browser_packages >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q $browser_packages >/dev/null; }
fi
export ZHENGGAI_BROWSER=1

# The documents zhenggai writes are opened by real consumers in the tests: LibreOffice
# converts them to PDF, poppler renders pages, openpyxl and python-docx read them back.
office_packages="libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils"
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "the document tests need $office_packages: install them as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y -q $office_packages >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q $office_packages >/dev/null; }
fi
python3 -c "import openpyxl, docx" 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check openpyxl python-docx
export ZHENGGAI_OFFICE=1

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
# Every case on SQLite; then the PostgreSQL cases, which a plain `cargo test` reports as
# ignored (not as passed) because they need the server started above.
cargo test --workspace
cargo test --workspace -- --ignored postgres
# The browser test, also ignored by a plain `cargo test`: the closure workflow in chromium,
# with a screenshot of every page in target/screenshots.
cargo test -p zhenggai-web --test web -- --ignored browser

# Schemathesis (PyPI) against the API's own OpenAPI document on a demo server: no 5xx
# answer, no answer outside its documented statuses, media types and schemas. Bounded by
# the examples an operation (about half a minute on two cores); the seed it prints
# reproduces a failure. The office's token goes with every request; scripts/schemathesis.toml
# gives the accounts' operations an administrator's and the evidence upload a unit editor's.
python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check schemathesis
cargo build --quiet --bin zhenggai
zhenggai="${CARGO_TARGET_DIR:-target}/debug/zhenggai"
st_dir=$(mktemp -d /tmp/zhenggai-st.XXXXXX)
st_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$zhenggai" --data "$st_dir" serve --demo --listen "127.0.0.1:$st_port" >"$st_dir/serve.log" 2>&1 &
st_pid=$!
stop_demo() {
  kill "$st_pid" 2>/dev/null || true
  wait "$st_pid" 2>/dev/null || true
  rm -rf "$st_dir"
}
trap 'stop_demo; stop_pg' EXIT
python3 - "$st_port" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/openapi.json", timeout=1)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("the demo server did not start")
PY
office_token=$("$zhenggai" --data "$st_dir" user token office | head -n 1)
ZG_ADMIN_TOKEN=$("$zhenggai" --data "$st_dir" user token admin | head -n 1)
ZG_EDITOR_TOKEN=$("$zhenggai" --data "$st_dir" user token cgj-editor | head -n 1)
printf 'schemathesis-target\n' | "$zhenggai" --data "$st_dir" user add st-target --role office >/dev/null
ZG_TARGET_USER=$(python3 - "$st_port" "$ZG_ADMIN_TOKEN" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/api/v1/users",
                                 headers={"Authorization": f"Bearer {sys.argv[2]}"})
users = json.load(urllib.request.urlopen(request))
print(next(u["id"] for u in users if u["login"] == "st-target"))
PY
)
export ZG_ADMIN_TOKEN ZG_EDITOR_TOKEN ZG_TARGET_USER
st_start=$(date +%s)
timeout 900 python3 -m schemathesis.cli --no-color --config-file scripts/schemathesis.toml \
  run "http://127.0.0.1:$st_port/api/openapi.json" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  -H "Authorization: Bearer $office_token" --max-examples 25
echo "schemathesis: $(( $(date +%s) - st_start )) s"
stop_demo
trap stop_pg EXIT

# The scorer validates against the notice schema when jsonschema is importable.
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check jsonschema >/dev/null 2>&1 || true

# The notice parser against the annotated development corpus, when ../shared is beside us.
# Complete documents (the seed notice and other/): a summary score of 0.97 and 90% of them
# perfect; partial/ (openings of notices cut at about 2,000 bytes): 0.90. No crash and no
# schema-invalid output anywhere.
if [ -d ../shared/corpus ] && [ -f ../shared/tools/score_notices.py ]; then
  cargo build --release --bin zhenggai
  score() {  # score NAME MIN_SCORE MIN_PERFECT_SHARE DIR...
    local name=$1 min_score=$2 min_perfect=$3
    shift 3
    local summary
    summary=$(python3 ../shared/tools/score_notices.py 'target/release/zhenggai parse' "$@" | tail -n 1)
    echo "$name: $summary"
    python3 - "$summary" "$min_score" "$min_perfect" <<'PY'
import re, sys
m = re.search(r"score ([0-9.]+) perfect (\d+)/(\d+) crashes (\d+) schema_invalid (\d+)", sys.argv[1])
if not m:
    sys.exit("scorer printed no summary")
score, perfect, total, crashes, invalid = float(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5])
min_score, min_perfect = float(sys.argv[2]), float(sys.argv[3])
if score < min_score or (total and perfect < min_perfect * total) or crashes or invalid:
    sys.exit(f"notice parser below the bar ({min_score}, {min_perfect:.0%} perfect): {sys.argv[1]}")
PY
  }
  score complete 0.97 0.9 ../shared/corpus ../shared/corpus/other
  score partial 0.90 0 ../shared/corpus/partial
else
  echo "../shared/corpus not found: notice scorer skipped"
fi
