package io.upm.engine.core;

import io.upm.engine.codec.EventReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.event.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The venue's liquidation pass (MODEL.md section 11) when the venue's accounts are held by several engines, the
 * cluster's partitions ({@link MarginEngine.Role#PART}): a part stops each accepted command before the pass and, when
 * the pass concerns its accounts (one of them is below MM or waits in the queue), hands them in as a {@link Request};
 * one {@link MarginEngine.Role#VENUE venue} engine, which owns the insurance fund, the cascade guard's budget and the
 * queue, runs the pass on every part's candidates of that seq together, exactly as the single engine runs it on its
 * own accounts, and hands each part back an {@link Outcome}: its accounts after the pass and their events.
 *
 * <p>The records are values; {@link #encode(Request)} and {@link #encode(Outcome)} write them as bytes (states as
 * the engine's binary account format, events as their JSON lines) for the cluster's topics. Stateless and thread-safe.
 */
public final class VenuePass {
    private static final int REQUEST_MAGIC = 0x55505251; // "UPRQ"
    private static final int OUTCOME_MAGIC = 0x5550524F; // "UPRO"

    private VenuePass() {
    }

    /**
     * An account a part hands in.
     *
     * @param account the account id
     * @param changed whether this command changed its liquidation work (it fell below MM, or it waits in the queue and
     *                was re-margined or changed its options): the single engine serves it even when no full pass is due
     * @param state   the account's whole state ({@link MarginEngine#exportAccount})
     */
    public record Candidate(String account, boolean changed, byte[] state) {
    }

    /**
     * A part's accounts for the pass of one command.
     *
     * @param seq        the command's seq
     * @param time       the command's time
     * @param candidates every account of the part that is below MM or waits in the queue, in id order
     * @param waits      whether the part waits for the outcome; false when it knows the pass cannot change its
     *                   accounts (each waits for the cascade guard's budget of this minute: {@link AccountOutcome})
     */
    public record Request(long seq, Instant time, List<Candidate> candidates, boolean waits) {
        /** Copies the list. */
        public Request {
            candidates = List.copyOf(candidates);
        }

        /** A request whose part waits for the outcome. */
        public Request(long seq, Instant time, List<Candidate> candidates) {
            this(seq, time, candidates, true);
        }

        /** The same request, the part not waiting for its outcome. */
        public Request withoutWaiting() {
            return new Request(seq, time, candidates, false);
        }
    }

    /**
     * An account after the pass.
     *
     * @param account       the account id
     * @param queued        whether it still waits in the venue's queue
     * @param state         its whole state after the pass
     * @param blockedMinute the engine-time minute for which the cascade guard's budget leaves it no slice to plan
     *                      ({@link io.upm.engine.liquidation.LiquidationPlanner#blockedByGuard}), Long.MIN_VALUE when
     *                      none: until that minute ends, a pass can change it only if it goes bankrupt, stops being
     *                      below MM, or is taken by an auto-deleveraging
     */
    public record AccountOutcome(String account, boolean queued, byte[] state, long blockedMinute) {
        /** An account with no budget block. */
        public AccountOutcome(String account, boolean queued, byte[] state) {
            this(account, queued, state, Long.MIN_VALUE);
        }
    }

    /**
     * The pass of one command.
     *
     * @param seq        the command's seq
     * @param passMinute the engine-time minute of the venue's last full pass, after this one (a part asks for a pass
     *                   only where one may run: {@link MarginEngine#takePassRequest})
     * @param accounts   the accounts handed in, after the pass, in id order
     * @param events     the pass's events, in the order the single engine emits them
     * @param places     each event's place in the whole pass's events, from 0 (a part's share keeps the places, so
     *                   that a reader of several parts' events can put them in the single engine's order)
     */
    public record Outcome(long seq, long passMinute, List<AccountOutcome> accounts, List<Event> events,
                          List<Integer> places) {
        /** Copies the lists. */
        public Outcome {
            accounts = List.copyOf(accounts);
            events = List.copyOf(events);
            places = List.copyOf(places);
            if (places.size() != events.size()) {
                throw new IllegalArgumentException(places.size() + " places for " + events.size() + " events");
            }
        }

        /** An outcome of the whole pass: its events in their places. */
        public Outcome(long seq, long passMinute, List<AccountOutcome> accounts, List<Event> events) {
            this(seq, passMinute, accounts, events, java.util.stream.IntStream.range(0, events.size()).boxed().toList());
        }

        /** The part of this outcome that concerns the accounts {@code mine} accepts (a partition's share). */
        public Outcome restrictedTo(Predicate<String> mine) {
            List<Event> es = new ArrayList<>();
            List<Integer> ps = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                String a = Event.accountOf(events.get(i));
                if (a != null && mine.test(a)) {
                    es.add(events.get(i));
                    ps.add(places.get(i));
                }
            }
            return new Outcome(seq, passMinute, accounts.stream().filter(a -> mine.test(a.account())).toList(), es, ps);
        }
    }

    /** A request as bytes. */
    public static byte[] encode(Request r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(REQUEST_MAGIC);
            out.writeLong(r.seq());
            out.writeLong(r.time().getEpochSecond());
            out.writeInt(r.time().getNano());
            out.writeBoolean(r.waits());
            out.writeInt(r.candidates().size());
            for (Candidate c : r.candidates()) {
                MarginEngine.writeString(out, c.account());
                out.writeBoolean(c.changed());
                out.writeInt(c.state().length);
                out.write(c.state());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A request from {@link #encode(Request)}'s bytes. */
    public static Request decodeRequest(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            if (in.readInt() != REQUEST_MAGIC) {
                throw new IllegalArgumentException("not a venue pass request");
            }
            long seq = in.readLong();
            Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
            boolean waits = in.readBoolean();
            List<Candidate> cs = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                String account = MarginEngine.readString(in);
                boolean changed = in.readBoolean();
                cs.add(new Candidate(account, changed, in.readNBytes(in.readInt())));
            }
            return new Request(seq, time, cs, waits);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable venue pass request: " + e.getMessage(), e);
        }
    }

    /** An outcome as bytes. */
    public static byte[] encode(Outcome o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(OUTCOME_MAGIC);
            out.writeLong(o.seq());
            out.writeLong(o.passMinute());
            out.writeInt(o.accounts().size());
            for (AccountOutcome a : o.accounts()) {
                MarginEngine.writeString(out, a.account());
                out.writeBoolean(a.queued());
                out.writeLong(a.blockedMinute());
                out.writeInt(a.state().length);
                out.write(a.state());
            }
            out.writeInt(o.events().size());
            for (int i = 0; i < o.events().size(); i++) {
                out.writeInt(o.places().get(i));
                MarginEngine.writeString(out, EventWriter.toJsonLine(o.events().get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An outcome from {@link #encode(Outcome)}'s bytes. */
    public static Outcome decodeOutcome(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            if (in.readInt() != OUTCOME_MAGIC) {
                throw new IllegalArgumentException("not a venue pass outcome");
            }
            long seq = in.readLong();
            long passMinute = in.readLong();
            List<AccountOutcome> as = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                String account = MarginEngine.readString(in);
                boolean queued = in.readBoolean();
                long blocked = in.readLong();
                as.add(new AccountOutcome(account, queued, in.readNBytes(in.readInt()), blocked));
            }
            List<Event> es = new ArrayList<>();
            List<Integer> ps = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                ps.add(in.readInt());
                es.add(EventReader.read(MarginEngine.readString(in)));
            }
            return new Outcome(seq, passMinute, as, es, ps);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable venue pass outcome: " + e.getMessage(), e);
        }
    }
}
