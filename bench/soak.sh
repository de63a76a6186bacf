#!/usr/bin/env bash
# Bounded load/soak test of `chainmap serve` (issue "Reliability: Load").
#
#   bash bench/soak.sh [--duration 60s] [--connections 32] [--threads 2] [--write-every 20]
#                      [--p99-goal MS] [--no-result-cache]
#
#   --p99-goal MS      also a check: wrk's p99 latency must be under MS (the goal is
#                      50 ms at 64 connections; off by default, so a loaded CI
#                      machine checks correctness, not speed)
#   --no-result-cache  serve recomputes every read (the writes then only add load)
#
# What it does:
#   1. builds chainmap once into a temp dir, starts `chainmap serve` on a free loopback
#      port with a fresh store (--db, --auth-db in the temp dir), which loads the
#      Zhenjiang demo, and issues an editor API token with the CLI;
#   2. requests every read of bench/soak.lua once (each must be a 200), records the
#      demo's project counts, then runs Debian's wrk (apt-get install -y wrk) with
#      bench/soak.lua: 95 % GETs of analysis/data endpoints, 5 % writes (creating
#      projects SOAK-<thread>-<n> and moving them negotiating → signed). Each write
#      empties the server's analysis result cache, so reads keep recomputing;
#   3. samples the server's VmRSS every second while wrk runs;
#   4. checks, and exits 1 if any check fails (2 for usage, 3 if it cannot run):
#      - errors:   wrk saw no socket error (connect/read/write/timeout; wrk --timeout
#                  10s) and every response was 2xx. A 4xx is a bug in soak.lua or the
#                  server, never expected load shedding; soak.lua prints its body.
#      - memory:   max RSS over the last third of the samples <= 1.25 x max RSS over
#                  the middle third + 30 MB. The first third is warm-up (caches, GC
#                  heap goal) and excluded. The slack is for what is not a leak: the
#                  Go heap runs up to 2x its live size before a GC (GOGC=100) and freed
#                  pages go back to the OS lazily, so RSS jitters by tens of percent
#                  from one GC cycle to the next; and the data grow on purpose (every
#                  create adds a project to the snapshot, the project list and the KPI
#                  results), a few MB per thousand projects. A leak per request fails
#                  it once it exceeds ~(0.25 x RSS + 30 MB) per third of the run, so a
#                  longer --duration is a finer test; the RSS slope over the last two
#                  thirds is printed (MB/min) to watch between runs.
#      - writes:   no acknowledged write is lost. The project total the API reports
#                  after the run = demo projects + stored creates, where every 201 is
#                  stored and nothing beyond what was sent: created(201) <= new <=
#                  sent. A create still in flight when wrk stops has no answer but may
#                  be stored, hence the range; the same for transitions (stage=signed).
#      - audit:    every stored create and transition has its audit entry with its
#                  2xx status (bench/soak_audit.go pages through the whole audit log
#                  after the run: GET /api/v1/audit shows only the latest 1000);
#      - server:   no ERROR line or panic in the server's log, and its /metrics count
#                  no non-2xx response. Exception: wrk stops with up to one request
#                  per connection in flight and closes those connections; the server
#                  counts them as 499 (client went away). Those are tolerated, up to
#                  one per connection;
#      - shutdown: SIGTERM makes the server exit 0 within 20 s;
#      - reopen:   `chainmap projects list` on the store afterwards counts what the
#                  API reported; `chainmap backup` + `chainmap restore` (which runs
#                  PRAGMA integrity_check and foreign_key_check) pass on it.
#   5. prints a summary block and a Markdown table row for docs/benchmarks.md.
#
# Default: 60 s of load; with the build the script takes 80-110 s on 2 vCPU (cold Go
# build cache: add ~1 min). Everything runs in a temp dir that is removed on any exit
# (SOAK_KEEP=1 keeps it, for the server log and the RSS samples).
set -u -o pipefail

