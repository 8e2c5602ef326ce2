/**
 * JMH micro-benchmarks of UPM's hot routines. Build the self-contained jar with
 * {@code ./mvnw -pl upm-bench -am package -DskipTests} and run e.g.
 * {@code java -jar upm-bench/target/upm-benchmarks.jar Black76Benchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 * Each benchmark class holds pre-generated, seeded random inputs in a {@code @State} and cycles
 * through them, so results are repeatable and not constant-folded.
 */
package io.upm.bench;
