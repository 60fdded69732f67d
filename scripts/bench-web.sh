#!/usr/bin/env bash
# Load benchmark of the web application (docs/BENCHMARKS.md, "Web").
#
#   scripts/bench-web.sh DATABASE_URL [PORT]
#
# DATABASE_URL holds the province-scale ledger written by
#   target/release/zhenggai-bench --database URL --only-import
# (10,000 units fb0…fb9999 of 45 findings). The script adds two unit editors if they are
# missing, starts target/release/zhenggai serve, signs in, and runs wrk (apt install wrk)
# with 64 connections against the unit ledger page, the same as JSON, a finding page and
# recording progress (on 64 other units, so that the pages read stay the same size from
# run to run). It prints start-up time, requests/s, p50/p99 and the server's
# resident memory.
set -euo pipefail
db=${1:?database URL}
port=${2:-8099}
secs=${SECS:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
z=$here/target/release/zhenggai
tmp=$(mktemp -d)
trap 'kill $(cat $tmp/pid) 2>/dev/null || true; rm -rf $tmp' EXIT

pw=bench-password-1
account() { # account LOGIN --unit … : created, or its password set
  local name=$1
  shift
  if "$z" --database "$db" user list | grep -q "^$name "; then
    echo $pw | "$z" --database "$db" user passwd "$name" >/dev/null
  else
    echo $pw | "$z" --database "$db" user add --role unit_editor "$@" "$name" >/dev/null
  fi
}
account reader4000 --unit u4000
units=()
for i in $(seq 5000 5063); do units+=(--unit "u$i"); done
account editor64 "${units[@]}"

start=$(date +%s%N)
"$z" --database "$db" serve --listen 127.0.0.1:$port >"$tmp/log" 2>&1 &
echo $! >"$tmp/pid"
until curl -s -o /dev/null http://127.0.0.1:$port/login; do sleep 0.01; done
echo "start-up: $(( ($(date +%s%N) - start) / 1000000 )) ms"

login() { # login NAME -> "SESSION CSRF"
  local jar=$tmp/jar.$1
  local t
  t=$(curl -s -c "$jar" -b "$jar" http://127.0.0.1:$port/login | grep -o 'name="_csrf" value="[^"]*' | sed 's/.*value="//')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$t" \
    --data-urlencode "login=$1" --data-urlencode "password=$pw" http://127.0.0.1:$port/login
  local s
  s=$(grep zg_session "$jar" | awk '{print $7}')
  echo "$s $(curl -s -H "Cookie: zg_session=$s" http://127.0.0.1:$port/ | grep -o 'name="_csrf" value="[^"]*' | head -1 | sed 's/.*value="//')"
}
read -r s1 _ < <(login reader4000)
read -r s64 c64 < <(login editor64)

run() { # run NAME URL [wrk args…]
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c64 -d${secs}s --latency "$@" "$url")
  printf '%-34s %10s req/s  p50 %9s  p99 %9s  %s\n' "$name" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
}
cookie="Cookie: zg_session=$s1"
curl -sf -o /dev/null -H "$cookie" http://127.0.0.1:$port/feedbacks/fb4000
run "unit ledger page (45 findings)" http://127.0.0.1:$port/feedbacks/fb4000 -H "$cookie"
json="http://127.0.0.1:$port/api/v1/ledger?feedback=fb4000&limit=50"
curl -sf -o /dev/null -H "$cookie" "$json"
run "unit ledger as JSON" "$json" -H "$cookie"
run "finding page" http://127.0.0.1:$port/findings/fb4000.f1 -H "$cookie"
cat >"$tmp/progress.lua" <<LUA
-- Progress on a random in-progress finding (1, 2, 4, 5, 7, …) of 64 units.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "zg_session=$s64"
request = function()
  local u = 5000 + math.random(0, 63)
  local k = math.random(0, 29)
  local f = 1 + math.floor(k / 2) * 3 + (k % 2)
  local body = "_csrf=$c64&action=progress&measure_id=fb" .. u .. ".f" .. f .. ".m" .. math.random(0, 2)
    .. "&text=%E6%8C%89%E8%AE%A1%E5%88%92%E6%8E%A8%E8%BF%9B"
  return wrk.format(nil, "/findings/fb" .. u .. ".f" .. f .. "/do", nil, body)
end
LUA
run "record progress (write + event)" http://127.0.0.1:$port/ -s "$tmp/progress.lua"
echo "server resident memory: $(( $(awk '/VmRSS/ {print $2}' /proc/$(cat $tmp/pid)/status) / 1024 )) MiB (peak $(( $(awk '/VmHWM/ {print $2}' /proc/$(cat $tmp/pid)/status) / 1024 )) MiB)"
"$z" --database "$db" verify | tail -1
