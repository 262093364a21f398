package io.flywheel.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flywheel.TestApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WriteAheadLogTests {

    private final Path directory = TestApplication.freshDataDir().resolve("wal");

    private static List<byte[]> payloads(String... texts) {
        List<byte[]> payloads = new ArrayList<>();
        for (String text : texts) {
            payloads.add(text.getBytes(StandardCharsets.UTF_8));
        }
        return payloads;
    }

    private static List<String> texts(List<WriteAheadLog.Entry> entries) {
        return entries.stream().map(entry -> new String(entry.payload(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.toString().endsWith(".wal")).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void acknowledgedEntriesAreHandedOnInOrderAndRecoveredAfterARestart() throws Exception {
        List<WriteAheadLog.Entry> handedOn = new CopyOnWriteArrayList<>();
        WriteAheadLog wal = new WriteAheadLog(directory, 1 << 20, 100);
        assertThat(wal.recover(-1)).isEmpty();
        wal.start(handedOn::addAll);
        assertThat(wal.append(payloads("a", "b")).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(wal.append(payloads("c")).get(5, TimeUnit.SECONDS)).isEqualTo(2);
        wal.close();
        assertThat(texts(handedOn)).containsExactly("a", "b", "c");

        WriteAheadLog reopened = new WriteAheadLog(directory, 1 << 20, 100);
        List<WriteAheadLog.Entry> unapplied = reopened.recover(0);
        assertThat(texts(unapplied)).containsExactly("b", "c");
        assertThat(unapplied.get(0).sequence()).isEqualTo(1);
        reopened.start(entries -> { });
        assertThat(reopened.append(payloads("d")).get(5, TimeUnit.SECONDS)).isEqualTo(3);
        reopened.close();
    }

    @Test
    void aTornTailEndsTheLogAndNewEntriesFollowTheLastGoodOne() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(directory, 1 << 20, 100);
        wal.recover(-1);
        wal.start(entries -> { });
        wal.append(payloads("first", "second")).get(5, TimeUnit.SECONDS);
        wal.close();
        Path segment = segments().get(0);
        assertThat(Files.size(segment)).as("segments are zero-filled to full size").isEqualTo(1 << 20);
        // a crash in the middle of writing a group that was never acknowledged: half a record after the good ones
        long end = 2L * (16 + "first".length()) + 1;
        try (FileChannel out = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2}), end);
        }

        WriteAheadLog reopened = new WriteAheadLog(directory, 1 << 20, 100);
        assertThat(texts(reopened.recover(-1))).containsExactly("first", "second");
        reopened.start(entries -> { });
        assertThat(reopened.append(payloads("third")).get(5, TimeUnit.SECONDS)).isEqualTo(2);
        reopened.close();
        assertThat(texts(new WriteAheadLog(directory, 1 << 20, 100).recover(-1))).containsExactly("first", "second", "third");
    }

    @Test
    void recordsOutOfSequenceEndTheLog() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(directory, 1 << 20, 100);
        wal.recover(-1);
        wal.start(entries -> { });
        wal.append(payloads("a", "b", "c")).get(5, TimeUnit.SECONDS);
        wal.close();
        Path segment = segments().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        // copy record "a" (sequence 0) over record "c" (sequence 2): a stale but intact record
        System.arraycopy(bytes, 0, bytes, 2 * 17, 17);
        Files.write(segment, bytes);
        assertThat(texts(new WriteAheadLog(directory, 1 << 20, 100).recover(-1))).containsExactly("a", "b");
    }

    @Test
    void aCorruptRecordBeforeTheEndRefusesToStart() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(directory, 64, 100);
        wal.recover(-1);
        wal.start(entries -> { });
        for (int i = 0; i < 4; i++) {
            wal.append(payloads("entry-" + i + "-" + "x".repeat(60))).get(5, TimeUnit.SECONDS);
        }
        wal.close();
        Path first = segments().get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(first, bytes);
        assertThatThrownBy(() -> new WriteAheadLog(directory, 64, 100).recover(-1))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage(first + " has a record with a bad checksum at byte 0 before the end of the log; refusing to start");
    }

    @Test
    void appliedSegmentsAreDeleted() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(directory, 64, 100);
        wal.recover(-1);
        wal.start(entries -> { });
        for (int i = 0; i < 5; i++) {
            wal.append(payloads("entry-" + i + "-" + "x".repeat(60))).get(5, TimeUnit.SECONDS);
        }
        assertThat(segments()).hasSize(5);
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            try (Stream<Path> files = Files.list(directory)) {
                return files.anyMatch(path -> path.toString().endsWith(".spare"));
            }
        });
        wal.release(2);
        assertThat(segments()).hasSize(2);
        wal.close();
        assertThat(texts(new WriteAheadLog(directory, 64, 100).recover(2))).containsExactly(
                "entry-3-" + "x".repeat(60), "entry-4-" + "x".repeat(60));
    }

    @Test
    void aFullQueueIsReportedAtOnce() {
        WriteAheadLog wal = new WriteAheadLog(directory, 1 << 20, 1);
        wal.recover(-1);
        // not started: nothing drains the queue
        wal.append(payloads("a"));
        assertThatThrownBy(() -> wal.append(payloads("b"))).isInstanceOf(WriteAheadLog.OverloadedException.class);
    }

    @Test
    void messagesSurviveTheCodec() {
        Message message = new Message(3, "m-1", "track", "Order Completed", "anon", "user", null, null,
                java.time.Instant.parse("2026-01-01T00:00:00.123456789Z"), java.time.Instant.parse("2026-01-01T00:00:01Z"),
                "https://x/?a=1", null, "wechat", "social", "spring", "gclid", "o-1", 12.5, "CNY", "{\"名\":\"值\"}", "{}", true);
        assertThat(MessageCodec.decode(MessageCodec.encode(message))).isEqualTo(message);
        Message imported = identify(false);
        assertThat(MessageCodec.decode(MessageCodec.encode(imported))).isEqualTo(imported);
        assertThat(MessageCodec.decode(MessageCodec.encode(imported)).activity()).isFalse();
    }

    @Test
    void theCodecWritesTheLayoutEarlierVersionsWroteAndRefusesTruncatedRecords() throws java.io.IOException {
        Message message = new Message(3, "m-1", "track", "Order Completed", "anon", null, null, "g", java.time.Instant.parse("2026-01-01T00:00:00.5Z"),
                java.time.Instant.parse("2026-01-01T00:00:01Z"), "https://x/", "https://r/", "s", "m", "c", null, "o-1", 9.75, "CNY",
                "{\"城市\":\"上海\"}", "{}", false);
        // the layout the log has used since version 2, written the way earlier versions wrote it: logs left by them are read as before
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(expected)) {
            out.writeByte(2);
            out.writeLong(3);
            for (String value : new String[] {"m-1", "track", "Order Completed", "anon", null, null, "g"}) {
                writeString(out, value);
            }
            out.writeLong(message.timestamp().getEpochSecond());
            out.writeInt(message.timestamp().getNano());
            out.writeLong(message.receivedAt().getEpochSecond());
            out.writeInt(message.receivedAt().getNano());
            for (String value : new String[] {"https://x/", "https://r/", "s", "m", "c", null, "o-1"}) {
                writeString(out, value);
            }
            out.writeBoolean(true);
            out.writeDouble(9.75);
            for (String value : new String[] {"CNY", "{\"城市\":\"上海\"}", "{}"}) {
                writeString(out, value);
            }
            out.writeByte(1);
        }

        byte[] encoded = MessageCodec.encode(message);
        assertThat(encoded).isEqualTo(expected.toByteArray());
        assertThat(MessageCodec.decode(expected.toByteArray())).isEqualTo(message);
        for (int cut : new int[] {5, 20, encoded.length - 3}) {
            assertThatThrownBy(() -> MessageCodec.decode(java.util.Arrays.copyOf(encoded, cut)))
                    .isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    private static void writeString(java.io.DataOutputStream out, String value) throws java.io.IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static Message identify(boolean activity) {
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        return new Message(3, "csv-1", "identify", "Identify", null, "u-1", null, null, at, at, null, null, null, null, null, null, null,
                null, null, "{\"city\":\"上海\"}", "{}", activity);
    }

    @Test
    void recordsOfTheFirstVersionAreStillReadAsActivity() {
        // version 1 is version 2 without the trailing flags byte: such records may wait in a log written before the upgrade
        byte[] current = MessageCodec.encode(identify(false));
        byte[] first = java.util.Arrays.copyOf(current, current.length - 1);
        first[0] = 1;

        assertThat(MessageCodec.decode(first)).isEqualTo(identify(true));
        assertThat(current[0]).isEqualTo((byte) 2);
        byte[] unknownFlags = current.clone();
        unknownFlags[unknownFlags.length - 1] = 4;
        assertThatThrownBy(() -> MessageCodec.decode(unknownFlags)).isInstanceOf(java.io.UncheckedIOException.class);
    }
}
