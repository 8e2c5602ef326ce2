package io.upm.service.read;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The recent events, in journal order, and the subscribers that receive each new one: the WebSocket stream's memory,
 * so that a client that reconnects with its resume point ({@code from}: the first seq it has not fully seen) gets
 * every event it missed, then the live ones, with nothing lost in between (history and subscription are taken under
 * one lock that the engine thread also takes to append).
 *
 * <p>Keeps the last {@code capacity} events; a resume point older than that is refused (the client is told the
 * oldest seq kept). Appends come from the engine thread only; subscribers from any thread.
 */
public final class EventStream {
    /** One event: its seq, the account it concerns (null for none), whether every key may see it (index, recovered, insurance-fund changes without an account) and its JSON line. */
    public record Entry(long seq, String account, boolean marketWide, String line) {
    }

    /** Receives live entries (called on the engine thread: must only enqueue). */
    public interface Subscriber {
        /** A new entry (already filtered). */
        void accept(Entry e);
    }

    private record Subscription(Predicate<Entry> filter, Subscriber subscriber) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> recent = new ArrayDeque<>();
    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private long dropped;

    /** A stream keeping the last {@code capacity} events. */
    public EventStream(int capacity) {
        this.capacity = capacity;
    }

    /** Appends the events of a batch and hands each to the subscribers whose filter takes it (engine thread). */
    public void append(List<Entry> entries) {
        lock.lock();
        try {
            for (Entry e : entries) {
                recent.addLast(e);
                if (recent.size() > capacity) {
                    recent.removeFirst();
                    dropped++;
                }
                for (Subscription s : subscriptions) {
                    if (s.filter().test(e)) {
                        s.subscriber().accept(e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where a subscription starts.
     *
     * @param oldestKept the oldest seq kept (0 when nothing is kept yet)
     * @param complete   false when events at or after the resume point were already dropped (nothing is then sent)
     */
    public record Start(long oldestKept, boolean complete) {
    }

    /**
     * Subscribes: under the stream's lock (so that no event is lost or sent twice between history and live events),
     * tells {@code onStart} where the subscription starts, hands {@code subscriber} the kept events with seq >=
     * {@code from} that pass {@code filter}, then every new one.
     *
     * @param from        the first seq wanted (0 or 1: everything kept; negative: only new events)
     * @param onStart     called first, with the start
     * @param unsubscribe receives, in element 0, what ends the subscription
     * @return the start
     */
    public Start subscribe(long from, Predicate<Entry> filter, Subscriber subscriber,
                           java.util.function.Consumer<Start> onStart, Runnable[] unsubscribe) {
        lock.lock();
        try {
            long oldest = recent.isEmpty() ? 0 : recent.peekFirst().seq();
            boolean complete = from < 0 || dropped == 0 || from >= oldest;
            Start start = new Start(oldest, complete);
            onStart.accept(start);
            if (!complete) {
                unsubscribe[0] = () -> { };
                return start;
            }
            if (from >= 0) {
                for (Entry e : recent) {
                    if (e.seq() >= from && filter.test(e)) {
                        subscriber.accept(e);
                    }
                }
            }
            Subscription s = new Subscription(filter, subscriber);
            subscriptions.add(s);
            unsubscribe[0] = () -> subscriptions.remove(s);
            return start;
        } finally {
            lock.unlock();
        }
    }

    /** The number of live subscriptions. */
    public int subscriberCount() {
        return subscriptions.size();
    }
}
