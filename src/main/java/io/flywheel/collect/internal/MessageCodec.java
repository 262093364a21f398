package io.flywheel.collect.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + message.properties().length() + message.context().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(message.projectId());
            string(out, message.messageId());
            string(out, message.type());
            string(out, message.event());
            string(out, message.anonymousId());
            string(out, message.userId());
            string(out, message.previousId());
            string(out, message.groupId());
            instant(out, message.timestamp());
            instant(out, message.receivedAt());
            string(out, message.url());
            string(out, message.referrer());
            string(out, message.utmSource());
            string(out, message.utmMedium());
            string(out, message.utmCampaign());
            string(out, message.clickId());
            string(out, message.orderId());
            out.writeBoolean(message.revenue() != null);
            out.writeDouble(message.revenue() == null ? 0 : message.revenue());
            string(out, message.currency());
            string(out, message.properties());
            string(out, message.context());
            out.writeByte(message.activity() ? 0 : PROFILE_DATA);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Message decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte version = in.readByte();
            if (version != VERSION && version != VERSION_1) {
                throw new IOException("unknown write-ahead log record version " + version);
            }
            long projectId = in.readLong();
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
            boolean hasRevenue = in.readBoolean();
            double revenue = in.readDouble();
            String currency = string(in);
            String properties = string(in);
            String context = string(in);
            int flags = version == VERSION_1 ? 0 : in.readUnsignedByte();
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
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("truncated string");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void instant(DataOutputStream out, Instant value) throws IOException {
        out.writeLong(value.getEpochSecond());
        out.writeInt(value.getNano());
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
