package io.flywheel.people.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An uploaded CSV file on disk with what was learnt about it: its encoding (every byte checked),
 * its delimiter and its header. Rows are read again, streaming, for every pass.
 */
final class ImportFile {

    /** Most characters in one cell; a longer one is taken to be a broken file, not a value. */
    static final int MAX_FIELD_LENGTH = 64 * 1024;
    static final String DELIMITERS = ",;\t";

    private final Path path;
    private final CsvEncoding encoding;
    private final char delimiter;
    private final boolean bom;
    private final List<String> header;

    private ImportFile(Path path, CsvEncoding encoding, char delimiter, boolean bom, List<String> header) {
        this.path = path;
        this.encoding = encoding;
        this.delimiter = delimiter;
        this.bom = bom;
        this.header = List.copyOf(header);
    }

    /**
     * Checks the file and reads its header.
     *
     * @param delimiter ',', ';', a tab, or 0 to detect it from the header line
     * @throws ImportRejectedException when the file is empty, not in the encoding, or has no proper header
     */
    static ImportFile open(Path path, CsvEncoding requested, char delimiter) throws IOException {
        if (Files.size(path) == 0) {
            throw new ImportRejectedException("empty", "the file is empty");
        }
        CsvEncoding encoding;
        try {
            encoding = requested.resolve(path);
        }
        catch (CsvEncoding.InvalidBytesException e) {
            throw new ImportRejectedException("encoding", "the file is not valid " + e.encoding().key() + ": invalid bytes on line " + e.line()
                    + "; choose the encoding it was saved in", e.encoding().key(), e.line());
        }
        boolean bom = encoding == CsvEncoding.UTF_8 && CsvEncoding.hasBom(path);
        char chosen = delimiter != 0 ? delimiter : detectDelimiter(path, encoding, bom);
        ImportFile file = new ImportFile(path, encoding, chosen, bom, List.of());
        List<String> header;
        try (Rows rows = file.rows()) {
            CsvReader.Record first = rows.next();
            if (first == null || first.fields().size() == 1 && first.fields().get(0).isBlank()) {
                throw new ImportRejectedException("no_header", "the first line must name the columns");
            }
            header = first.fields().stream().map(String::strip).toList();
        }
        List<String> seen = new ArrayList<>();
        for (String name : header) {
            if (name.isEmpty()) {
                throw new ImportRejectedException("blank_header", "every column needs a name in the first line");
            }
            if (seen.contains(name.toLowerCase(Locale.ROOT))) {
                throw new ImportRejectedException("duplicate_header", "two columns are named '" + name + "'", name);
            }
            seen.add(name.toLowerCase(Locale.ROOT));
        }
        return new ImportFile(path, encoding, chosen, bom, header);
    }

    /** The most common of comma, semicolon and tab outside quotes on the first line; comma on a tie. */
    static char detectDelimiter(Path path, CsvEncoding encoding, boolean bom) throws IOException {
        int[] counts = new int[DELIMITERS.length()];
        try (Reader in = reader(path, encoding, bom)) {
            boolean quoted = false;
            for (int read = 0, c; read < MAX_FIELD_LENGTH && (c = in.read()) >= 0; read++) {
                if (c == '"') {
                    quoted = !quoted;
                }
                else if (!quoted && (c == '\n' || c == '\r')) {
                    break;
                }
                else if (!quoted && DELIMITERS.indexOf(c) >= 0) {
                    counts[DELIMITERS.indexOf(c)]++;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return DELIMITERS.charAt(best);
    }

    private static Reader reader(Path path, CsvEncoding encoding, boolean bom) throws IOException {
        InputStream in = Files.newInputStream(path);
        if (bom) {
            in.skipNBytes(3);
        }
        return new BufferedReader(new InputStreamReader(in, encoding.charset()), 64 * 1024);
    }

    /** The records of the file from its header on; close it when done. */
    Rows rows() throws IOException {
        Reader in = reader(path, encoding, bom);
        return new Rows(in, new CsvReader(in, delimiter, MAX_FIELD_LENGTH));
    }

    /** A pass over the records. */
    static final class Rows implements AutoCloseable {

        private final Reader in;
        private final CsvReader reader;

        private Rows(Reader in, CsvReader reader) {
            this.in = in;
            this.reader = reader;
        }

        CsvReader.Record next() throws IOException {
            try {
                return reader.next();
            }
            catch (CsvReader.MalformedException e) {
                throw new ImportRejectedException("malformed", e.getMessage(), e.line());
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The first {@code count} rows after the header, for a preview. */
    List<List<String>> preview(int count) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Rows records = rows()) {
            records.next();
            for (CsvReader.Record record; rows.size() < count && (record = records.next()) != null; ) {
                if (!ImportRows.blank(record)) {
                    rows.add(record.fields());
                }
            }
        }
        return rows;
    }

    Path path() {
        return path;
    }

    CsvEncoding encoding() {
        return encoding;
    }

    char delimiter() {
        return delimiter;
    }

    boolean bom() {
        return bom;
    }

    List<String> header() {
        return header;
    }

    /** A delimiter as a form or API names it: auto, comma, semicolon or tab, or the character itself. */
    static char delimiter(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("auto")) {
            return 0;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "comma", "," -> ',';
            case "semicolon", ";" -> ';';
            case "tab", "\t", "\\t" -> '\t';
            default -> throw new IllegalArgumentException("delimiter must be auto, comma, semicolon or tab");
        };
    }

    static String delimiterName(char delimiter) {
        return switch (delimiter) {
            case ';' -> "semicolon";
            case '\t' -> "tab";
            default -> "comma";
        };
    }
}
