package io.upm.service.security;

import java.util.Objects;
import java.util.Set;

/**
 * One key as the key file keeps it: its public id, its role, the accounts a trader may see, and the SHA-256 of
 * the whole key (never the key itself). Immutable.
 *
 * @param id       the key's public id (the part of the key between {@code upm_} and the second {@code _})
 * @param role     what it may do
 * @param accounts the accounts of a trader (empty for viewers and operators, who see every account)
 * @param sha256   the SHA-256 digest of the key's text, 32 bytes
 */
public record ApiKey(String id, Role role, Set<String> accounts, byte[] sha256) {
    /** Checks the fields and copies the sets and the digest. */
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        accounts = Set.copyOf(accounts);
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("sha256: 32 bytes expected");
        }
        sha256 = sha256.clone();
    }

    /** The digest (a copy). */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Whether this key may see {@code account}: a viewer or operator sees every account, a trader its own. */
    public boolean maySee(String account) {
        return role != Role.TRADER || accounts.contains(account);
    }

    /** Whether this key may see every account (viewer, operator). */
    public boolean seesAll() {
        return role != Role.TRADER;
    }
}
