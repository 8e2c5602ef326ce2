package io.upm.engine.journal;

import java.util.zip.CRC32C;

/**
 * The CRC-32C (Castagnoli) of a record or snapshot: over the seq as 8 bytes big-endian, then the bytes, so that a
 * record moved to another seq fails its check as surely as one whose bytes changed. Stateless.
 */
final class RecordChecksum {
    private RecordChecksum() {
    }

    /** The checksum of {@code bytes} at {@code seq}, in [0, 2^32). */
    static long of(long seq, byte[] bytes) {
        CRC32C crc = new CRC32C();
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (seq >>> shift) & 0xFF);
        }
        crc.update(bytes, 0, bytes.length);
        return crc.getValue();
    }
}
