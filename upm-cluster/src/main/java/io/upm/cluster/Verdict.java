package io.upm.cluster;

import io.upm.engine.core.VenuePass;
import java.util.ArrayList;
import java.util.List;

/**
 * What a partition tells the ingest, on the verdicts topic ({@value ClusterTopics#VERDICTS}), one record each:
 * <ul>
 *   <li>{@link Clock} {@code C <seq> <clock ms>}: its clock after one of its account commands (the command's time when
 *       it was accepted), which the router waits for at a crossing;</li>
 *   <li>{@link Progress} {@code P <partition> <seq>}: the last seq it applied, which the venue's liquidation needs to
 *       know that no partition will hand in more accounts for a pass;</li>
 *   <li>{@link PassRequestPart} {@code R <partition> <seq> <part> <parts> <base64>}: a piece of its accounts for the
 *       venue's liquidation pass of a command ({@link VenuePass.Request}, cut by {@link Chunks}); it holds until the
 *       outcome comes back.</li>
 * </ul>
 * Each is a deterministic function of the committed commands before it, so the ingest may read them uncommitted
 * ({@link Verdicts}).
 */
public sealed interface Verdict {
    /** The wire form. */
    String encode();

    /** An account command's verdict: the owner's clock just after it (epoch ms). */
    record Clock(long seq, long clockMillis) implements Verdict {
        @Override
        public String encode() {
            return "C " + seq + " " + clockMillis;
        }
    }

    /** How far a partition has come: the last seq it applied. */
    record Progress(int partition, long seq) implements Verdict {
        @Override
        public String encode() {
            return "P " + partition + " " + seq;
        }
    }

    /**
     * A piece of a partition's accounts for the venue's pass of a command ({@link Chunks}: {@code <part> <parts>
     * <base64>}); the whole request's seq is also the partition's progress.
     */
    record PassRequestPart(int partition, long seq, String piece) implements Verdict {
        @Override
        public String encode() {
            return "R " + partition + " " + seq + " " + piece;
        }

        /** The pieces of a request, as verdicts. */
        static List<Verdict> of(int partition, VenuePass.Request request) {
            return of(partition, request, Chunks.MAX_CHARS);
        }

        /** The pieces of a request, at most {@code maxChars} base64 characters each. */
        static List<Verdict> of(int partition, VenuePass.Request request, int maxChars) {
            List<Verdict> out = new ArrayList<>();
            for (String piece : Chunks.split(VenuePass.encode(request), maxChars)) {
                out.add(new PassRequestPart(partition, request.seq(), piece));
            }
            return out;
        }
    }

    /**
     * Reads the wire form.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Verdict decode(String wire) {
        if (wire.startsWith("R ")) {
            String[] r = wire.split(" ", 4);
            if (r.length != 4) {
                throw new IllegalArgumentException("verdict: expected 'R <partition> <seq> <piece>'");
            }
            try {
                return new PassRequestPart(Integer.parseInt(r[1]), Long.parseLong(r[2]), r[3]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("verdict: not a number in R " + r[1] + " " + r[2], e);
            }
        }
        String[] f = wire.split(" ", 3);
        if (f.length != 3 || f[0].length() != 1) {
            throw new IllegalArgumentException("verdict: expected '<C|P|R> <a> <b>', got "
                + (wire.length() > 60 ? wire.substring(0, 60) + "..." : wire));
        }
        try {
            return switch (f[0].charAt(0)) {
                case 'C' -> new Clock(Long.parseLong(f[1]), Long.parseLong(f[2]));
                case 'P' -> new Progress(Integer.parseInt(f[1]), Long.parseLong(f[2]));
                default -> throw new IllegalArgumentException("verdict: unknown kind '" + f[0] + "' (expected C, P or R)");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("verdict: not a number in " + wire, e);
        }
    }
}
