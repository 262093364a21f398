package io.flywheel.collect.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable front of ingestion. Requests queue up; one writer thread writes everything waiting
 * as one group, forces it to disk, and only then completes the requests (group commit), so an
 * acknowledged message survives a crash.
 *
 * <p>Segments are zero-filled to their full size before use (by a background thread, one spare
 * ahead), so that a group commit only has to flush data, not file-size metadata: on ext4 that is
 * the difference between ~0.1 ms and ~15 ms per commit. The end of the log is therefore found by
 * reading, not by file size: records carry consecutive sequence numbers and a CRC, and the log
 * ends at the first record that is zero, torn, or out of sequence.
 *
 * <p>Record layout: {@code int length, long sequence, int crc32c(sequence, payload), payload}.
 */
public final class WriteAheadLog implements AutoCloseable {

    /** One durable record. */
    record Entry(long sequence, byte[] payload) {
    }

    /** The log cannot take more work now; the caller should answer 503 and let the client retry. */
    public static final class OverloadedException extends RuntimeException {
        OverloadedException(String message) {
            super(message, null, false, false);
        }
    }

    private record Request(List<byte[]> payloads, CompletableFuture<Long> done) {
    }

    private record Segment(long firstSequence, Path path) {
    }

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final int HEADER = 16;
    private static final String SUFFIX = ".wal";
    private static final String SPARE_SUFFIX = ".spare";
    private static final int ZEROS = 1 << 20;
    /** The largest group buffer kept for the next group. */
    private static final int MOST_KEPT_BUFFER = 16 << 20;

    private final Path directory;
    private final long segmentBytes;
    private final BlockingQueue<Request> requests;
    private final List<Segment> segments = new ArrayList<>();
    private final Thread writer;
    private final ExecutorService preparer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wal-preparer");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Path> spare;
    private long spares;
    private Consumer<List<Entry>> onDurable = entries -> { };
    private FileChannel channel;
    /** Owned by the writer thread. */
    private ByteBuffer groupBuffer;
    private long nextSequence;
    private long lastSegmentEnd;
    private volatile long durableSequence;
    private volatile boolean running = true;

    WriteAheadLog(Path directory, long segmentBytes, int maxQueuedRequests) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.requests = new ArrayBlockingQueue<>(maxQueuedRequests);
        this.writer = new Thread(this::writeLoop, "wal-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Reads the log and returns the entries after {@code appliedSequence} in order; call once,
     * before {@link #start}.
     */
    List<Entry> recover(long appliedSequence) {
        try {
            Files.createDirectories(directory);
            List<Path> files;
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
            }
            try (Stream<Path> leftovers = Files.list(directory)) {
                for (Path leftover : leftovers.filter(path -> path.getFileName().toString().endsWith(SPARE_SUFFIX)).toList()) {
                    Files.delete(leftover);
                }
            }
            List<Entry> pending = new ArrayList<>();
            long last = appliedSequence;
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                long first = firstSequence(file);
                segments.add(new Segment(first, file));
                boolean lastSegment = i == files.size() - 1;
                long[] end = readSegment(file, first, lastSegment, appliedSequence, pending);
                last = Math.max(last, end[0]);
                if (lastSegment) {
                    lastSegmentEnd = end[1];
                }
            }
            nextSequence = last + 1;
            durableSequence = last;
            return pending;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the write-ahead log in " + directory, e);
        }
    }

