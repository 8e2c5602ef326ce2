# Sourced by ./upm, ./upm-test and .ci/run: sets JAVA_HOME to a JDK >= 21, looking at JAVA_HOME, then
# `java` on PATH, then /usr/lib/jvm/*; returns 1 with a clear message on stderr when there is none.
upm_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/{split($2,v,".");print v[1]}'
}
upm_pick_jdk() {
  local onpath="" h m
  if command -v java >/dev/null 2>&1; then onpath="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; fi
  for h in "${JAVA_HOME:-}" "$onpath" /usr/lib/jvm/*; do
    [ -n "$h" ] && [ -x "$h/bin/javac" ] || continue
    m="$(upm_java_major "$h")"
    if [ -n "$m" ] && [ "$m" -ge 21 ]; then
      export JAVA_HOME="$h"
      return 0
    fi
  done
  echo "upm: no JDK >= 21 found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*). Install e.g. Temurin 21+ and set JAVA_HOME." >&2
  return 1
}
