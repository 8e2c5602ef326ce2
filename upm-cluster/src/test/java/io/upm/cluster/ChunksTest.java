package io.upm.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bytes cut into pieces for Kafka records, and put together again whatever the order and the repeats. */
class ChunksTest {

    @Test
    void piecesInAnyOrderWithRepeatsGiveTheBytesBack() {
        Random rnd = new Random(5);
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[rnd.nextInt(3_000)];
            rnd.nextBytes(bytes);
            int max = 1 + rnd.nextInt(200);
            List<String> pieces = Chunks.split(bytes, max);
            assertThat(pieces).hasSize(Math.max(1, (((bytes.length + 2) / 3) * 4 + max - 1) / max));
            assertThat(pieces).allMatch(p -> p.length() - p.indexOf(' ', p.indexOf(' ') + 1) - 1 <= max);
            List<String> shuffled = new ArrayList<>(pieces);
            shuffled.add(pieces.get(rnd.nextInt(pieces.size()))); // a re-run's copy
            Collections.shuffle(shuffled, rnd);
            Chunks.Assembly a = new Chunks.Assembly();
            boolean whole = false;
            for (int k = 0; k < shuffled.size(); k++) {
                whole = a.add(shuffled.get(k));
                if (k < pieces.size() - 1) {
                    assertThat(whole).as("not whole before every piece is in").isFalse();
                }
            }
            assertThat(whole).isTrue();
            assertThat(a.bytes()).isEqualTo(bytes);
            assertThat(Chunks.partOf(pieces.getLast())).isEqualTo(pieces.size() - 1);
        }
    }

    @Test
    void piecesThatDoNotFitAreRefused() {
        Chunks.Assembly a = new Chunks.Assembly();
        assertThat(a.add("0 2 QUJD")).isFalse();
        assertThatThrownBy(() -> a.add("1 3 QUJD")).hasMessageContaining("does not fit 2 parts");
        assertThatThrownBy(() -> a.add("2 2 QUJD")).hasMessageContaining("piece 2 of 2");
        assertThatThrownBy(() -> a.add("junk")).hasMessageContaining("expected '<part> <parts> <base64>'");
        assertThatThrownBy(a::bytes).hasMessageContaining("1 of 2 pieces");
        assertThatThrownBy(() -> Chunks.split(new byte[1], 0)).hasMessageContaining("maxChars");
    }
}
