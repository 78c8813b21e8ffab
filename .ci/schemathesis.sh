#!/usr/bin/env bash
# Schemathesis against a live server: a small demo college in a temporary data folder,
# served by gunicorn (production settings, DEBUG off) on a free 127.0.0.1 port, probed
# through /api/schema/ as a dorm head, a counselor and a leader. Fails on any finding.
#
#   .ci/schemathesis.sh                    # SCHEMATHESIS_MAX_EXAMPLES (default 15) per operation
#   SCHEMATHESIS_MAX_EXAMPLES=50 .ci/schemathesis.sh
#   SCHEMATHESIS_COVERAGE_ROLES=counselor .ci/schemathesis.sh            # adds the boundary-value phase
#   SCHEMATHESIS_ROLES=counselor .ci/schemathesis.sh --include-path-regex reports   # extra options go to schemathesis
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-$PWD/.venv/bin/python}
ST=${SCHEMATHESIS:-$PWD/.venv/bin/schemathesis}
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-15}
# Time bound: random fuzzing (positive and negative data) for every role, ~1,100 requests each.
# The coverage phase (boundary and out-of-range values of every parameter: ~7,000 more requests,
# 9 minutes on a busy 2-core machine) runs for SCHEMATHESIS_COVERAGE_ROLES (e.g. counselor);
# SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful runs everything for everyone.
PHASES=${SCHEMATHESIS_PHASES:-examples,fuzzing}
COVERAGE_ROLES=${SCHEMATHESIS_COVERAGE_ROLES:-}
WORKERS=${SCHEMATHESIS_WORKERS:-2}
ROLES=${SCHEMATHESIS_ROLES:-"dorm_head counselor leader"}

DATA_DIR=$(mktemp -d -t campusgrid-schemathesis-XXXXXX)
export CAMPUSGRID_DATA_DIR="$DATA_DIR"
export PYTHONPATH=$PWD/src
export DJANGO_SETTINGS_MODULE=campusgrid.settings.base
export DEBUG=0 CAMPUSGRID_SECURE_COOKIES=0 CAMPUSGRID_TICK_SECONDS=0
# Many requests from one address and one user: the probe must measure the API, not the throttle.
export CAMPUSGRID_THROTTLE_ANON=100000/min CAMPUSGRID_THROTTLE_USER=100000/min
unset DATABASE_URL  # SQLite in the temporary folder

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

echo "== schemathesis: demo college in $DATA_DIR"
"$PY" -m campusgrid migrate -v0
"$PY" -m campusgrid demo --students 300 >/dev/null
"$PY" -m campusgrid shell -c '
from rest_framework.authtoken.models import Token
from campusgrid.grid.models import Post, PostKind
for role, kind in [("dorm_head", PostKind.DORM_HEAD), ("counselor", PostKind.COUNSELOR), ("leader", PostKind.LEADER)]:
    post = Post.objects.current().filter(kind=kind).select_related("student__user", "staff__user").order_by("pk").first()
    user = (post.student or post.staff).user
    token, _ = Token.objects.get_or_create(user=user)
    print(role, user.username, token.key)
' >"$DATA_DIR/tokens"

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$PY" -m campusgrid serve --bind "127.0.0.1:$PORT" --workers 2 --no-tick --quiet >"$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!
# Up once /healthz answers at all: it is 503 here because this server runs no scheduler (--no-tick).
up() { code=$(curl -s -o /dev/null -w "%{http_code}" "$URL/healthz" 2>/dev/null); [ "$code" = 200 ] || [ "$code" = 503 ]; }
for _ in $(seq 1 120); do up && break; sleep 0.5; done
up || { echo "the server did not start:"; cat "$DATA_DIR/server.log"; exit 1; }

status=0
for role in $ROLES; do
  read -r _ username key < <(grep "^$role " "$DATA_DIR/tokens")
  phases=$PHASES
  if [ -z "${SCHEMATHESIS_PHASES:-}" ] && [[ " $COVERAGE_ROLES " == *" $role "* ]]; then phases=examples,coverage,fuzzing; fi
  echo "== schemathesis as $role ($username): phases $phases, --max-examples $MAX_EXAMPLES"
  # From the temporary folder: Schemathesis keeps its cache (.schemathesis/) in the current one.
  (cd "$DATA_DIR" && "$ST" run "$URL/api/schema/" \
    --header "Authorization: Token $key" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance \
    --max-examples "$MAX_EXAMPLES" \
    --phases "$phases" \
    --workers "$WORKERS" \
    --seed 2026 \
    --no-color \
    --request-timeout 30 \
    --generation-database none \
    "$@") || status=1
done
if [ "$status" -ne 0 ] && grep -q "Traceback" "$DATA_DIR/server.log"; then
  echo "== server log (tracebacks)"; grep -B2 -A30 "Traceback" "$DATA_DIR/server.log" | tail -200
fi
echo "== schemathesis: ${SECONDS}s in all, exit $status"
exit "$status"
