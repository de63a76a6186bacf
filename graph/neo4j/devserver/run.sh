#!/usr/bin/env bash
# Starts a throwaway Neo4j 5 Community server for chainmap's conformance tests, in the
# foreground, where neither Docker nor Neo4j's download site is available:
#
#   bash graph/neo4j/devserver/run.sh DATA_DIR
#   bash graph/neo4j/devserver/run.sh --build     # only build (fetching Neo4j the first time)
#
# Bolt on 127.0.0.1:${NEO4J_PORT:-7687}, user neo4j, password ${NEO4J_PASSWORD:-chainmap-test},
# authentication on. Prints a line containing bolt:// once it accepts connections; stops
# cleanly on SIGTERM or SIGINT. DATA_DIR is created if missing and kept (delete it for a
# fresh database). Needs Java 17 or 21 and Maven; Maven fetches Neo4j from Maven Central on
# the first build and works from its local repository after that. Heap: NEO4J_HEAP (2g),
# page cache: NEO4J_PAGECACHE_MB (256).
set -euo pipefail
if [ $# -ne 1 ]; then echo "usage: $0 DATA_DIR | --build" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# Neo4j 5.26 runs on Java 17 or 21 only.
jv=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
case "$jv" in
  17|21) ;;
  *) echo "run.sh: Neo4j 5.26 needs Java 17 or 21, $java is Java ${jv:-unknown}; set JAVA_HOME" >&2; exit 1 ;;
esac

# Offline first: after one online build every artifact is in the local repository.
build=(-B -q -f "$here/pom.xml" compile dependency:build-classpath
  -Dmdep.outputFile="$here/target/classpath.txt" -Dmdep.includeScope=runtime)
mvn -o "${build[@]}" >/dev/null 2>&1 || mvn "${build[@]}"
# The classpath goes in a java @argument file, which keeps `ps` readable.
printf -- '-cp "%s:%s"\n' "$here/target/classes" "$(cat "$here/target/classpath.txt")" > "$here/target/java.args"
if [ "$1" = "--build" ]; then exit 0; fi
data=$(mkdir -p "$1" && cd "$1" && pwd)

# The JVM flags a distributed neo4j.conf passes (reflective access for Netty and the
# page cache), so the embedded engine runs as the server product does.
exec "$java" -Xms"${NEO4J_HEAP:-2g}" -Xmx"${NEO4J_HEAP:-2g}" -XX:+UseG1GC \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -Dio.netty.tryReflectionSetAccessible=true -Dfile.encoding=UTF-8 \
  @"$here/target/java.args" \
  chainmap.devserver.DevServer "$data"
