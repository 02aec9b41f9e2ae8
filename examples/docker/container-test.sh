#!/usr/bin/env bash
# `make container-test`: builds ordrel's image and checks it for real on this machine.
#   1. installs what is missing (Debian's docker.io, mmdebstrap, docker-compose, python3-venv) and
#      starts a Docker engine when none answers (`dockerd --bridge=none --iptables=false`: no
#      bridge, no iptables; containers use --network host), stopping it again at the end;
#   2. makes the two base images when missing (local-bases.sh: no registry needed);
#   3. builds the image and checks its size, the binaries' sizes and that they are stripped;
#   4. checks the compose file (`docker-compose config`) and the Kubernetes manifests against the
#      Kubernetes schemas (kubernetes-validate from PyPI, which carries them: no network);
#   5. runs container_checks.py: traffic, non-root, stats sockets, HEALTHCHECK, USR2 reload, stop.
# Prints one PASS/FAIL line per check and `container-test: N passed, N failed`; exits 1 on a failure.
# Run as root (apt-get, dockerd, mmdebstrap). Work files go to .build/container/.
#   ORDREL_IMAGE   the tag to build (default ordrel:container-test)
#   MAX_ADDED_MB   the most the Dockerfile's layers may add to debian:bookworm-slim (default 40)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$PWD/.build/container
image=${ORDREL_IMAGE:-ordrel:container-test}
max_added_mb=${MAX_ADDED_MB:-40}
mkdir -p "$work"
passed=0
failed=0
result() { # PASS|FAIL name detail
  echo "$1 $2: $3"
  if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

missing=()
for p in docker.io mmdebstrap docker-compose python3-venv; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "container-test: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dockerd_pid=""
stop_engine() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
    echo "container-test: stopped the Docker engine it started"
  fi
}
trap stop_engine EXIT
if ! docker info >/dev/null 2>&1; then
  dockerd --bridge=none --iptables=false >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 300); do docker info >/dev/null 2>&1 && break; sleep 0.1; done
  docker info >/dev/null 2>&1 || { echo "container-test: dockerd did not start, see $work/dockerd.log" >&2; exit 1; }
  echo "container-test: started a Docker engine (pid $dockerd_pid)"
fi

./examples/docker/local-bases.sh

echo "container-test: building $image (log: $work/build.log)"
previous=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
began=$SECONDS
if ! DOCKER_BUILDKIT=0 docker build --network host -t "$image" . >"$work/build.log" 2>&1; then
  tail -30 "$work/build.log"
  result FAIL build "docker build failed, see $work/build.log"
  echo "container-test: $passed passed, $failed failed"
  exit 1
fi
result PASS build "$image in $((SECONDS - began)) s"
# The build stage (4+ GB on the toolchain image, its own layers about 200 MB) and the image this
# tag had before: each run would otherwise leave them behind.
docker image prune -f --filter label=org.ordrel.stage=build >/dev/null
[ -z "$previous" ] || [ "$previous" = "$(docker image inspect -f '{{.Id}}' "$image")" ] || docker rmi "$previous" >/dev/null 2>&1 || true

mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
image_bytes=$(docker image inspect -f '{{.Size}}' "$image")
base_bytes=$(docker image inspect -f '{{.Size}}' debian:bookworm-slim)
added=$((image_bytes - base_bytes))
detail="image $(mb "$image_bytes"), debian:bookworm-slim $(mb "$base_bytes"), the Dockerfile adds $(mb "$added") (at most $max_added_mb MB)"
if [ "$added" -le $((max_added_mb * 1000000)) ]; then result PASS "image size" "$detail"; else result FAIL "image size" "$detail"; fi

copy=$(docker create "$image")
sizes=""
stripped=1
for binary in ordrel ordrelctl; do
  docker cp -q "$copy:/usr/local/bin/$binary" "$work/$binary"
  sizes+="$binary $(mb "$(stat -c %s "$work/$binary")"), "
  file "$work/$binary" | grep -q ', stripped' || stripped=0
done
docker rm "$copy" >/dev/null
sizes+="haproxy $(mb "$(stat -c %s "$(command -v haproxy || echo /usr/sbin/haproxy)" 2>/dev/null || echo 0)") (this machine's, for scale)"
if [ "$stripped" = 1 ]; then result PASS "binaries" "stripped: $sizes"; else result FAIL "binaries" "not stripped: $sizes"; fi

if out=$(docker-compose -f examples/docker/docker-compose.yml config -q 2>&1); then
  result PASS compose "docker-compose config accepts examples/docker/docker-compose.yml"
else
  result FAIL compose "$out"
fi

if [ ! -x "$work/venv/bin/kubernetes-validate" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q kubernetes-validate==1.37.0
fi
k8s_version=1.37.0
if out=$("$work/venv/bin/kubernetes-validate" --strict -k "$k8s_version" examples/kubernetes/*.yaml 2>&1); then
  result PASS kubernetes "$(ls examples/kubernetes/*.yaml | wc -l) manifests valid against the Kubernetes $k8s_version schemas (strict)"
else
  result FAIL kubernetes "$out"
fi

set +e
"$work/venv/bin/python" examples/docker/container_checks.py "$image" "$work" examples/kubernetes/deployment.yaml | tee "$work/checks.out"
set -e
summary=$(tail -1 "$work/checks.out")
if [[ $summary =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
  passed=$((passed + BASH_REMATCH[1]))
  failed=$((failed + BASH_REMATCH[2]))
else
  result FAIL "container checks" "no summary line (container log: $work/container.log)"
fi
echo "container-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
