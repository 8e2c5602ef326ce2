package io.upm.engine.codec;

import io.upm.engine.command.Command;
import io.upm.engine.command.CommandType;
import io.upm.engine.event.RejectedEvent;
import java.util.Objects;

/** What {@link CommandReader} made of one input line: a command, or why the line is not one. */
public sealed interface ReadResult permits ReadResult.Parsed, ReadResult.Malformed {

    /**
     * A line that is a valid command.
     *
     * @param command the command
     */
    record Parsed(Command command) implements ReadResult {
        /** Checks the command is there. */
        public Parsed {
            Objects.requireNonNull(command, "command");
        }
    }

    /**
     * A line that is no valid command, with what could be read of it for the {@code rejected} event.
     *
     * @param command the command's type, when the line names a known one; else null
     * @param account the account the line names, when it is a string and the type has one; else null
     * @param id      the order id the line names, when it is a string and the type has one; else null
     * @param field   the path of the offending field ({@code amount}, {@code prices.BTC}, {@code type}), or
     *                {@code ""} for the line as a whole (not JSON, not an object)
     * @param reason  what is wrong, in a few words
     */
    record Malformed(CommandType command, String account, String id, String field, String reason)
        implements ReadResult {
        /** Checks the field and the reason are there. */
        public Malformed {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * The {@code rejected} event of the line.
         *
         * @param seq the line's journal position
         * @return the event
         */
        public RejectedEvent toEvent(long seq) {
            return new RejectedEvent(seq, command, account, id, reason, field);
        }
    }
}
