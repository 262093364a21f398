package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and validating import files: encodings, CSV quoting, delimiters, mappings and every row problem. */
class ImportRowsTests {

    private static final Charset GBK = Charset.forName("GBK");

    @TempDir
    Path directory;

    private int files;

    private Path file(byte[] bytes) throws IOException {
        Path path = directory.resolve("f" + files++ + ".csv");
        Files.write(path, bytes);
        return path;
    }

    private Path file(String text) throws IOException {
        return file(text.getBytes(StandardCharsets.UTF_8));
    }

    private ImportFile open(String text) throws IOException {
        return ImportFile.open(file(text), CsvEncoding.AUTO, (char) 0);
    }

    private static List<ImportRows.Row> rows(ImportFile file, ImportMapping mapping) throws IOException {
        List<ImportRows.Row> rows = new ArrayList<>();
        ImportRows.Outcome outcome = ImportRows.read(file, mapping, 1000, 100, rows::add);
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.rows()).isEqualTo(rows.size());
        return rows;
    }

    private static ImportRows.Outcome problems(ImportFile file, ImportMapping mapping) throws IOException {
        List<ImportRows.Row> rows = new ArrayList<>();
        ImportRows.Outcome outcome = ImportRows.read(file, mapping, 3, 100, rows::add);
        assertThat(outcome.valid()).isFalse();
        return outcome;
    }

    @Test
    void quotedFieldsKeepDelimitersLineBreaksAndQuotes() throws IOException {
        ImportFile file = open("user_id,name,note\r\nu1,\"Li, Lei\",\"said \"\"hi\"\"\r\ntwice\"\r\nu2,韩梅梅,\r\n\r\n");
        List<ImportRows.Row> rows = rows(file, ImportMapping.suggested(file.header()));
        assertThat(rows).extracting(ImportRows.Row::line).containsExactly(2L, 4L);
        assertThat(rows.get(0).userId()).isEqualTo("u1");
        assertThat(rows.get(0).traits()).containsExactly(Map.entry("name", "Li, Lei"), Map.entry("note", "said \"hi\"\ntwice"));
        assertThat(rows.get(1).traits()).as("an empty cell sets nothing").containsExactly(Map.entry("name", "韩梅梅"));
    }

    @Test
    void aByteOrderMarkIsNoPartOfTheFirstColumn() throws IOException {
        byte[] text = "user_id,city\nu1,上海\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        ImportFile file = ImportFile.open(file(withBom), CsvEncoding.AUTO, (char) 0);
        assertThat(file.encoding()).isEqualTo(CsvEncoding.UTF_8);
        assertThat(file.bom()).isTrue();
        assertThat(file.header()).containsExactly("user_id", "city");
        assertThat(ImportMapping.suggested(file.header()).columns().get(0).role()).isEqualTo(ImportMapping.Role.USER_ID);
        assertThat(rows(file, ImportMapping.suggested(file.header())).get(0).traits()).containsEntry("city", "上海");
    }

    @Test
    void gbkFromChineseExcelIsDetectedOrChosen() throws IOException {
        Path path = file("用户ID,城市,性别\r\nu1,上海,女\r\nu2,北京,男\r\n".getBytes(GBK));
        ImportFile detected = ImportFile.open(path, CsvEncoding.AUTO, (char) 0);
        assertThat(detected.encoding()).isEqualTo(CsvEncoding.GB18030);
        assertThat(detected.header()).containsExactly("用户ID", "城市", "性别");
        List<ImportRows.Row> rows = rows(detected, ImportMapping.suggested(detected.header()));
        assertThat(rows.get(1).userId()).isEqualTo("u2");
        assertThat(rows.get(1).traits()).containsExactly(Map.entry("城市", "北京"), Map.entry("性别", "男"));

        assertThat(ImportFile.open(path, CsvEncoding.of("gbk"), (char) 0).header()).containsExactly("用户ID", "城市", "性别");
        assertThatThrownBy(() -> ImportFile.open(path, CsvEncoding.UTF_8, (char) 0))
                .isInstanceOf(ImportRejectedException.class)
                .hasMessageContaining("not valid utf-8: invalid bytes on line 1")
                .satisfies(e -> assertThat(((ImportRejectedException) e).code()).isEqualTo("encoding"));
    }

    @Test
    void invalidBytesAreReportedWithTheirLine() throws IOException {
        byte[] good = "user_id,city\nu1,上海\nu2,".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[good.length + 3];
        System.arraycopy(good, 0, bad, 0, good.length);
        bad[good.length] = (byte) 0xFF; // never valid in UTF-8 nor GB18030
        bad[good.length + 1] = (byte) 0xFF;
        bad[good.length + 2] = '\n';
        Path path = file(bad);
        assertThatThrownBy(() -> ImportFile.open(path, CsvEncoding.AUTO, (char) 0))
                .isInstanceOf(ImportRejectedException.class)
                .hasMessageContaining("invalid bytes on line 3")
                .satisfies(e -> assertThat(((ImportRejectedException) e).arguments()).containsExactly("utf-8", 3L));
        assertThatThrownBy(() -> ImportFile.open(path, CsvEncoding.GB18030, (char) 0)).hasMessageContaining("not valid gb18030: invalid bytes on line 3");
        byte[] truncated = {'a', '\n', (byte) 0xE4, (byte) 0xB8}; // the first two of a three-byte character
        assertThatThrownBy(() -> ImportFile.open(file(truncated), CsvEncoding.UTF_8, (char) 0)).hasMessageContaining("line 2");
    }

    @Test
    void theDelimiterIsDetectedOrChosen() throws IOException {
        assertThat(open("user_id;city;note\nu1;上海;\"a,b\"\n").delimiter()).isEqualTo(';');
        assertThat(open("user_id\tcity\nu1\t上海\n").delimiter()).isEqualTo('\t');
        assertThat(open("user_id,\"a;b;c\"\nu1,x\n").delimiter()).as("quoted text does not count").isEqualTo(',');
        assertThat(open("user_id\nu1\n").delimiter()).isEqualTo(',');
        ImportFile chosen = ImportFile.open(file("user_id;city,x\nu1;上海,y\n"), CsvEncoding.AUTO, ImportFile.delimiter("comma"));
        assertThat(chosen.header()).containsExactly("user_id;city", "x");
        assertThatThrownBy(() -> ImportFile.delimiter("pipe")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesThatCannotBeReadAtAll() throws IOException {
        assertThatThrownBy(() -> open("")).hasMessage("the file is empty");
        assertThatThrownBy(() -> open("\n\n")).hasMessage("the first line must name the columns");
        assertThatThrownBy(() -> open("user_id,,city\n")).hasMessage("every column needs a name in the first line");
        assertThatThrownBy(() -> open("city,City\n")).hasMessage("two columns are named 'City'");
        assertThat(open("user_id,city\n").preview(5)).as("header only: no rows").isEmpty();
    }

    @Test
    void valuesAreTyped() throws IOException {
        ImportFile file = open("""
                id,age,score,vip,birthday,signed_up
                u1,30,4.5,是,1990/3/1,2026-01-05T10:00:00+08:00
                u2,-2,1e3,false,2000-12-31,
                u3, 7 ,0.10,Yes,,
                """);
        ImportMapping mapping = new ImportMapping(List.of(
                new ImportMapping.Column("id", ImportMapping.Role.USER_ID, null, null),
                new ImportMapping.Column("age", ImportMapping.Role.TRAIT, "age", ImportMapping.Type.NUMBER),
                new ImportMapping.Column("score", ImportMapping.Role.TRAIT, null, ImportMapping.Type.NUMBER),
                new ImportMapping.Column("vip", ImportMapping.Role.TRAIT, "is_vip", ImportMapping.Type.BOOLEAN),
                new ImportMapping.Column("birthday", ImportMapping.Role.TRAIT, null, ImportMapping.Type.DATE),
                new ImportMapping.Column("signed_up", ImportMapping.Role.TRAIT, null, ImportMapping.Type.DATE)));
        List<ImportRows.Row> rows = rows(file, mapping);
        assertThat(rows.get(0).traits()).containsExactly(Map.entry("age", 30L), Map.entry("score", 4.5), Map.entry("is_vip", true),
                Map.entry("birthday", "1990-03-01"), Map.entry("signed_up", "2026-01-05T02:00:00Z"));
        assertThat(rows.get(1).traits()).containsExactly(Map.entry("age", -2L), Map.entry("score", 1000L), Map.entry("is_vip", false),
                Map.entry("birthday", "2000-12-31"));
        assertThat(rows.get(2).traits()).containsExactly(Map.entry("age", 7L), Map.entry("score", 0.1), Map.entry("is_vip", true));
    }

    @Test
    void everyRowProblemIsReportedWithLineAndColumn() throws IOException {
        ImportFile file = open("""
                user_id,anonymous_id,age,vip,birthday,note
                u1,,30,true,2000-01-01,ok
                ,,31,true,2000-01-01,no id
                u1,,32,true,2000-01-01,again
                u4,,old,maybe,yesterday,types
                u5,,1
                u6,,1,true,2000-01-01,x,extra
                ,a7,1,true,2000-01-01,anonymous only
                ,a7,1,true,2000-01-01,anonymous again
                %s,,1,true,2000-01-01,long id
                """.formatted("x".repeat(257)));
        ImportMapping mapping = new ImportMapping(List.of(
                new ImportMapping.Column("user_id", ImportMapping.Role.USER_ID, null, null),
                new ImportMapping.Column("anonymous_id", ImportMapping.Role.ANONYMOUS_ID, null, null),
                new ImportMapping.Column("age", ImportMapping.Role.TRAIT, null, ImportMapping.Type.NUMBER),
                new ImportMapping.Column("vip", ImportMapping.Role.TRAIT, null, ImportMapping.Type.BOOLEAN),
                new ImportMapping.Column("birthday", ImportMapping.Role.TRAIT, null, ImportMapping.Type.DATE),
                new ImportMapping.Column("note", ImportMapping.Role.TRAIT, null, ImportMapping.Type.TEXT)));
        List<ImportRows.Row> valid = new ArrayList<>();
        ImportRows.Outcome outcome = ImportRows.read(file, mapping, 1000, 100, valid::add);
        assertThat(valid).extracting(ImportRows.Row::line).containsExactly(2L, 8L);
        assertThat(outcome.rows()).isEqualTo(9);
        assertThat(outcome.invalidRows()).isEqualTo(7);
        assertThat(outcome.errors()).extracting(RowError::line, RowError::column, RowError::code).containsExactly(
                tuple(3L, null, "missing_id"),
                tuple(4L, "user_id", "duplicate_id"),
                tuple(5L, "age", "not_number"),
                tuple(5L, "vip", "not_boolean"),
                tuple(5L, "birthday", "not_date"),
                tuple(6L, null, "column_count"),
                tuple(7L, null, "column_count"),
                tuple(9L, "anonymous_id", "duplicate_id"),
                tuple(10L, "user_id", "too_long"));
        assertThat(outcome.errors().get(1).detail()).isEqualTo("'u1' is on line 2 already");
        assertThat(outcome.errors().get(1).arguments()).containsExactly("u1", "2");
        assertThat(outcome.errors().get(5).detail()).isEqualTo("the row has 3 columns, the header 6");
        assertThat(outcome.problems()).isEqualTo(9);

        ImportRows.Outcome capped = ImportRows.read(file, mapping, 1000, 2, null);
        assertThat(capped.errors()).hasSize(2);
        assertThat(capped.problems()).as("every problem is counted, not only those kept").isEqualTo(9);
    }

    @Test
    void tooLongValuesAndRowsAreProblems() throws IOException {
        ImportFile file = open("user_id,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q\nu1," + "x".repeat(2001) + ",,,,,,,,,,,,,,,,\nu2"
                + (",\"" + "y".repeat(1999) + "\"").repeat(17) + "\n");
        ImportRows.Outcome outcome = problems(file, ImportMapping.suggested(file.header()));
        assertThat(outcome.errors()).extracting(RowError::line, RowError::column, RowError::code).containsExactly(
                tuple(2L, "a", "too_long"),
                tuple(3L, null, "row_too_large"));
    }

    @Test
    void tooManyRowsStopTheReading() throws IOException {
        ImportFile file = open("user_id\nu1\nu2\nu3\nu4\nu5\n");
        ImportRows.Outcome outcome = problems(file, ImportMapping.suggested(file.header()));
        assertThat(outcome.errors()).extracting(RowError::line, RowError::code).containsExactly(tuple(5L, "too_many_rows"));
        assertThat(outcome.problems()).isEqualTo(1);
    }

    @Test
    void anUnclosedQuoteIsReportedWhereItStarts() throws IOException {
        ImportFile file = open("user_id,note\nu1,fine\nu2,\"never closed\nu3,x\n");
        ImportRows.Outcome outcome = problems(file, ImportMapping.suggested(file.header()));
        assertThat(outcome.errors()).extracting(RowError::line, RowError::code).containsExactly(tuple(3L, "malformed"));
    }

    @Test
    void mappingsThatCannotWork() throws IOException {
        List<String> header = List.of("user_id", "city", "town");
        ImportMapping noId = new ImportMapping(List.of(
                new ImportMapping.Column("user_id", ImportMapping.Role.IGNORE, null, null),
                new ImportMapping.Column("city", ImportMapping.Role.TRAIT, "city", null),
                new ImportMapping.Column("town", ImportMapping.Role.TRAIT, "city", null)));
        assertThat(ImportRows.check(noId, header)).extracting(RowError::code).containsExactly("no_id_column", "trait_twice");
        ImportMapping badName = new ImportMapping(List.of(
                new ImportMapping.Column("user_id", ImportMapping.Role.USER_ID, null, null),
                new ImportMapping.Column("city", ImportMapping.Role.TRAIT, "ci\"ty", null),
                new ImportMapping.Column("town", ImportMapping.Role.USER_ID, null, null)));
        assertThat(ImportRows.check(badName, header)).extracting(RowError::code, RowError::column)
                .containsExactly(tuple("two_id_columns", null), tuple("trait_name", "city"));
        assertThat(ImportRows.check(ImportMapping.suggested(List.of("user_id")), header)).extracting(RowError::code).containsExactly("mapping_columns");
        assertThat(ImportRows.check(ImportMapping.suggested(List.of("user_id", "city", "village")), header)).extracting(RowError::code)
                .containsExactly("mapping_header");
        assertThat(ImportRows.check(ImportMapping.suggested(header), header)).isEmpty();

        ImportFile file = open("user_id,city,town\nu1,a,b\n");
        ImportRows.Outcome outcome = ImportRows.read(file, noId, 1000, 100, null);
        assertThat(outcome.rows()).as("rows are not read under a broken mapping").isZero();
        assertThat(outcome.errors()).allMatch(error -> error.line() == 1);
    }
}
