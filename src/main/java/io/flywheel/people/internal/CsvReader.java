package io.flywheel.people.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: fields separated by one delimiter, optionally in double quotes, in
 * which delimiters, line breaks and doubled quotes ({@code ""}) are text. Lines end in CRLF, LF or
 * CR. A quote inside an unquoted field is kept as text, as spreadsheets do. Each record knows the
 * line of the file it starts on, so that errors can name it.
 */
final class CsvReader {

    /** One record and the 1-based line of the file it starts on. */
    record Record(long line, List<String> fields) {
    }

    /** The file is not CSV at some line (an unclosed quote, a field too long). */
    static final class MalformedException extends Exception {

        private final long line;

        MalformedException(long line, String message) {
            super(message, null, false, false);
            this.line = line;
        }

        long line() {
            return line;
        }
    }

    private final Reader in;
    private final char delimiter;
    private final int maxFieldLength;
    private final char[] buffer = new char[16 * 1024];
    private int position;
    private int limit;
    private long line = 1;

    CsvReader(Reader in, char delimiter, int maxFieldLength) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxFieldLength = maxFieldLength;
    }

    /** The next record, or null at the end of the file. A blank line is a record with one empty field. */
    Record next() throws IOException, MalformedException {
        long start = line;
        int c = read();
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c < 0) {
                    throw new MalformedException(start, "a quoted field that starts on line " + start + " is never closed");
                }
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        append(field, '"', start);
                    }
                    else {
                        quoted = false;
                        c = after;
                        continue;
                    }
                }
                else {
                    append(field, (char) c, start);
                }
            }
            else if (c < 0 || c == '\n' || c == '\r') {
                fields.add(field.toString());
                return new Record(start, fields);
            }
            else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            }
            else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            }
            else {
                append(field, (char) c, start);
            }
            c = read();
        }
    }

    private void append(StringBuilder field, char c, long start) throws MalformedException {
        if (field.length() >= maxFieldLength) {
            throw new MalformedException(start, "a field on line " + start + " is longer than " + maxFieldLength + " characters");
        }
        field.append(c);
    }

    /** The next character with line counting; a CR LF pair counts as one line break. */
    private int read() throws IOException {
        int c = raw();
        if (c == '\n' || c == '\r') {
            line++;
            if (c == '\r') {
                int after = raw();
                if (after == '\n') {
                    return '\n';
                }
                unread(after);
            }
        }
        return c;
    }

    private int raw() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }

    private void unread(int c) {
        if (c >= 0) {
            position--;
        }
    }
}
