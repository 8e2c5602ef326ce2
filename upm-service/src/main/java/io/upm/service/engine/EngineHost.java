package io.upm.service.engine;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventReader;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.Command;
import io.upm.engine.core.MarginEngine;
import io.upm.engine.event.Event;
import io.upm.engine.runtime.EngineRunner;
import io.upm.input.InputException;
import io.upm.margin.AccountMarginCalculator;
import io.upm.margin.MarginCalculator;
import io.upm.margin.MarginResult;
import io.upm.margin.RiskArrays;
import io.upm.margin.WhatIf;
import io.upm.margin.account.AccountState;
import io.upm.margin.joint.GeometryCache;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The service's one engine thread: it owns the {@link EngineRunner} (the engine and its journal) and nothing else
 * touches them. HTTP threads hand it work through a queue and wait on a future:
 * <ul>
 *   <li>{@link #submit}: command lines, journaled (one group commit for everything waiting in the queue) and applied;
 *   the future completes with the events of those commands only (correlated by {@code seq}), after they are
 *   durable;</li>
 *   <li>{@link #whatIf}, {@link #clock}: read-only questions answered on the engine thread from its current state,
 *   between batches, and not journaled (they change nothing; see docs/service.md);</li>
 * </ul>
 * Every event, of every command from any client, also goes to the {@link EventListener} (the read model and the
 * stream), on the engine thread, in journal order. After a batch that moved prices, and at most every
 * {@code revalueMillis}, the engine thread values every account (when there are at most {@code revalueMaxAccounts})
 * and hands the figures to the listener: the engine itself emits {@code margin} events on a price move only for
 * accounts whose status changed.
 *
 * <p>Thread-safe: any thread may call the public methods; only the engine thread touches engine state.
 */
public final class EngineHost implements EngineBackend {
    /** Most queued requests taken into one group commit. */
    static final int MAX_BATCH_REQUESTS = 512;

    private final EngineRunner runner;
    private final EventListener listener;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedCommands = new AtomicLong();
    private final AtomicLong appliedSeq = new AtomicLong();
    private final Thread thread;
    private final long revalueMillis;
    private final int revalueMaxAccounts;
    private final AccountMarginCalculator calc = new AccountMarginCalculator(
        new GeometryCache(AccountMarginCalculator.DEFAULT_GEOMETRY_CAPACITY),
        AccountMarginCalculator.DEFAULT_EXACT_UNITS, AccountMarginCalculator.DEFAULT_LEAF_BUDGET);
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long lastRevalueNanos;
    private boolean pricesMoved;

    /** What the engine thread is asked to do. */
    private sealed interface Work permits Submit, Query, Stop {
    }

    /** Command lines; {@code lines} gets the engine's time now (for commands that leave it to the service). */
    private record Submit(Function<Instant, List<String>> lines, CompletableFuture<Submitted> done, int count)
        implements Work {
    }

    private record Query(Function<MarginEngine, Object> question, CompletableFuture<Object> done) implements Work {
    }

    private record Stop() implements Work {
    }

    /** Receives what the engine thread publishes (called on the engine thread, in order; must not block long). */
    public interface EventListener {
        /**
         * The events of one durable batch, in journal order.
         *
         * @param lines    each event's JSON line
         * @param events   the same, parsed
         * @param times    for each event, the time of the command that caused it (null for a malformed one)
         */
        void events(List<String> lines, List<Event> events, List<Instant> times);

        /**
         * Every account valued at the engine's last valuation time (the market's time).
         *
         * @param lastSeq the seq the figures are as of
         * @param time    the market's time
         * @param figures account id and figures, in id order
         */
        void valuations(long lastSeq, Instant time, List<AccountFigures> figures);

        /**
         * The prices an accepted {@code market} command set (the engine emits no {@code index} event for them).
         *
         * @param seq    the command's seq
         * @param time   its time
         * @param prices asset to USD price
         */
        default void marketPrices(long seq, Instant time, java.util.Map<String, Double> prices) {
        }
    }

    /** An account's figures from a valuation. */
    public record AccountFigures(String account, MarginResult result) {
    }

    private EngineHost(EngineRunner runner, EventListener listener, long revalueMillis, int revalueMaxAccounts) {
        this.runner = runner;
        this.listener = listener;
        this.revalueMillis = revalueMillis;
        this.revalueMaxAccounts = revalueMaxAccounts;
        this.appliedSeq.set(runner.lastSeq());
        this.thread = Thread.ofPlatform().name("upm-service-engine").start(this::loop);
    }

    /**
     * Opens the journal in {@code dir} (creating it with {@code params}, or recovering it) and starts the engine
     * thread. When the journal exists, its events are first replayed into {@code listener} (the read model and the
     * stream's history are rebuilt from them), then the {@code recovered} line is handed out.
     *
     * @param dir                the journal's directory
     * @param params             parameters for a new journal (null: defaults, or the journal's own)
     * @param listener           where events and valuations go
     * @param revalueMillis      least wall time between two valuations of every account
     * @param revalueMaxAccounts no valuations above this many accounts
     * @return the running host
     */
    public static EngineHost open(Path dir, MarginParameters params, EventListener listener, long revalueMillis,
                                  int revalueMaxAccounts) {
        if (Files.isDirectory(dir) && Files.exists(dir.resolve(EngineRunner.PARAMETERS_FILE))) {
            // the commands' times first (events carry none), then the events themselves
            List<Instant> commandTimes = new ArrayList<>();
            List<io.upm.engine.command.MarketCommand> markets = new ArrayList<>();
            try (io.upm.engine.journal.Journal journal = io.upm.engine.journal.Journal.open(dir);
                 io.upm.engine.journal.JournalCursor cursor = journal.readFrom(1)) {
                while (cursor.hasNext()) {
                    var r = cursor.next();
                    ReadResult read = CommandReader.read(r.text());
                    while (commandTimes.size() < r.seq() - 1) {
                        commandTimes.add(null);
                        markets.add(null);
                    }
                    Command c = read instanceof ReadResult.Parsed p ? p.command() : null;
                    commandTimes.add(c == null ? null : c.time());
                    markets.add(c instanceof io.upm.engine.command.MarketCommand m ? m : null);
                }
            }
            List<String> replayed = new ArrayList<>();
            EngineRunner.replay(dir, replayed::add);
            publish(listener, replayed, commandTimes);
            java.util.Set<Long> rejected = new java.util.HashSet<>();
            for (String l : replayed) {
                if (l.contains("\"type\":\"rejected\"")) {
                    rejected.add(EventReader.read(l).seq());
                }
            }
            for (int k = 0; k < markets.size(); k++) {
                if (markets.get(k) != null && !rejected.contains(k + 1L)) {
                    listener.marketPrices(k + 1L, markets.get(k).time(), markets.get(k).fields().prices());
                }
            }
        }
        List<String> recovered = new ArrayList<>();
        EngineRunner runner = EngineRunner.open(dir, params, EngineRunner.DEFAULT_SNAPSHOT_EVERY, recovered::add);
        publish(listener, recovered, null);
        return new EngineHost(runner, listener, revalueMillis, revalueMaxAccounts);
    }

    /** Hands replayed lines to the listener; {@code commandTimes.get(seq - 1)} is the time of command seq, if known. */
    private static void publish(EventListener listener, List<String> lines, List<Instant> commandTimes) {
        if (lines.isEmpty()) {
            return;
        }
        List<Event> events = new ArrayList<>(lines.size());
        List<Instant> times = new ArrayList<>(lines.size());
        for (String l : lines) {
            Event e = EventReader.read(l);
            events.add(e);
            long k = e.seq() - 1;
            times.add(commandTimes != null && k >= 0 && k < commandTimes.size() ? commandTimes.get((int) k) : null);
        }
        listener.events(lines, events, times);
    }

    /**
     * Journals and applies command lines; the future completes with their events once they are durable and applied.
     *
     * @param lines makes the lines on the engine thread from the engine's time now (its clock, or the wall clock to the
     *              second before the first command); must give {@code count} lines
     * @param count how many lines
     */
    @Override
    public CompletableFuture<Submitted> submit(Function<Instant, List<String>> lines, int count) {
        CompletableFuture<Submitted> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the engine is stopped"));
            return done;
        }
        queuedCommands.addAndGet(count);
        queue.add(new Submit(lines, done, count));
        return done;
    }

    /**
     * What {@code upm whatif} would say for the account's positions and balances now, on the engine's market valued at
     * its clock, as the account's report values it ({@link MarginEngine#marketAt}; not journaled, moves nothing).
     *
     * @return empty for an unknown account or before the first market; completes exceptionally with an
     *         {@link InputException} for an order that does not resolve
     */
    @Override
    public CompletableFuture<Optional<WhatIf>> whatIf(String account, List<MarginCalculator.Order> orders) {
        return ask(engine -> {
            AccountState s = engine.account(account);
            RiskArrays u = engine.universe();
            if (s == null || u == null) {
                return Optional.<WhatIf>empty();
            }
            // valued at the engine's clock, as the account's report (a query of that time) values it
            return Optional.of(WhatIf.evaluate(engine.marketAt(engine.clock()), s.toPortfolio(u), orders,
                engine.params()));
        });
    }

    /** The engine's clock now (null before the first command). */
    @Override
    public CompletableFuture<Optional<Instant>> clock() {
        return ask(engine -> Optional.ofNullable(engine.clock()));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> ask(Function<MarginEngine, T> question) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the engine is stopped"));
        } else {
            queue.add(new Query((Function<MarginEngine, Object>) question, done));
        }
        return (CompletableFuture<T>) (CompletableFuture<?>) done;
    }

    /** Commands queued and not yet durable and applied (the journal's lag behind the requests). */
    @Override
    public long queuedCommands() {
        return queuedCommands.get();
    }

    /** The seq of the last applied command. */
    @Override
    public long appliedSeq() {
        return appliedSeq.get();
    }

    /** Whether the engine thread runs (false after a failure or {@link #close}). */
    @Override
    public boolean healthy() {
        return running && failure == null && thread.isAlive();
    }

    /** Why the engine thread stopped, or null. */
    @Override
    public Throwable failure() {
        return failure;
    }

    private void loop() {
        List<Work> works = new ArrayList<>();
        try {
            while (true) {
                Work first = queue.poll(revalueMillis > 0 ? Math.max(10, revalueMillis) : 1000, TimeUnit.MILLISECONDS);
                if (first == null) {
                    maybeRevalue();
                    continue;
                }
                works.clear();
                works.add(first);
                queue.drainTo(works, MAX_BATCH_REQUESTS - 1);
                int i = 0;
                while (i < works.size()) {
                    Work w = works.get(i);
                    if (w instanceof Stop) {
                        failPending(works.subList(i + 1, works.size()));
                        return;
                    }
                    if (w instanceof Query q) {
                        answer(q);
                        i++;
                        continue;
                    }
                    int j = i;
                    List<Submit> group = new ArrayList<>();
                    while (j < works.size() && works.get(j) instanceof Submit s) {
                        group.add(s);
                        j++;
                    }
                    apply(group);
                    i = j;
                }
                maybeRevalue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t; // a broken engine stops rather than computing margins from a corrupt state
            running = false;
        } finally {
            running = false;
            List<Work> left = new ArrayList<>();
            queue.drainTo(left);
            failPending(left);
        }
    }

    private void failPending(List<Work> works) {
        for (Work w : works) {
            IllegalStateException e = new IllegalStateException("the engine is stopped");
            if (w instanceof Submit s) {
                s.done().completeExceptionally(e);
            } else if (w instanceof Query q) {
                q.done().completeExceptionally(e);
            }
        }
    }

    private void answer(Query q) {
        try {
            q.done().complete(q.question().apply(runner.engine()));
        } catch (RuntimeException e) {
            q.done().completeExceptionally(e);
        }
    }

    private Instant now() {
        Instant c = runner.engine().clock();
        return c != null ? c : Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** One group commit for the group's lines, then each request's own events. */
    private void apply(List<Submit> group) {
        Instant now = now();
        List<String> all = new ArrayList<>();
        List<Submit> ok = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (Submit s : group) {
            List<String> lines;
            try {
                lines = s.lines().apply(now);
            } catch (RuntimeException e) {
                queuedCommands.addAndGet(-s.count());
                s.done().completeExceptionally(e);
                continue;
            }
            ranges.add(new int[] {all.size(), all.size() + lines.size()});
            all.addAll(lines);
            ok.add(s);
        }
        if (all.isEmpty()) {
            return;
        }
        long first = runner.lastSeq() + 1;
        List<String> out = new ArrayList<>();
        runner.submit(all, out::add);
        long last = runner.lastSeq();
        // the commands' times, for the read model's history (parsing has no state: the same result as the engine's)
        Instant[] commandTime = new Instant[all.size()];
        io.upm.engine.command.MarketCommand[] markets = new io.upm.engine.command.MarketCommand[all.size()];
        for (int k = 0; k < all.size(); k++) {
            if (CommandReader.read(all.get(k)) instanceof ReadResult.Parsed p) {
                Command c = p.command();
                commandTime[k] = c.time();
                if (c instanceof io.upm.engine.command.MarketCommand mc) {
                    markets[k] = mc;
                }
                pricesMoved |= c instanceof io.upm.engine.command.MarketCommand
                    || c instanceof io.upm.engine.command.QuoteCommand || c instanceof io.upm.engine.command.SettleCommand
                    || c instanceof io.upm.engine.command.FundingCommand;
            }
        }
        List<Event> events = new ArrayList<>(out.size());
        List<Instant> times = new ArrayList<>(out.size());
        for (String line : out) {
            Event e = EventReader.read(line);
            events.add(e);
            long k = e.seq() - first;
            times.add(k >= 0 && k < commandTime.length ? commandTime[(int) k] : null);
        }
        appliedSeq.set(last);
        listener.events(out, events, times);
        java.util.Set<Long> rejected = new java.util.HashSet<>();
        for (Event e : events) {
            if (e instanceof io.upm.engine.event.RejectedEvent) {
                rejected.add(e.seq());
            }
        }
        for (int k = 0; k < all.size(); k++) {
            if (markets[k] != null && !rejected.contains(first + k)) {
                listener.marketPrices(first + k, markets[k].time(), markets[k].fields().prices());
            }
        }
        int at = 0;
        for (int r = 0; r < ok.size(); r++) {
            Submit s = ok.get(r);
            long from = first + ranges.get(r)[0];
            long to = first + ranges.get(r)[1] - 1;
            List<String> mine = new ArrayList<>();
            while (at < events.size() && events.get(at).seq() < from) {
                at++;
            }
            int k = at;
            while (k < events.size() && events.get(k).seq() <= to) {
                mine.add(out.get(k));
                k++;
            }
            queuedCommands.addAndGet(-s.count());
            s.done().complete(new Submitted(from, to, List.copyOf(mine)));
        }
    }

    private void maybeRevalue() {
        if (!pricesMoved || revalueMillis <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastRevalueNanos < revalueMillis * 1_000_000L) {
            return;
        }
        MarginEngine engine = runner.engine();
        RiskArrays u = engine.universe();
        if (u == null || engine.accountCount() > revalueMaxAccounts) {
            pricesMoved = false;
            return;
        }
        List<AccountFigures> figures = new ArrayList<>(engine.accountCount());
        for (String id : engine.accountIds()) {
            AccountState s = engine.account(id);
            calc.compute(u, s.resolve(u), -1);
            figures.add(new AccountFigures(id, calc.result(u)));
        }
        pricesMoved = false;
        lastRevalueNanos = now;
        listener.valuations(runner.lastSeq(), u.market().time(), figures);
    }

    /** Stops the engine thread after the work already queued, then closes the journal. */
    @Override
    public void close() {
        if (thread.isAlive()) {
            queue.add(new Stop());
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
        runner.close();
    }
}
