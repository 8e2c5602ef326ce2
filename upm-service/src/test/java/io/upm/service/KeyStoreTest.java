package io.upm.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.upm.input.InputException;
import io.upm.service.security.ApiKey;
import io.upm.service.security.KeyStore;
import io.upm.service.security.RateLimiter;
import io.upm.service.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** API keys (hashes only, exact match) and per-key rate limits. */
class KeyStoreTest {

    @Test
    void aKeyAuthenticatesAsItselfAndAnyChangedCharacterIsRefused() {
        KeyStore.NewKey k = KeyStore.generate(Role.TRADER, Set.of("acct-1"));
        KeyStore.NewKey other = KeyStore.generate(Role.VIEWER, Set.of());
        KeyStore store = KeyStore.empty().add(k.entry()).add(other.entry());
        assertThat(store.authenticate(k.key())).map(ApiKey::id).contains(k.entry().id());
        assertThat(store.authenticate(other.key())).map(ApiKey::role).contains(Role.VIEWER);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            char[] c = k.key().toCharArray();
            int at = rnd.nextInt(c.length);
            char was = c[at];
            c[at] = was == 'A' ? 'B' : 'A';
            assertThat(store.authenticate(new String(c))).as("changed at %d", at).isEmpty();
        }
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(k.key() + "x")).isEmpty();
    }

    @Test
    void theFileKeepsOnlyHashesAndReadsBackTheSame(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        KeyStore.NewKey k = KeyStore.generate(Role.TRADER, Set.of("a", "b"));
        KeyStore.NewKey op = KeyStore.generate(Role.OPERATOR, Set.of());
        Path file = dir.resolve("keys.json");
        KeyStore.empty().add(k.entry()).add(op.entry()).write(file);
        String text = Files.readString(file);
        assertThat(text).doesNotContain(k.key().substring(18), op.key().substring(18));
        KeyStore back = KeyStore.read(file);
        assertThat(back.size()).isEqualTo(2);
        assertThat(back.authenticate(k.key()).orElseThrow().accounts()).containsExactlyInAnyOrder("a", "b");
        assertThat(back.authenticate(op.key()).orElseThrow().seesAll()).isTrue();
        assertThat(back.toJson()).isEqualTo(KeyStore.parse(text).toJson());
    }

    @Test
    void aKeyAddedToTheFileWhileTheServiceRunsIsAcceptedWithinTwoSeconds() throws Exception {
        try (TestVenue v = TestVenue.start("reload", TestVenue.generous(), true)) {
            KeyStore.NewKey late = KeyStore.generate(Role.TRADER, Set.of("bob"));
            assertThat(v.get("/v1/accounts/bob/history", late.key()).statusCode()).isEqualTo(401);
            Path keys = v.keysFile();
            KeyStore.read(keys).add(late.entry()).write(keys);
            long deadline = System.nanoTime() + 5_000_000_000L;
            int status = 401;
            while (status == 401 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = v.get("/v1/accounts/bob/history", late.key()).statusCode();
            }
            assertThat(status).isEqualTo(200);
        }
    }

    @Test
    void aBadKeyFileNamesTheField() {
        assertThatThrownBy(() -> KeyStore.parse("{\"keys\":[{\"id\":\"0123456789ab\",\"role\":\"admin\",\"sha256\":\"" + "0".repeat(64) + "\"}]}"))
            .isInstanceOf(InputException.class).hasFieldOrPropertyWithValue("field", "keys[0].role");
        assertThatThrownBy(() -> KeyStore.parse("{\"keys\":[{\"id\":\"0123456789ab\",\"role\":\"trader\",\"sha256\":\"" + "0".repeat(64) + "\"}]}"))
            .isInstanceOf(InputException.class).hasFieldOrPropertyWithValue("field", "keys[0].accounts");
        assertThatThrownBy(() -> KeyStore.parse("{\"keys\":[{\"id\":\"0123456789ab\",\"role\":\"viewer\",\"sha256\":\"abc\"}]}"))
            .isInstanceOf(InputException.class).hasFieldOrPropertyWithValue("field", "keys[0].sha256");
        assertThatThrownBy(() -> KeyStore.parse("{\"keys\":[],\"key\":1}"))
            .isInstanceOf(InputException.class).hasFieldOrPropertyWithValue("field", "key");
        assertThatThrownBy(() -> KeyStore.generate(Role.TRADER, Set.of()))
            .isInstanceOf(InputException.class).hasFieldOrPropertyWithValue("field", "account");
        assertThatThrownBy(() -> KeyStore.generate(Role.VIEWER, Set.of("x")))
            .isInstanceOf(InputException.class).hasFieldOrPropertyWithValue("field", "account");
    }

    @Test
    void aBucketGivesItsBurstThenOneTokenPerIntervalAndNeverMoreUnderContention() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimiter limiter = new RateLimiter(2, 10, now::get);
        int ok = 0;
        for (int i = 0; i < 30; i++) {
            ok += limiter.tryAcquire("k") ? 1 : 0;
        }
        assertThat(ok).isEqualTo(10);
        assertThat(limiter.tryAcquire("other")).as("another key has its own bucket").isTrue();
        now.addAndGet(1_000_000_000L); // one second: two tokens
        assertThat(limiter.tryAcquire("k")).isTrue();
        assertThat(limiter.tryAcquire("k")).isTrue();
        assertThat(limiter.tryAcquire("k")).isFalse();
        // 8 threads racing for a fresh bucket of 10 with the clock still: exactly 10 pass
        RateLimiter race = new RateLimiter(1, 10, now::get);
        AtomicInteger passed = new AtomicInteger();
        Thread[] ts = new Thread[8];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    if (race.tryAcquire("shared")) {
                        passed.incrementAndGet();
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(passed.get()).isEqualTo(10);
    }
}
