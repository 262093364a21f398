package io.flywheel.collect.internal;

import io.flywheel.collect.IdentifyCommand;
import io.flywheel.collect.Tracking;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** {@link Tracking} over the ingestion pipeline: messages built as the tracking API builds them. */
@Service
class TrackingService implements Tracking {

    /** Marks server-side messages in their context, as an SDK names itself. */
    static final String CONTEXT = "{\"library\":{\"name\":\"flywheel-server\",\"version\":\"1\"}}";
    /** Traits keep their nulls out: an identify sets traits, it never removes them. */
    private static final JsonMapper TRAITS = JsonMapper.builder().build();

    private final Ingestion ingestion;
    private final Clock clock;

    TrackingService(Ingestion ingestion, Clock clock) {
        this.ingestion = ingestion;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Receipt> identify(long projectId, List<IdentifyCommand> commands) {
        if (commands.isEmpty()) {
            return CompletableFuture.completedFuture(new Receipt(ingestion.appliedSequence()));
        }
        Instant now = clock.instant();
        List<Message> messages = new ArrayList<>(commands.size());
        for (IdentifyCommand command : commands) {
            String traits = TRAITS.writeValueAsString(command.traits());
            if (traits.getBytes(StandardCharsets.UTF_8).length > MAX_TRAITS_BYTES) {
                throw new IllegalArgumentException("the traits of message " + command.messageId() + " take more than " + MAX_TRAITS_BYTES + " bytes");
            }
            messages.add(new Message(projectId, command.messageId(), "identify", "Identify", command.anonymousId(), command.userId(), null,
                    null, now, now, null, null, null, null, null, null, null, null, null, traits, CONTEXT,
                    command.activity()));
        }
        try {
            return ingestion.accept(messages).thenApply(Receipt::new);
        }
        catch (WriteAheadLog.OverloadedException e) {
            throw new Busy(e.getMessage());
        }
    }

    @Override
    public boolean applied(Receipt receipt) {
        return ingestion.appliedSequence() >= receipt.sequence();
    }
}
