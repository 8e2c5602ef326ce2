package io.upm.cluster;

import io.upm.engine.codec.EventReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Event lines grouped by the account they belong to ("" for none), each group in the order given. */
final class EventsByAccount {
    private EventsByAccount() {
    }

    static Map<String, List<String>> group(List<String> eventLines) {
        Map<String, List<String>> by = new TreeMap<>();
        for (String line : eventLines) {
            String account = PartitionEngine.accountOf(EventReader.read(line));
            by.computeIfAbsent(account == null ? ClusterTopics.MARKET_KEY : account, k -> new ArrayList<>()).add(line);
        }
        return by;
    }
}
