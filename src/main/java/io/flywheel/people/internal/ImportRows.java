package io.flywheel.people.internal;

import io.flywheel.collect.Tracking;
import io.flywheel.events.PersonQuery;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every row of an import file under a mapping, reporting each problem with its line and
 * column, and hands each valid row on as ids and typed traits. The same pass validates a file and,
 * once the whole file is valid, feeds the import.
 */
final class ImportRows {

    /** Longest text value of one cell. */
    static final int MAX_TEXT_LENGTH = 2_000;
    /** Most trait columns in one import, as for one trait edit. */
    static final int MAX_TRAITS = 100;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-M-d");
    private static final DateTimeFormatter SLASHED_DAY = DateTimeFormatter.ofPattern("uuuu/M/d");
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "1", "是", "真");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "0", "否", "假");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One valid row: at least one id, the traits it sets and their size as JSON. */
    record Row(long line, String userId, String anonymousId, Map<String, Object> traits, int traitBytes) {
    }

    /**
     * What a pass found.
     *
     * @param rows data rows read (blank lines are no rows)
     * @param invalidRows rows with at least one problem
     * @param problems every problem found, including those not kept in {@code errors}
     * @param errors the first problems, in file order
     */
    record Outcome(long rows, long invalidRows, long problems, List<RowError> errors) {

        boolean valid() {
            return problems == 0;
        }
    }

    private ImportRows() {
    }

    static boolean blank(CsvReader.Record record) {
        return record.fields().size() == 1 && record.fields().get(0).isBlank();
    }

    /** Problems of the mapping itself, reported on the header's line; empty when it can be used. */
    static List<RowError> check(ImportMapping mapping, List<String> header) {
        List<RowError> errors = new ArrayList<>();
        if (mapping.columns().size() != header.size()) {
            errors.add(RowError.of(1, null, "mapping_columns", "the mapping has " + mapping.columns().size() + " columns but the file has "
                    + header.size(), mapping.columns().size(), header.size()));
            return errors;
        }
        long userIds = mapping.columns().stream().filter(column -> column.role() == ImportMapping.Role.USER_ID).count();
        long anonymousIds = mapping.columns().stream().filter(column -> column.role() == ImportMapping.Role.ANONYMOUS_ID).count();
        if (userIds == 0 && anonymousIds == 0) {
            errors.add(RowError.of(1, null, "no_id_column", "map one column to userId (or to anonymousId)"));
        }
        if (userIds > 1 || anonymousIds > 1) {
            errors.add(RowError.of(1, null, "two_id_columns", "only one column may be the userId and only one the anonymousId"));
        }
        Set<String> traits = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            ImportMapping.Column column = mapping.columns().get(i);
            if (!column.header().strip().equals(header.get(i))) {
                errors.add(RowError.of(1, header.get(i), "mapping_header", "column " + (i + 1) + " is '" + header.get(i) + "', not '"
                        + column.header() + "'", i + 1, column.header()));
            }
            if (column.role() != ImportMapping.Role.TRAIT) {
                continue;
            }
            if (column.trait().isBlank() || !PersonQuery.isValidTraitKey(column.trait())) {
                errors.add(RowError.of(1, header.get(i), "trait_name", "'" + column.trait() + "' is no trait name: 1 to 200 characters, "
                        + "no quotes, backslashes or control characters", column.trait()));
            }
            else if (!traits.add(column.trait())) {
                errors.add(RowError.of(1, header.get(i), "trait_twice", "two columns set the trait '" + column.trait() + "'", column.trait()));
            }
        }
        if (traits.size() > MAX_TRAITS) {
            errors.add(RowError.of(1, null, "too_many_traits", "an import sets at most " + MAX_TRAITS + " traits", MAX_TRAITS));
        }
        return errors;
    }

    /**
     * Reads every row; valid rows go to {@code valid} (which may be null), problems are counted and
     * the first {@code keepErrors} kept. Reading stops after {@code maxRows} rows with an error.
     */
    static Outcome read(ImportFile file, ImportMapping mapping, int maxRows, int keepErrors, Consumer<Row> valid) throws IOException {
        List<RowError> errors = new ArrayList<>(check(mapping, file.header()));
        if (!errors.isEmpty()) {
            return new Outcome(0, 0, errors.size(), errors);
        }
        Reading reading = new Reading(file.header(), mapping, keepErrors);
        try (ImportFile.Rows records = file.rows()) {
            records.next();
            for (CsvReader.Record record; (record = records.next()) != null; ) {
                if (blank(record)) {
                    continue;
                }
                if (reading.rows == maxRows) {
                    reading.problem(RowError.of(record.line(), null, "too_many_rows", "a file may have at most " + maxRows + " rows", maxRows));
                    reading.rows++;
                    break;
                }
                Row row = reading.row(record);
                if (row != null && valid != null) {
                    valid.accept(row);
                }
            }
        }
        catch (ImportRejectedException e) {
            reading.problem(new RowError(e.arguments().length > 0 ? ((Number) e.arguments()[0]).longValue() : 1, null, e.code(),
                    Arrays.stream(e.arguments()).map(String::valueOf).toList(), e.getMessage()));
            reading.invalidRows++;
        }
        return new Outcome(reading.rows, reading.invalidRows, reading.problems, reading.errors);
    }

    /** The state of one pass. */
    private static final class Reading {

        private final List<String> header;
        private final ImportMapping mapping;
        private final int keepErrors;
        private final List<RowError> errors = new ArrayList<>();
        private final Map<String, Long> ids = new HashMap<>();
        private long rows;
        private long invalidRows;
        private long problems;

        Reading(List<String> header, ImportMapping mapping, int keepErrors) {
            this.header = header;
            this.mapping = mapping;
            this.keepErrors = keepErrors;
        }

        void problem(RowError error) {
            problems++;
            if (errors.size() < keepErrors) {
                errors.add(error);
            }
        }

        Row row(CsvReader.Record record) {
            rows++;
            long line = record.line();
            List<String> cells = record.fields();
            long before = problems;
            if (cells.size() != header.size()) {
                problem(RowError.of(line, null, "column_count", "the row has " + cells.size() + " columns, the header " + header.size(),
                        cells.size(), header.size()));
                invalidRows++;
                return null;
            }
            String userId = null;
            String anonymousId = null;
            Map<String, Object> traits = new LinkedHashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                ImportMapping.Column column = mapping.columns().get(i);
                String cell = cells.get(i).strip();
                switch (column.role()) {
                    case USER_ID -> userId = id(line, header.get(i), cell);
                    case ANONYMOUS_ID -> anonymousId = id(line, header.get(i), cell);
                    case TRAIT -> {
                        Object value = value(line, header.get(i), column.type(), cell);
                        if (value != null) {
                            traits.put(column.trait(), value);
                        }
                    }
                    case IGNORE -> {
                    }
                }
            }
            if (userId == null && anonymousId == null) {
                problem(RowError.of(line, null, "missing_id", "the row has no " + (hasUserId() ? "userId" : "anonymousId")));
            }
            else {
                String key = userId != null ? "u:" + userId : "a:" + anonymousId;
                Long first = ids.putIfAbsent(key, line);
                if (first != null) {
                    String name = userId != null ? userId : anonymousId;
                    problem(RowError.of(line, columnOf(userId != null ? ImportMapping.Role.USER_ID : ImportMapping.Role.ANONYMOUS_ID),
                            "duplicate_id", "'" + name + "' is on line " + first + " already", name, first));
                }
            }
            if (problems > before) {
                invalidRows++;
                return null;
            }
            int bytes = JSON.writeValueAsString(traits).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > Tracking.MAX_TRAITS_BYTES) {
                problem(RowError.of(line, null, "row_too_large", "the row's traits take more than 31 KB", 31));
                invalidRows++;
                return null;
            }
            return new Row(line, userId, anonymousId, traits, bytes);
        }

        private boolean hasUserId() {
            return columnOf(ImportMapping.Role.USER_ID) != null;
        }

        private String columnOf(ImportMapping.Role role) {
            for (int i = 0; i < header.size(); i++) {
                if (mapping.columns().get(i).role() == role) {
                    return header.get(i);
                }
            }
            return null;
        }

        private String id(long line, String column, String cell) {
            if (cell.isEmpty()) {
                return null;
            }
            if (cell.length() > Tracking.MAX_ID_LENGTH) {
                problem(RowError.of(line, column, "too_long", "the value has " + cell.length() + " characters, at most "
                        + Tracking.MAX_ID_LENGTH + " are allowed", cell.length(), Tracking.MAX_ID_LENGTH));
            }
            // a too-long id is still an id: the row is not reported as missing one as well
            return cell;
        }

        private Object value(long line, String column, ImportMapping.Type type, String cell) {
            if (cell.isEmpty()) {
                return null;
            }
            Object value = switch (type) {
                case TEXT -> cell;
                case NUMBER -> number(cell);
                case BOOLEAN -> bool(cell);
                case DATE -> date(cell);
            };
            if (value == null) {
                problem(RowError.of(line, column, "not_" + type.key(), "'" + shorten(cell) + "' is not a " + type.key()
                        + (type == ImportMapping.Type.DATE ? " (e.g. 2026-03-01)" : type == ImportMapping.Type.BOOLEAN ? " (true or false)" : ""),
                        shorten(cell)));
                return null;
            }
            if (type == ImportMapping.Type.TEXT && cell.length() > MAX_TEXT_LENGTH) {
                problem(RowError.of(line, column, "too_long", "the value has " + cell.length() + " characters, at most " + MAX_TEXT_LENGTH
                        + " are allowed", cell.length(), MAX_TEXT_LENGTH));
                return null;
            }
            return value;
        }
    }

    private static String shorten(String cell) {
        return cell.length() <= 40 ? cell : cell.substring(0, 40) + "…";
    }

    /** A decimal number; integral values fitting a long stay integers. */
    static Object number(String cell) {
        try {
            BigDecimal decimal = new BigDecimal(cell);
            try {
                return decimal.longValueExact();
            }
            catch (ArithmeticException notIntegral) {
                double value = decimal.doubleValue();
                return Double.isFinite(value) ? value : null;
            }
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    static Boolean bool(String cell) {
        String value = cell.toLowerCase(Locale.ROOT);
        if (TRUE.contains(value)) {
            return Boolean.TRUE;
        }
        return FALSE.contains(value) ? Boolean.FALSE : null;
    }

    /** A day (2026-03-01, 2026/3/1) as ISO text, or a date-time with an offset as an ISO instant. */
    static String date(String cell) {
        for (DateTimeFormatter format : List.of(DAY, SLASHED_DAY)) {
            try {
                return LocalDate.parse(cell, format).toString();
            }
            catch (DateTimeParseException e) {
                // try the next form
            }
        }
        try {
            return OffsetDateTime.parse(cell).toInstant().toString();
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }
}
