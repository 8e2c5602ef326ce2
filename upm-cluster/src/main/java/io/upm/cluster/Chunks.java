package io.upm.cluster;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

/**
 * Bytes too big for one Kafka record (a venue pass's accounts: a crash can put thousands of one partition's accounts
 * below MM at once, and a record must stay under the broker's 1 MB default), cut into pieces of at most
 * {@value #MAX_CHARS} base64 characters: {@code <part> <parts> <base64>}, parts counted from 0. Stateless, but for
 * {@link Assembly}, which one thread owns.
 */
final class Chunks {
    /** The most base64 characters in one piece (192 KiB of bytes). */
    static final int MAX_CHARS = 256 * 1024;

    private Chunks() {
    }

    /** The pieces of these bytes, in order (one at least). */
    static List<String> split(byte[] bytes) {
        return split(bytes, MAX_CHARS);
    }

    /** The pieces of these bytes with at most {@code maxChars} base64 characters each (tests use small ones). */
    static List<String> split(byte[] bytes, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars: must be at least 1, got " + maxChars);
        }
        String all = Base64.getEncoder().encodeToString(bytes);
        int parts = Math.max(1, (all.length() + maxChars - 1) / maxChars);
        List<String> out = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            out.add(p + " " + parts + " " + all.substring(p * maxChars, Math.min(all.length(), (p + 1) * maxChars)));
        }
        return out;
    }

    /** The part number of a piece. */
    static int partOf(String piece) {
        int sp = piece.indexOf(' ');
        if (sp <= 0) {
            throw new IllegalArgumentException("piece: expected '<part> <parts> <base64>'");
        }
        return Integer.parseInt(piece.substring(0, sp));
    }

    /** The pieces of one whole, in any order, each any number of times. */
    static final class Assembly {
        private final TreeMap<Integer, String> parts = new TreeMap<>();
        private int count = -1;

        /**
         * Adds a piece.
         *
         * @return whether every piece is there
         * @throws IllegalArgumentException if the piece is malformed or does not belong with the others
         */
        boolean add(String piece) {
            String[] f = piece.split(" ", 3);
            if (f.length != 3) {
                throw new IllegalArgumentException("piece: expected '<part> <parts> <base64>'");
            }
            int part = Integer.parseInt(f[0]);
            int of = Integer.parseInt(f[1]);
            if (of < 1 || part < 0 || part >= of || (count >= 0 && of != count)) {
                throw new IllegalArgumentException("piece " + part + " of " + of + " does not fit "
                    + (count < 0 ? "" : count + " parts"));
            }
            count = of;
            parts.put(part, f[2]);
            return parts.size() == count;
        }

        /** The whole, once every piece is there. */
        byte[] bytes() {
            if (parts.size() != count) {
                throw new IllegalStateException(parts.size() + " of " + count + " pieces");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder b64 = new StringBuilder();
            parts.values().forEach(b64::append);
            out.writeBytes(Base64.getDecoder().decode(b64.toString()));
            return out.toByteArray();
        }
    }
}