duration=60s
p99_goal=""
serve_flags=()
connections=32
threads=2
write_every=20
usage="usage: bash bench/soak.sh [--duration 60s] [--connections 32] [--threads 2] [--write-every 20] [--p99-goal MS] [--no-result-cache]"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-result-cache) serve_flags+=(--no-result-cache); shift; continue ;;
    --duration|--connections|--threads|--write-every|--p99-goal)
      [ $# -ge 2 ] || { echo "soak.sh: $1 needs a value" >&2; exit 2; }
      v="$2"; k="${1#--}"; shift 2 ;;
    --duration=*|--connections=*|--threads=*|--write-every=*|--p99-goal=*)
      v="${1#*=}"; k="${1%%=*}"; k="${k#--}"; shift ;;
    -h|--help) sed -n '2,50p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument $1" >&2; echo "$usage" >&2; exit 2 ;;
  esac
  case "$k" in
    duration) duration="$v" ;;
    connections) connections="$v" ;;
    threads) threads="$v" ;;
    write-every) write_every="$v" ;;
    p99-goal) p99_goal="$v" ;;
  esac
done
secs=""
if [[ "$duration" =~ ^([0-9]+)([smh]?)$ ]]; then
  case "${BASH_REMATCH[2]}" in
    h) secs=$(( 10#${BASH_REMATCH[1]} * 3600 )) ;;
    m) secs=$(( 10#${BASH_REMATCH[1]} * 60 )) ;;
    *) secs=$(( 10#${BASH_REMATCH[1]} )); duration="${secs}s" ;;
  esac
fi
[ -n "$secs" ] || { echo "soak.sh: --duration must be like 60s, 3m or 1h" >&2; exit 2; }
for pair in "connections:$connections" "threads:$threads" "write-every:$write_every"; do
  case "${pair#*:}" in ''|*[!0-9]*|0) echo "soak.sh: --${pair%%:*} must be a positive integer" >&2; exit 2 ;; esac
done
if [ -n "$p99_goal" ]; then
  case "$p99_goal" in ''|*[!0-9]*|0) echo "soak.sh: --p99-goal must be a positive whole number of ms" >&2; exit 2 ;; esac
fi
[ "$connections" -ge "$threads" ] || { echo "soak.sh: --connections must be at least --threads" >&2; exit 2; }
[ "$write_every" -ge 2 ] || { echo "soak.sh: --write-every must be at least 2" >&2; exit 2; }
[ "$secs" -ge 6 ] || { echo "soak.sh: --duration must be at least 6s (the memory check needs samples)" >&2; exit 2; }

wrk_bin="${SOAK_WRK:-$(command -v wrk || true)}"
if [ -z "$wrk_bin" ] || [ ! -x "$wrk_bin" ]; then
  echo "soak.sh: wrk is not installed (Debian/Ubuntu: sudo apt-get install -y wrk)" >&2
  exit 3
fi
for tool in curl go awk; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool is required" >&2; exit 3; }
done

root="$(cd "$(dirname "$0")/.." && pwd)"
lua="$root/bench/soak.lua"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/chainmap-soak.XXXXXX")"
bin="$tmp/chainmap"
db="$tmp/soak.db"
authdb="$tmp/soak-auth.db"
pid=""
sampler=""
wrk_pid=""

cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  fi
  wait 2>/dev/null
  if [ -n "${SOAK_KEEP:-}" ]; then echo "soak.sh: kept $tmp (server log, rss.txt, wrk.out)" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() { echo "soak.sh: $*" >&2; exit 3; }
log() { echo "== $*" >&2; }
cm() { "$bin" --db "$db" --auth-db "$authdb" "$@"; }

t0=$(date +%s)
log "building chainmap"
(cd "$root" && go build -o "$bin" ./cmd/chainmap && go build -o "$tmp/soak-audit" bench/soak_audit.go) ||
  die "go build failed"
build_s=$(( $(date +%s) - t0 ))

log "editor user and token"
CHAINMAP_PASSWORD="soak-$$-$RANDOM-password" cm users add soak --role editor >/dev/null || die "users add failed"
token="$(cm users token soak --label soak 2>/dev/null)" || die "users token failed"
[ -n "$token" ] || die "users token printed nothing"

log "starting the server"
# Request lines with a 2xx status are dropped from the log (hundreds of thousands of
# them); everything else (warnings, errors, non-2xx requests) is kept.
# Run the binary itself in the background (not through cm, a function, which would
# fork a subshell): $! must be the server's pid for the RSS samples and SIGTERM.
"$bin" --db "$db" --auth-db "$authdb" serve --addr 127.0.0.1:0 ${serve_flags[@]+"${serve_flags[@]}"} >"$tmp/server.out" \
  2> >(awk '/ msg=request / && / status=2[0-9][0-9]( |$)/ { next } { print; fflush() }' >"$tmp/server.log") &
pid=$!
addr=""
for _ in $(seq 300); do
  addr="$(sed -n 's#.*listening: http://\([^/]*\)/.*#\1#p' "$tmp/server.out" 2>/dev/null | head -n1)"
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$addr" ]; then
  cat "$tmp/server.out" "$tmp/server.log" >&2
  die "the server did not start"
fi
base="http://$addr"
log "server pid $pid on $base"

auth=(-H "Authorization: Bearer $token")
get() { curl -fsS --max-time 30 "${auth[@]}" "$base$1"; }
total() { get "$1" | sed -n 's/.*"total":\([0-9][0-9]*\).*/\1/p'; }

# Every read soak.lua makes must work before the load starts.
mapfile -t reads < <(sed -n 's/^  "\(\/api\/[^"]*\)",$/\1/p' "$lua")
[ "${#reads[@]}" -ge 5 ] || die "could not read the request list from $lua"
for p in "${reads[@]}"; do
  code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "${auth[@]}" "$base$p")"
  [ "$code" = 200 ] || die "preflight: GET $p answered $code (fix the request list in soak.lua)"
done
projects0="$(total '/api/v1/projects?page_size=1')"
signed0="$(total '/api/v1/projects?stage=signed&page_size=1')"
[ -n "$projects0" ] && [ -n "$signed0" ] || die "could not count the demo projects"
log "demo: $projects0 projects ($signed0 signed); ${#reads[@]} reads checked"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
rss_start="$(rss_kb "$pid")"
(
  start=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(rss_kb "$pid")"
    sleep 1
  done
) >"$tmp/rss.txt" &
sampler=$!

log "wrk -t$threads -c$connections -d$duration, one write in $write_every"
# In the background and waited for: bash runs a trap only between commands, and wait
# is interrupted by a signal, so an INT or TERM stops the run at once.
SOAK_TOKEN="$token" SOAK_WRITE_EVERY="$write_every" \
  "$wrk_bin" -t"$threads" -c"$connections" -d"$duration" --timeout 10s -s "$lua" "$base" \
  >"$tmp/wrk.out" 2>"$tmp/wrk.err" &
wrk_pid=$!
wait "$wrk_pid"
wrk_rc=$?
wrk_pid=""
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null; sampler=""
grep -v '^SOAK ' "$tmp/wrk.out" >&2
[ -s "$tmp/wrk.err" ] && sed 's/^/wrk: /' "$tmp/wrk.err" >&2
grep -q '^SOAK requests ' "$tmp/wrk.out" || die "wrk failed (exit $wrk_rc)"
val() { awk -v k="$1" '$1 == "SOAK" && $2 == k { print $3 }' "$tmp/wrk.out"; }

sleep 1 # let requests wrk abandoned at the end finish on the server
projects1="$(total '/api/v1/projects?page_size=1')"
signed1="$(total '/api/v1/projects?stage=signed&page_size=1')"
metrics="$(get /metrics)" || metrics=""
rss_end="$(rss_kb "$pid")"

log "SIGTERM"
kill -TERM "$pid"
stopped=""
for _ in $(seq 200); do
  kill -0 "$pid" 2>/dev/null || { stopped=1; break; }
  sleep 0.1
done
if [ -n "$stopped" ]; then
  wait "$pid"; server_rc=$?
else
  kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; server_rc="timeout"
fi
pid=""
wait 2>/dev/null # the log filter
# The audit log of the run (bench/soak_audit.go pages through all of it).
"$tmp/soak-audit" "$authdb" >"$tmp/audit.txt" 2>&1 || cat "$tmp/audit.txt" >&2
audit() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/audit.txt"; }
audit_created="$(audit created)"; audit_advanced="$(audit advanced)"; audit_failed="$(audit failed)"
list_count() { "$bin" --db "$1" projects list --format json 2>/dev/null | grep -c '^    "id": "'; }
projects_cli="$(list_count "$db")"
mkdir -p "$tmp/verify"
integrity="fail"
if cm backup --out "$tmp/verify/backup.db" >/dev/null 2>"$tmp/verify.err" &&
   "$bin" --db "$tmp/verify/restored.db" restore "$tmp/verify/backup.db" >/dev/null 2>>"$tmp/verify.err"; then
  projects_restored="$(list_count "$tmp/verify/restored.db")"
  [ "$projects_restored" = "$projects_cli" ] && integrity="ok" || integrity="fail (restored copy has $projects_restored projects)"
else
  integrity="fail ($(tr '\n' ' ' <"$tmp/verify.err"))"
fi

# ---- verdicts
fails=0
verdict() { # name ok(0/1) detail
  if [ "$2" = 1 ]; then printf '  PASS  %-9s %s\n' "$1" "$3"; else printf '  FAIL  %-9s %s\n' "$1" "$3"; fails=$((fails + 1)); fi
}

requests="$(val requests)"; dur_us="$(val duration_us)"
socket_errs=$(( $(val err_connect) + $(val err_read) + $(val err_write) + $(val err_timeout) ))
other="$(val responses_other)"
statuses="$(val statuses)"
created="$(val created)"; sent_c="$(val sent_creates)"
advanced="$(val advanced)"; sent_t="$(val sent_transitions)"
new=$(( projects1 - projects0 )); newsigned=$(( signed1 - signed0 ))
rps="$(awk -v r="$requests" -v d="$dur_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')"
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
p50="$(ms "$(val lat_p50_us)")"; p90="$(ms "$(val lat_p90_us)")"; p99="$(ms "$(val lat_p99_us)")"; pmax="$(ms "$(val lat_max_us)")"

# RSS: samples in KB; thirds by sample index.
read -r n mid_max last_max peak slope < <(awk '
  NF == 2 && $2 != "" { t[n] = $1; r[n] = $2; n++ }
  END {
    a = int(n / 3); b = int(2 * n / 3)
    for (i = 0; i < n; i++) {
      if (r[i] > peak) peak = r[i]
      if (i >= a && i < b && r[i] > mid) mid = r[i]
      if (i >= b && r[i] > last) last = r[i]
    }
    # least-squares slope over the last two thirds, KB/s
    for (i = a; i < n; i++) { k++; sx += t[i]; sy += r[i]; sxx += t[i] * t[i]; sxy += t[i] * r[i] }
    slope = (k > 1 && k * sxx - sx * sx != 0) ? (k * sxy - sx * sy) / (k * sxx - sx * sx) : 0
    printf "%d %d %d %d %.3f\n", n, mid, last, peak, slope
  }' "$tmp/rss.txt")
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
limit_kb=$(awk -v m="$mid_max" 'BEGIN { printf "%d", m * 1.25 + 30 * 1024 }')
slope_mb_min="$(awk -v s="$slope" 'BEGIN { printf "%+.1f", s * 60 / 1024 }')"

# Server-side view of the run: non-2xx responses the server counted.
server_bad="$(printf '%s\n' "$metrics" | awk '
  /^chainmap_http_requests_total\{/ && !/status="2[0-9][0-9]"/ { s += $NF } END { printf "%d", s }')"
# wrk stops with requests in flight and closes their connections: the server answers
# those 499 (client went away) and logs them at Info. They are counted apart and
# tolerated, at most one per connection; any other non-2xx or ERROR line is not.
canceled="$(printf '%s\n' "$metrics" | awk '/^chainmap_http_requests_total\{/ && /status="499"/ { s += $NF } END { printf "%d", s }')"
server_bad_detail="$(printf '%s\n' "$metrics" | grep '^chainmap_http_requests_total{' | grep -v 'status="2[0-9][0-9]"' |
  sed 's/^chainmap_http_requests_total//' | tr '\n' ' ')"
log_errors="$(grep -c 'level=ERROR\|panic' "$tmp/server.log")"

echo
echo "soak: chainmap at $root, $(nproc) vCPU ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), Go build ${build_s}s"
echo "      wrk -t$threads -c$connections -d$duration --timeout 10s, one write in $write_every (creates + transitions), Bearer token${serve_flags[@]+, serve ${serve_flags[*]}}"
verdict errors "$([ "$socket_errs" = 0 ] && [ "$other" = 0 ] && echo 1)" \
  "socket errors $socket_errs (connect $(val err_connect), read $(val err_read), write $(val err_write), timeout $(val err_timeout)); statuses $statuses"
verdict memory "$([ "$n" -ge 6 ] && [ "$last_max" -le "$limit_kb" ] && echo 1)" \
  "$n samples; max RSS middle third $(mb "$mid_max") MB, last third $(mb "$last_max") MB (limit $(mb "$limit_kb") MB); slope $slope_mb_min MB/min over the last two thirds"
verdict writes "$([ "$created" -gt 0 ] && [ "$created" -le "$new" ] && [ "$new" -le "$sent_c" ] && [ "$advanced" -le "$newsigned" ] && [ "$newsigned" -le "$sent_t" ] && echo 1)" \
  "projects $projects0 -> $projects1: +$new stored, $created acknowledged (201), $sent_c sent; signed +$newsigned stored, $advanced acknowledged, $sent_t sent"
verdict audit "$([ "$audit_created" = "$new" ] && [ "$audit_advanced" = "$newsigned" ] && echo 1)" \
  "audit log: $audit_created creates (stored $new), $audit_advanced transitions (stored $newsigned); $audit_failed failed writes"
verdict server "$([ "$log_errors" = 0 ] && [ $((server_bad - canceled)) = 0 ] && [ "$canceled" -le "$connections" ] && echo 1)" \
  "log errors/panics $log_errors; non-2xx counted by /metrics $server_bad ${server_bad_detail}($canceled of them 499: requests wrk abandoned at the end, tolerated)"
verdict shutdown "$([ "$server_rc" = 0 ] && echo 1)" "SIGTERM -> exit $server_rc"
if [ -n "$p99_goal" ]; then
  verdict latency "$(awk -v p="$p99" -v g="$p99_goal" 'BEGIN { if (p < g) print 1 }')" "p99 $p99 ms (goal < $p99_goal ms, as wrk measures it)"
fi
verdict reopen "$([ "$projects_cli" = "$projects1" ] && [ "$integrity" = ok ] && echo 1)" \
  "projects list after restart $projects_cli (API said $projects1); backup+restore integrity check $integrity"
if [ "$log_errors" != 0 ]; then
  echo "  server log (errors):"; grep 'level=ERROR\|panic' "$tmp/server.log" | head -n 10 | sed 's/^/    /'
fi
result="PASS"; [ "$fails" = 0 ] || result="FAIL ($fails)"

echo
echo "duration        $(awk -v d="$dur_us" 'BEGIN { printf "%.1f s", d / 1e6 }')"
echo "requests        $requests ($rps req/s)"
echo "latency         p50 $p50 ms, p90 $p90 ms, p99 $p99 ms, max $pmax ms"
echo "writes ok       $created creates, $advanced transitions"
echo "RSS             start $(mb "$rss_start") MB, peak $(mb "$peak") MB, end $(mb "$rss_end") MB"
echo "verdict         $result"
echo
echo "| date | vCPU | wrk | duration | requests | req/s | p50 ms | p99 ms | writes ok | RSS start/peak/end MB | result |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
echo "| $(date +%F) | $(nproc) | -t$threads -c$connections, 1/$write_every writes${serve_flags[@]+, ${serve_flags[*]}} | $duration | $requests | $rps | $p50 | $p99 | $((created + advanced)) | $(mb "$rss_start")/$(mb "$peak")/$(mb "$rss_end") | $result |"
[ "$fails" = 0 ] || exit 1
exit 0