    /** Returns the last sequence read (or -1) and the byte position where the segment's data ends. */
    private static long[] readSegment(Path file, long firstSequence, boolean lastSegment, long appliedSequence, List<Entry> pending)
            throws IOException {
        long last = -1;
        long expected = firstSequence;
        long position = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            long size = in.size();
            while (position + HEADER <= size) {
                header.clear();
                in.read(header, position);
                header.flip();
                int length = header.getInt();
                long sequence = header.getLong();
                int crc = header.getInt();
                if (length == 0 && sequence == 0 && crc == 0) {
                    break; // the zero-filled rest of a segment
                }
                String problem = null;
                byte[] payload = null;
                if (length < 0 || position + HEADER + length > size) {
                    problem = "a truncated record";
                }
                else {
                    ByteBuffer body = ByteBuffer.allocate(length);
                    in.read(body, position + HEADER);
                    payload = body.array();
                    if (crc(sequence, payload) != crc) {
                        problem = "a record with a bad checksum";
                    }
                    else if (sequence != expected) {
                        problem = "a record out of sequence";
                    }
                }
                if (problem != null) {
                    if (!lastSegment) {
                        throw new IOException(file + " has " + problem + " at byte " + position + " before the end of the log; refusing to start");
                    }
                    log.warn("Write-ahead log {} ends in {} at byte {} (a write that was never acknowledged); writing on from there",
                            file, problem, position);
                    break;
                }
                if (sequence > appliedSequence) {
                    pending.add(new Entry(sequence, payload));
                }
                last = sequence;
                expected = sequence + 1;
                position += HEADER + length;
            }
        }
        return new long[] {last, position};
    }

    /** Starts the writer; {@code onDurable} receives every group after it is on disk, in order. */
    void start(Consumer<List<Entry>> onDurable) {
        this.onDurable = onDurable;
        spare = preparer.submit(this::prepareSpare);
        writer.start();
    }

    /**
     * Queues payloads to be written; the future completes with the last sequence number once they
     * are on disk, or exceptionally if they could not be written.
     */
    CompletableFuture<Long> append(List<byte[]> payloads) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the write-ahead log is closed"));
            return done;
        }
        if (!requests.offer(new Request(payloads, done))) {
            throw new OverloadedException("the write-ahead log queue is full");
        }
        return done;
    }

    int queuedRequests() {
        return requests.size();
    }

    long durableSequence() {
        return durableSequence;
    }

    /** Deletes segments whose every entry is applied. */
    synchronized void release(long appliedSequence) {
        while (segments.size() > 1 && segments.get(1).firstSequence() <= appliedSequence + 1) {
            Segment old = segments.remove(0);
            try {
                Files.deleteIfExists(old.path());
            }
            catch (IOException e) {
                log.warn("Cannot delete applied write-ahead log segment {}", old.path(), e);
            }
        }
    }

    private void writeLoop() {
        List<Request> group = new ArrayList<>();
        while (running || !requests.isEmpty()) {
            try {
                Request first = requests.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                requests.drainTo(group, 4096);
                writeGroup(group);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            finally {
                group.clear();
            }
        }
    }

    private void writeGroup(List<Request> group) {
        List<Entry> entries = new ArrayList<>();
        int bytes = 0;
        for (Request request : group) {
            for (byte[] payload : request.payloads()) {
                bytes += HEADER + payload.length;
            }
        }
        ByteBuffer buffer = groupBuffer(bytes);
        long sequence = nextSequence;
        long[] lastOfRequest = new long[group.size()];
        for (int i = 0; i < group.size(); i++) {
            for (byte[] payload : group.get(i).payloads()) {
                buffer.putInt(payload.length).putLong(sequence).putInt(crc(sequence, payload)).put(payload);
                entries.add(new Entry(sequence, payload));
                sequence++;
            }
            lastOfRequest[i] = sequence - 1;
        }
        buffer.flip();
        long start = -1;
        try {
            FileChannel out = channelFor(nextSequence);
            start = out.position();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
        catch (IOException | RuntimeException e) {
            undo(start);
            log.error("Writing {} bytes to the write-ahead log failed; {} requests were not acknowledged", bytes, group.size(), e);
            group.forEach(request -> request.done().completeExceptionally(e));
            return;
        }
        nextSequence = sequence;
        durableSequence = sequence - 1;
        try {
            onDurable.accept(entries);
        }
        finally {
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(lastOfRequest[i]);
            }
        }
    }

    /**
     * The writer thread's buffer for a group, direct so that the channel writes it without a copy,
     * kept between groups; one far above the usual size gets a buffer of its own.
     */
    private ByteBuffer groupBuffer(int bytes) {
        if (bytes > MOST_KEPT_BUFFER) {
            return ByteBuffer.allocate(bytes);
        }
        if (groupBuffer == null || groupBuffer.capacity() < bytes) {
            groupBuffer = ByteBuffer.allocateDirect(Math.min(MOST_KEPT_BUFFER, Math.max(bytes, 2 * (groupBuffer == null ? 1 << 16 : groupBuffer.capacity()))));
        }
        return groupBuffer.clear().limit(bytes);
    }

    /**
     * After a failed write the next group starts where the failed one did; its records overwrite
     * whatever part was written, and recovery stops at the first record out of sequence anyway.
     */
    private void undo(long start) {
        if (start < 0 || channel == null) {
            return;
        }
        try {
            channel.position(start);
        }
        catch (IOException e) {
            log.error("Cannot rewind the write-ahead log after a failed write; closing the segment", e);
            closeChannel();
        }
    }

    private FileChannel channelFor(long firstSequence) throws IOException {
        if (channel != null && channel.position() < segmentBytes) {
            return channel;
        }
        boolean firstWrite = channel == null;
        closeChannel();
        Segment last;
        synchronized (this) {
            last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        }
        if (firstWrite && last != null && lastSegmentEnd < segmentBytes) {
            // after a restart, write on where the last segment's data ends
            channel = FileChannel.open(last.path(), StandardOpenOption.WRITE);
            channel.position(lastSegmentEnd);
            return channel;
        }
        Path path = directory.resolve(String.format("%019d", firstSequence) + SUFFIX);
        Files.move(takeSpare(), path, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        channel = FileChannel.open(path, StandardOpenOption.WRITE);
        synchronized (this) {
            segments.add(new Segment(firstSequence, path));
        }
        return channel;
    }

    /** The zero-filled spare segment, waiting for it if it is still being prepared; starts the next one. */
    private Path takeSpare() throws IOException {
        try {
            Path ready = spare.get();
            spare = preparer.submit(this::prepareSpare);
            return ready;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a write-ahead log segment", e);
        }
        catch (ExecutionException e) {
            spare = preparer.submit(this::prepareSpare);
            throw new IOException("cannot prepare a write-ahead log segment: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private Path prepareSpare() throws IOException {
        Path path = directory.resolve("segment-" + (++spares) + SPARE_SUFFIX);
        Files.deleteIfExists(path);
        ByteBuffer zeros = ByteBuffer.allocate(ZEROS);
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < segmentBytes; ) {
                zeros.clear();
                zeros.limit((int) Math.min(ZEROS, segmentBytes - written));
                written += out.write(zeros);
            }
            out.force(true);
        }
        return path;
    }

    private void syncDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private void closeChannel() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        }
        catch (IOException e) {
            log.warn("Closing a write-ahead log segment failed", e);
        }
        channel = null;
    }

    private static long firstSequence(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    }

    static int crc(long sequence, byte[] payload) {
        CRC32C crc = new CRC32C();
        ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES).putLong(sequence);
        crc.update(prefix.array());
        crc.update(payload);
        return (int) crc.getValue();
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel();
        preparer.shutdownNow();
    }
}
