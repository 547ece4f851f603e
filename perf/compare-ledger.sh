#!/usr/bin/env bash
# LedgerBenchmark of this tree and of an older revision, on this machine, in one run: builds the older revision's
# benchmarks jar in a temporary git worktree, then runs each jar's LedgerBenchmark in turn, ROUNDS times, so that
# both see the same machine state. Before and after each round it prints what a random read of memory costs then
# (MemoryBenchmark, this tree's jar), so that a round on a slower moment of a shared machine shows as one. Prints
# JMH's result lines of every run, prefixed by the revision, then a summary: per revision and benchmark, the median
# score of the rounds, their range, and how many reached 10M ops/s.
#
#   perf/compare-ledger.sh [OLD_REVISION] [ROUNDS] [JMH options...]
#
# OLD_REVISION defaults to the last revision of protocol version 1 (64-bit ids). Needs the git history (a full
# clone) and the Maven wrapper's repository; run it on a quiet machine.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
old="${1:-e8a5879}"
rounds="${2:-2}"
shift $(( $# > 2 ? 2 : $# ))
jmh_options=("$@")
if [ ${#jmh_options[@]} -eq 0 ]; then
    jmh_options=(-f 1 -wi 3 -i 5 -prof gc)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/paycore-compare-XXXXXX")"
cleanup()
{
    git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

new_rev="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . || echo '+changes')"
old_rev="$(git -C "$root" rev-parse --short "$old")"
echo "building benchmarks.jar of $new_rev (this tree) and of $old_rev" >&2
(cd "$root" && ./mvnw -B -q -o -pl perf -am package -Dmaven.test.skip=true)
git -C "$root" worktree add -q --detach "$work/old" "$old"
(cd "$work/old" && ./mvnw -B -q -o -pl perf -am package -Dmaven.test.skip=true)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
# The machine's own state, which moves from one round to the next on a shared host: what one random read of a 64 MiB
# array (the size of the ledger's transfer index here) costs when the CPU overlaps the reads.
memory_ns()
{
    java -jar "$root/perf/target/benchmarks.jar" '\.MemoryBenchmark\.independentRead' -p sizeMiB=64 \
        -f 1 -wi 1 -i 2 -w 1 -r 1 2>&1 \
        | awk '/^MemoryBenchmark\.independentRead / {
            for (i = 1; i <= NF; i++) if ($i == "avgt") { print $(i + 2); exit }
        }'
}

for round in $(seq 1 "$rounds"); do
    echo "round $round memory before: $(memory_ns) ns a random read (MemoryBenchmark.independentRead, 64 MiB)"
    for side in new old; do
        if [ "$side" = new ]; then jar="$root/perf/target/benchmarks.jar"; rev="$new_rev"; else jar="$work/old/perf/target/benchmarks.jar"; rev="$old_rev"; fi
        java -jar "$jar" '\.LedgerBenchmark\.' "${jmh_options[@]}" 2>&1 \
            | grep -E '^LedgerBenchmark\.[a-zA-Z]+(:gc\.alloc\.rate\.norm)? ' \
            | sed "s/^/round $round $rev /" \
            | tee -a "$work/results"
    done
    echo "round $round memory after: $(memory_ns) ns"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Per revision and benchmark: the median of the rounds' scores, their range, and how many reached 10M ops/s (the
# single-transfer target), the parameter values (a revision without the parameter has none) part of the key. The
# score is the first decimal after "thrpt" (JMH prints the count, when there is one, as a whole number before it),
# wherever the parameter columns put it.
echo "summary (ops/s over $rounds round(s); >=10M: rounds at or above 10,000,000):"
grep -vF ':gc.alloc' "$work/results" 2>/dev/null | awk '
    {
        score = -1
        for (i = 4; i <= NF; i++) if ($i == "thrpt") break
        t = i
        for (i++; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+$/) { score = $i + 0; break }
        if (score < 0) next
        key = $3 " " $4; for (k = 5; k < t; k++) key = key " " $k; n[key]++; v[key, n[key]] = score; if (score >= 10000000) hit[key]++
    }
    END {
        for (key in n) {
            m = n[key]
            for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[key, j] < v[key, i]) { t = v[key, i]; v[key, i] = v[key, j]; v[key, j] = t }
            median = m % 2 ? v[key, (m + 1) / 2] : (v[key, m / 2] + v[key, m / 2 + 1]) / 2
            printf "  %-50s median %12.0f  range %12.0f .. %12.0f  >=10M %d of %d\n", key, median, v[key, 1], v[key, m], hit[key], m
        }
    }' | sort
