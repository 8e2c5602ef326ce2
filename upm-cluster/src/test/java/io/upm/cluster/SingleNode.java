package io.upm.cluster;

import io.upm.engine.runtime.EngineRunner;
import io.upm.margin.params.MarginParameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reference: the single-node engine of {@code upm engine} (journal and all) run over the same lines. */
final class SingleNode {
    private SingleNode() {
    }

    /** Every event line the single-node engine writes for {@code lines}, in order, and its final state hash. */
    record Run(List<String> events, String stateHash) {
    }

    static Run run(Path journalDir, List<String> lines, MarginParameters params) {
        List<String> events = new ArrayList<>();
        try (EngineRunner runner = EngineRunner.open(journalDir, params, EngineRunner.DEFAULT_SNAPSHOT_EVERY, events::add)) {
            for (int i = 0; i < lines.size(); i += 512) {
                runner.submit(lines.subList(i, Math.min(lines.size(), i + 512)), events::add);
            }
            return new Run(events, runner.engine().stateHash());
        }
    }
}
