# Shared by bin/* scripts: find the repository, and install what a command needs.
# Sourced, not run. Installs Debian/Ubuntu packages through apt when they are missing and we are root;
# otherwise prints the exact command to run and stops.

LITEFS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# need_packages "cmd:package" ... : each command that is not on PATH (or file that does not exist, when
# the left side starts with /) brings in its package.
need_packages() {
  local missing=()
  local pair what pkg
  for pair in "$@"; do
    what="${pair%%:*}"
    pkg="${pair#*:}"
    if [[ "$what" == /* ]]; then
      [[ -e "$what" ]] || missing+=("$pkg")
    else
      command -v "$what" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  # De-duplicate, keeping order.
  local uniq=() p q seen
  for p in "${missing[@]}"; do
    seen=0
    for q in "${uniq[@]}"; do [[ "$p" == "$q" ]] && seen=1; done
    [[ $seen -eq 0 ]] && uniq+=("$p")
  done
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "litefs: installing ${uniq[*]} with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${uniq[@]}" >&2
  else
    echo "litefs: missing packages: ${uniq[*]}" >&2
    echo "litefs: install them first:  sudo apt-get install -y ${uniq[*]}" >&2
    exit 3
  fi
}

# need_java: a JDK 17 or newer and Maven.
need_java() {
  local v=""
  if command -v java >/dev/null 2>&1; then
    v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  if [[ -z "$v" || "${v%%.*}" -lt 17 ]] || ! command -v javac >/dev/null 2>&1; then
    need_packages "/nonexistent-jdk:openjdk-17-jdk-headless"
  fi
  need_packages "mvn:maven"
}

# cli_jar: path of the self-contained CLI jar, built when missing or older than the core's sources.
cli_jar() {
  local jar
  jar=$(ls "$LITEFS_ROOT"/litefs-core/target/litefs-core-*-cli.jar 2>/dev/null | head -n 1)
  if [[ -z "$jar" ]] || [[ -n "$(find "$LITEFS_ROOT/litefs-core/src/main" "$LITEFS_ROOT/templates/src/main" "$LITEFS_ROOT/litefs-core/pom.xml" "$LITEFS_ROOT/pom.xml" -newer "$jar" -print -quit)" ]]; then
    echo "litefs: building the CLI jar (mvn -pl litefs-core package)..." >&2
    (cd "$LITEFS_ROOT" && mvn -q -B -pl litefs-core -am -DskipTests package >&2) || {
      echo "litefs: the build failed; run 'mvn -pl litefs-core -am package' to see why" >&2
      exit 1
    }
    jar=$(ls "$LITEFS_ROOT"/litefs-core/target/litefs-core-*-cli.jar | head -n 1)
  fi
  echo "$jar"
}
