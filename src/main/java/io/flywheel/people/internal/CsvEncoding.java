package io.flywheel.people.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The encodings an uploaded CSV file may be in: UTF-8 (with or without a byte order mark) and
 * GB18030, which covers the GBK that Chinese Excel writes. {@link #AUTO} takes UTF-8 when the
 * whole file is valid UTF-8, else GB18030 when it is valid GB18030.
 */
enum CsvEncoding {

    AUTO(null),
    UTF_8(StandardCharsets.UTF_8),
    GB18030(Charset.forName("GB18030"));

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Charset charset;

    CsvEncoding(Charset charset) {
        this.charset = charset;
    }

    Charset charset() {
        return charset;
    }

    String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code auto}, {@code utf-8}, {@code gb18030} and its subsets {@code gbk} and {@code gb2312}; null means auto. */
    static CsvEncoding of(String name) {
        if (name == null || name.isBlank()) {
            return AUTO;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "utf-8", "utf8" -> UTF_8;
            case "gb18030", "gbk", "gb2312" -> GB18030;
            default -> throw new IllegalArgumentException("encoding must be auto, utf-8 or gb18030 (gbk)");
        };
    }

    /** The file's bytes are not valid in the encoding; the line is 1-based. */
    static final class InvalidBytesException extends Exception {

        private final long line;
        private final CsvEncoding encoding;

        InvalidBytesException(CsvEncoding encoding, long line) {
            super("the file is not valid " + encoding.key() + ": invalid bytes on line " + line, null, false, false);
            this.encoding = encoding;
            this.line = line;
        }

        long line() {
            return line;
        }

        CsvEncoding encoding() {
            return encoding;
        }
    }

    /** Whether the file starts with a UTF-8 byte order mark (which is then no part of the text). */
    static boolean hasBom(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(3);
            return start.length == 3 && start[0] == BOM[0] && start[1] == BOM[1] && start[2] == BOM[2];
        }
    }

    /**
     * The encoding of the file: this one if it is not {@link #AUTO}, after checking every byte;
     * for {@link #AUTO} UTF-8 if a BOM or every byte says so, else GB18030 if every byte says so.
     *
     * @throws InvalidBytesException naming the first line with bytes invalid in the encoding (UTF-8 for AUTO)
     */
    CsvEncoding resolve(Path file) throws IOException, InvalidBytesException {
        if (this != AUTO) {
            check(file, this);
            return this;
        }
        if (hasBom(file)) {
            check(file, UTF_8);
            return UTF_8;
        }
        try {
            check(file, UTF_8);
            return UTF_8;
        }
        catch (InvalidBytesException notUtf8) {
            try {
                check(file, GB18030);
                return GB18030;
            }
            catch (InvalidBytesException notGb) {
                throw notUtf8;
            }
        }
    }

    /**
     * Decodes the whole file without keeping it, counting line feeds (byte 0x0A is never part of a
     * multi-byte character in either encoding), and reports the line of the first invalid bytes.
     */
    private static void check(Path file, CsvEncoding encoding) throws IOException, InvalidBytesException {
        CharsetDecoder decoder = encoding.charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
        CharBuffer chars = CharBuffer.allocate(64 * 1024);
        long line = 1;
        try (InputStream in = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (read < 0) {
                    end = true;
                }
                else {
                    bytes.position(bytes.position() + read);
                }
                bytes.flip();
                while (true) {
                    int before = bytes.position();
                    CoderResult result = decoder.decode(bytes, chars, end);
                    line += lineFeeds(bytes, before, bytes.position());
                    chars.clear();
                    if (result.isError()) {
                        throw new InvalidBytesException(encoding, line);
                    }
                    if (result.isUnderflow()) {
                        break;
                    }
                }
                bytes.compact();
            }
            bytes.flip();
            CoderResult result = decoder.flush(chars);
            if (result.isError() || bytes.hasRemaining()) {
                throw new InvalidBytesException(encoding, line);
            }
        }
    }

    private static int lineFeeds(ByteBuffer bytes, int from, int to) {
        int count = 0;
        byte[] array = bytes.array();
        for (int i = from; i < to; i++) {
            if (array[i] == '\n') {
                count++;
            }
        }
        return count;
    }
}
