package io.upm.service.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.upm.formats.DocumentParser;
import io.upm.formats.JsonOutput;
import io.upm.formats.TreeFields;
import io.upm.input.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys: a file of hashes (never the keys), and the check of a presented key.
 *
 * <p>A key reads {@code upm_<id>_<secret>}: {@code id} is 12 hex digits that name the key in the file, {@code secret}
 * 32 random bytes (base64url). The file keeps the SHA-256 of the whole key; a presented key is looked up by its id and
 * its digest compared with {@link MessageDigest#isEqual} (constant time), against a dummy digest when the id is
 * unknown, so that the answer takes the same time whether the id exists or not. A salted slow hash is not needed: the
 * keys are 256-bit random strings, not passwords.
 *
 * <p>File ({@code keys.json}): {@code {"keys": [{"id": "...", "role": "trader", "accounts": ["acct-1"],
 * "sha256": "<64 hex>"}]}}, read strictly (unknown fields rejected, errors name the field).
 *
 * <p>Immutable: {@link #add} returns a new store. Thread-safe.
 */
public final class KeyStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DUMMY = new byte[32];
    private final Map<String, ApiKey> byId;

    private KeyStore(Map<String, ApiKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** A store with no key. */
    public static KeyStore empty() {
        return new KeyStore(Map.of());
    }

    /** A new key with its store entry: the key's text is shown once and never kept. */
    public record NewKey(String key, ApiKey entry) {
    }

    /**
     * Makes a new random key.
     *
     * @param role     its role
     * @param accounts a trader's accounts (at least one); must be empty for other roles
     * @throws InputException naming {@code account} when a trader has none or another role has some
     */
    public static NewKey generate(Role role, Set<String> accounts) {
        if (role == Role.TRADER && accounts.isEmpty()) {
            throw new InputException("account", "a trader key needs at least one --account");
        }
        if (role != Role.TRADER && !accounts.isEmpty()) {
            throw new InputException("account", "only a trader key names accounts (a " + role.wireName()
                + " sees every account)");
        }
        for (String a : accounts) {
            checkAccount(a, "account");
        }
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String key = "upm_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(key, new ApiKey(id, role, accounts, sha256(key)));
    }

    private static void checkAccount(String a, String field) {
        if (a == null || a.isEmpty() || a.length() > 128) {
            throw new InputException(field, "an account id of 1 to 128 characters, got \"" + a + "\"");
        }
    }

    /** This store with {@code key} added. */
    public KeyStore add(ApiKey key) {
        Map<String, ApiKey> m = new LinkedHashMap<>(byId);
        m.put(key.id(), key);
        return new KeyStore(m);
    }

    /** Whether some key has {@code role}. */
    public boolean hasRole(Role role) {
        return byId.values().stream().anyMatch(k -> k.role() == role);
    }

    /** The number of keys. */
    public int size() {
        return byId.size();
    }

    /**
     * The key a bearer token is, if it is one of this store's.
     *
     * @param presented the token, may be null
     * @return its entry, or empty
     */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || presented.length() > 200) {
            return Optional.empty();
        }
        String id = "";
        if (presented.startsWith("upm_")) {
            int end = presented.indexOf('_', 4);
            if (end > 4) {
                id = presented.substring(4, end);
            }
        }
        ApiKey entry = byId.get(id);
        byte[] expected = entry == null ? DUMMY : entry.sha256();
        boolean same = MessageDigest.isEqual(sha256(presented), expected);
        return same && entry != null ? Optional.of(entry) : Optional.empty();
    }

    /** The SHA-256 of a key's text (UTF-8). */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Reads a key file; an absent file is an empty store.
     *
     * @throws InputException naming the field of a malformed file
     */
    public static KeyStore read(Path file) {
        if (!Files.exists(file)) {
            return empty();
        }
        return parse(DocumentParser.readText(file));
    }

    /**
     * Parses a key file's text.
     *
     * @throws InputException naming the field
     */
    public static KeyStore parse(String text) {
        JsonNode root = TreeFields.object(DocumentParser.parseJson(text), "");
        TreeFields.onlyKeys(root, "", Set.of("keys"));
        JsonNode keys = TreeFields.array(TreeFields.required(root, "keys", ""), "keys");
        Map<String, ApiKey> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String path = TreeFields.element("keys", i);
            JsonNode k = TreeFields.object(keys.get(i), path);
            TreeFields.onlyKeys(k, path, Set.of("id", "role", "accounts", "sha256"));
            String id = TreeFields.string(TreeFields.required(k, "id", path), TreeFields.child(path, "id"));
            if (!id.matches("[0-9a-f]{12}")) {
                throw new InputException(TreeFields.child(path, "id"), "12 lower-case hex digits expected, got \"" + id + "\"");
            }
            if (m.containsKey(id)) {
                throw new InputException(TreeFields.child(path, "id"), "duplicate key id \"" + id + "\"");
            }
            Role role = Role.parse(TreeFields.string(TreeFields.required(k, "role", path), TreeFields.child(path, "role")),
                TreeFields.child(path, "role"));
            Set<String> accounts = new LinkedHashSet<>();
            if (k.has("accounts")) {
                String ap = TreeFields.child(path, "accounts");
                JsonNode arr = TreeFields.array(k.get("accounts"), ap);
                for (int j = 0; j < arr.size(); j++) {
                    String a = TreeFields.string(arr.get(j), TreeFields.element(ap, j));
                    checkAccount(a, TreeFields.element(ap, j));
                    accounts.add(a);
                }
            }
            if (role == Role.TRADER && accounts.isEmpty()) {
                throw new InputException(TreeFields.child(path, "accounts"), "a trader key needs at least one account");
            }
            String hex = TreeFields.string(TreeFields.required(k, "sha256", path), TreeFields.child(path, "sha256"));
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new InputException(TreeFields.child(path, "sha256"), "64 lower-case hex digits expected");
            }
            m.put(id, new ApiKey(id, role, accounts, HexFormat.of().parseHex(hex)));
        }
        return new KeyStore(m);
    }

    /** The file's text: hashes only. */
    public String toJson() {
        JsonOutput out = JsonOutput.pretty().startObject().startArray("keys");
        List<ApiKey> keys = new ArrayList<>(byId.values());
        for (ApiKey k : keys) {
            out.startObject().string("id", k.id()).string("role", k.role().wireName()).startArray("accounts");
            for (String a : k.accounts().stream().sorted().toList()) {
                out.string(a);
            }
            out.endArray().string("sha256", HexFormat.of().formatHex(k.sha256())).endObject();
        }
        return out.endArray().endObject().finish();
    }

    /** Writes the file atomically (a temporary file, then a move), owner-readable only where the file system allows. */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, toJson() + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the default permissions stay
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key file " + file + ": " + e.getMessage(), e);
        }
    }
}
