package io.upm.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One record of the commands topic: an input line with the global sequence number the ingest gave it, and what the
 * partition that receives it does with it. The sequence number is the line's position in the input, counted from 1
 * over every line (malformed ones included): exactly the journal position the single-node {@code upm engine} gives
 * the same line, so every event carries the same {@code seq} in both.
 *
 * <p>Wire form (UTF-8): {@code <seq> <kind letter> <line>}, e.g. {@code 17 A {"type":"deposit",...}}. A tick
 * carries the time of the command it stands for instead of a line, a clock record the venue's clock.
 *
 * @param seq  the global sequence number, at least 1
 * @param kind what the receiving partition does with it
 * @param line the input line as given (a tick: the command's time, ISO-8601)
 */
public record SequencedCommand(long seq, Kind kind, String line) {

    /** What the partition that receives a record does with it. */
    public enum Kind {
        /** A well-formed command of one account: applied by the partition that owns the account. */
        ACCOUNT('A'),
        /** A market-wide command ({@code market}, {@code quote}, {@code funding}, {@code settle}, {@code snapshot}): sent to every partition. */
        BROADCAST('B'),
        /**
         * Another partition's account command that the owner accepted and at which time does something (a new minute,
         * a re-pricing, an expiry, a quote going stale): only its time passes here, at its seq.
         */
        TICK('T'),
        /**
         * The venue's clock (the time of the last accepted command), sent just before a command of the same seq whose
         * time is earlier than it, so that the receiving partition rejects that command for its time as the single
         * engine does. Moves this partition's clock only; not counted as the record of its seq.
         */
        CLOCK('C'),
        /**
         * An instrument another partition's accepted command listed (an order or a fill naming it first): listed here
         * too, after the other records of its seq, so that every partition values, checks and settles the same
         * instruments. The line is the instrument's name. Not counted as the record of its seq.
         */
        LIST('L'),
        /** A line that is no valid command: its {@code rejected} event comes from one partition. */
        MALFORMED('M'),
        /**
         * The venue's liquidation pass of the command of its seq, for the accounts this partition handed in
         * ({@link io.upm.engine.core.VenuePass.Outcome}; the line is one piece of its bytes, {@code <part> <parts>
         * <base64>}, {@link Chunks}): the partition holds every later record until every piece has arrived
         * (docs/cluster.md, "Liquidation"). Not counted as the record of its seq.
         */
        PASS('P');

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        /** The one-letter wire code. */
        public char letter() {
            return letter;
        }

        static Kind ofLetter(char c) {
            for (Kind k : values()) {
                if (k.letter == c) {
                    return k;
                }
            }
            throw new IllegalArgumentException("record kind: unknown letter '" + c + "' (expected A, B, T, C, L, M or P)");
        }
    }

    /** Checks the fields. */
    public SequencedCommand {
        if (seq < 1) {
            throw new IllegalArgumentException("seq: must be at least 1, got " + seq);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(line, "line");
    }

    /** The wire form, as a string. */
    public String encode() {
        return seq + " " + kind.letter + " " + line;
    }

    /** The wire form, as UTF-8 bytes. */
    public byte[] toBytes() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads the wire form.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static SequencedCommand decode(String wire) {
        Objects.requireNonNull(wire, "record");
        int a = wire.indexOf(' ');
        if (a <= 0 || wire.length() < a + 3 || wire.charAt(a + 2) != ' ') {
            throw new IllegalArgumentException("record: expected '<seq> <kind> <line>', got "
                + (wire.length() > 60 ? wire.substring(0, 60) + "..." : wire));
        }
        long seq;
        try {
            seq = Long.parseLong(wire.substring(0, a));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seq: not a number: " + wire.substring(0, a));
        }
        return new SequencedCommand(seq, Kind.ofLetter(wire.charAt(a + 1)), wire.substring(a + 3));
    }
}
