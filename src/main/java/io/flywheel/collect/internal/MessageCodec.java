package io.flywheel.collect.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The write-ahead log's binary form of a message: compact, fast, and independent of JSON libraries.
 * Version 2 appends a byte of flags to version 1's fields; records of version 1, written before,
 * are still read (as activity, which is all that version could carry).
 */
final class MessageCodec {

    private static final byte VERSION_1 = 1;
    private static final byte VERSION = 2;
    /** Flag: the message is profile data, not activity. */
    private static final int PROFILE_DATA = 1;

    private MessageCodec() {
    }

    /**
     * One array of the exact size: the strings are encoded first, then copied in once (the layout is
     * {@link java.io.DataOutputStream}'s: big-endian numbers, a length before each string's UTF-8).
     */
    static byte[] encode(Message message) {
        byte[][] strings = {
            utf8(message.messageId()), utf8(message.type()), utf8(message.event()), utf8(message.anonymousId()),
            utf8(message.userId()), utf8(message.previousId()), utf8(message.groupId()),
            utf8(message.url()), utf8(message.referrer()), utf8(message.utmSource()), utf8(message.utmMedium()),
            utf8(message.utmCampaign()), utf8(message.clickId()), utf8(message.orderId()),
            utf8(message.currency()), utf8(message.properties()), utf8(message.context()) };
        // version, project, two instants, revenue flag and value, flags; a length per string
        int size = 1 + 8 + 2 * 12 + 1 + 8 + 1 + 4 * strings.length;
        for (byte[] string : strings) {
            size += string == null ? 0 : string.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION);
        out.putLong(message.projectId());
        for (int i = 0; i < 7; i++) {
            string(out, strings[i]);
        }
        instant(out, message.timestamp());
        instant(out, message.receivedAt());
        for (int i = 7; i < 14; i++) {
            string(out, strings[i]);
        }
        out.put((byte) (message.revenue() != null ? 1 : 0));
        out.putLong(Double.doubleToLongBits(message.revenue() == null ? 0 : message.revenue()));
        for (int i = 14; i < strings.length; i++) {
            string(out, strings[i]);
        }
        out.put((byte) (message.activity() ? 0 : PROFILE_DATA));
        return out.array();
    }

    static Message decode(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            byte version = in.get();
            if (version != VERSION && version != VERSION_1) {
                throw new IOException("unknown write-ahead log record version " + version);
            }
            long projectId = in.getLong();
            String messageId = string(in);
            String type = string(in);
            String event = string(in);
            String anonymousId = string(in);
            String userId = string(in);
            String previousId = string(in);
            String groupId = string(in);
            Instant timestamp = instant(in);
            Instant receivedAt = instant(in);
            String url = string(in);
            String referrer = string(in);
            String utmSource = string(in);
            String utmMedium = string(in);
            String utmCampaign = string(in);
            String clickId = string(in);
            String orderId = string(in);
            boolean hasRevenue = in.get() != 0;
            double revenue = Double.longBitsToDouble(in.getLong());
            String currency = string(in);
            String properties = string(in);
            String context = string(in);
            int flags = version == VERSION_1 ? 0 : Byte.toUnsignedInt(in.get());
            if ((flags & ~PROFILE_DATA) != 0) {
                throw new IOException("unknown write-ahead log record flags " + flags);
            }
            return new Message(projectId, messageId, type, event, anonymousId, userId, previousId, groupId, timestamp, receivedAt,
                    url, referrer, utmSource, utmMedium, utmCampaign, clickId, orderId, hasRevenue ? revenue : null, currency,
                    properties, context, (flags & PROFILE_DATA) == 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException("a write-ahead log record cannot be read", e);
        }
        catch (BufferUnderflowException e) {
            throw new UncheckedIOException("a write-ahead log record cannot be read", new IOException("truncated record", e));
        }
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static void string(ByteBuffer out, byte[] value) {
        if (value == null) {
            out.putInt(-1);
            return;
        }
        out.putInt(value.length);
        out.put(value);
    }

    private static String string(ByteBuffer in) throws IOException {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw new IOException("truncated string");
        }
        String value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static void instant(ByteBuffer out, Instant value) {
        out.putLong(value.getEpochSecond());
        out.putInt(value.getNano());
    }

    private static Instant instant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }
}
