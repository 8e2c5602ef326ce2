package io.upm.cluster;

import io.upm.engine.codec.CommandReader;
import io.upm.engine.codec.EventWriter;
import io.upm.engine.codec.ReadResult;
import io.upm.engine.command.AccountCommand;
import io.upm.engine.command.SnapshotCommand;
import io.upm.engine.core.MarginEngine;
import io.upm.margin.params.MarginParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The naive model of the cluster's time rule: ONE engine over the whole stream in which time passes at every
 * well-formed command before the command is validated (a {@code snapshot} command of the same seq and time first).
 * The single-node {@code upm engine} differs only in letting no time pass at a command its validation rejects.
 */
final class TimeFirstEngine {
    private TimeFirstEngine() {
    }

    static List<String> run(List<String> lines, MarginParameters params) {
        MarginEngine engine = new MarginEngine(params);
        List<String> out = new ArrayList<>();
        long seq = 0;
        for (String line : lines) {
            seq++;
            switch (CommandReader.read(line)) {
                case ReadResult.Parsed p -> {
                    if (p.command() instanceof AccountCommand) {
                        engine.apply(seq, new SnapshotCommand(p.command().time()), e -> {
                            if (PartitionEngine.accountOf(e) != null) {
                                out.add(EventWriter.toJsonLine(e));
                            }
                        });
                    }
                    engine.apply(seq, p.command(), e -> out.add(EventWriter.toJsonLine(e)));
                }
                case ReadResult.Malformed m -> out.add(EventWriter.toJsonLine(m.toEvent(seq)));
            }
        }
        return out;
    }
}
