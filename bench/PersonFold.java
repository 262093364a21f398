import java.sql.*;
import java.util.*;
import org.duckdb.*;

/**
 * Micro-benchmark behind the persons fold (docs/benchmarks.md, "2026-12-03"): DuckDB alone, one
 * thread, a persons table of 1M rows (the store's columns and key), batches of PER persons drawn from
 * an active pool of 10,000. "inplace" updates persons once per batch (the store before the fold);
 * "fold" appends each batch to a change table and updates persons once every FOLD_EVERY batches.
 * Prints the mean and median time per batch, commits included.
 *   java -cp ~/.m2/repository/org/duckdb/duckdb_jdbc/1.5.6.0/duckdb_jdbc-1.5.6.0.jar bench/PersonFold.java inplace|fold BATCHES PER [FOLD_EVERY]
 */
public class PersonFold {
    static final String PERSONS = """
        CREATE TABLE persons (project_id BIGINT NOT NULL, person_id BIGINT NOT NULL, first_seen TIMESTAMP, last_seen TIMESTAMP,
          event_count BIGINT NOT NULL, user_id VARCHAR, traits VARCHAR NOT NULL, traits_updated_at TIMESTAMP,
          first_touch_channel VARCHAR, first_touch_campaign VARCHAR, first_touch_at TIMESTAMP, last_touch_channel VARCHAR,
          last_touch_campaign VARCHAR, last_touch_at TIMESTAMP, PRIMARY KEY (project_id, person_id))""";
    private static final String DB = System.getProperty("java.io.tmpdir") + "/person-fold-bench.duckdb";

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        int batches = Integer.parseInt(a[1]);
        int perBatch = Integer.parseInt(a[2]);
        int foldEvery = a.length > 3 ? Integer.parseInt(a[3]) : 1;
        new java.io.File(DB).delete(); new java.io.File(DB + ".wal").delete();
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + DB);
        try (Statement s = c.createStatement()) {
            s.execute("SET threads=1");
            s.execute(PERSONS);
            s.execute("INSERT INTO persons SELECT 1, i, TIMESTAMP '2026-01-01' + INTERVAL (i % 300) DAY, TIMESTAMP '2026-11-01' + INTERVAL (i % 1000) MINUTE, 100, 'user-' || i, "
              + "'{\"city\":\"上海\",\"age_band\":\"25-34\",\"gender\":\"f\",\"name\":\"Person ' || i || '\"}', TIMESTAMP '2026-06-01', 'organic', 'spring', TIMESTAMP '2026-01-01', 'paid', 'autumn', TIMESTAMP '2026-11-01' FROM range(1000000) t(i)");
            s.execute("CHECKPOINT");
            s.execute("CREATE TABLE person_changes (project_id BIGINT, person_id BIGINT, last_seen TIMESTAMP, event_count BIGINT)");
        }
        Random r = new Random(1);
        long[] active = new long[10000];
        for (int i = 0; i < active.length; i++) active[i] = r.nextInt(1000000);
        List<Long> times = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            long st = System.nanoTime();
            c.setAutoCommit(false);
            Set<Long> persons = new HashSet<>();
            while (persons.size() < perBatch) persons.add(active[r.nextInt(active.length)]);
            long micros = (1795000000L + b) * 1_000_000L;
            String target = mode.equals("inplace") ? "person_batch" : "person_changes";
            try (Statement s = c.createStatement()) {
                if (mode.equals("inplace")) s.execute("CREATE OR REPLACE TEMP TABLE person_batch (project_id BIGINT, person_id BIGINT, last_seen TIMESTAMP, event_count BIGINT)");
                try (DuckDBAppender ap = mode.equals("inplace") ? c.createAppender("temp", "main", target) : c.createAppender("main", target)) {
                    for (long p : persons) { ap.beginRow(); ap.append(1L); ap.append(p); ap.appendEpochMicros(micros); ap.append(3L); ap.endRow(); }
                }
                if (mode.equals("inplace")) {
                    s.execute("UPDATE persons SET last_seen = greatest(persons.last_seen, b.last_seen), event_count = persons.event_count + b.event_count FROM person_batch b WHERE persons.project_id = b.project_id AND persons.person_id = b.person_id");
                    s.execute("DROP TABLE person_batch");
                } else if ((b + 1) % foldEvery == 0) {
                    s.execute("UPDATE persons SET last_seen = greatest(persons.last_seen, b.last_seen), event_count = persons.event_count + b.event_count FROM (SELECT project_id, person_id, max(last_seen) AS last_seen, sum(event_count) AS event_count FROM person_changes GROUP BY ALL) b WHERE persons.project_id = b.project_id AND persons.person_id = b.person_id");
                    s.execute("DELETE FROM person_changes");
                }
            }
            c.commit();
            c.setAutoCommit(true);
            times.add((System.nanoTime() - st) / 1000);
        }
        long total = (System.nanoTime() - t0) / 1_000_000;
        Collections.sort(times);
        System.out.printf("%s batches=%d per=%d foldEvery=%d total=%d ms mean=%.1f ms median=%.1f ms max=%.1f%n", mode, batches, perBatch, foldEvery, total,
            total / (double) batches, times.get(times.size()/2) / 1000.0, times.get(times.size()-1) / 1000.0);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sum(event_count) FROM persons")) { rs.next(); System.out.println("sum=" + rs.getLong(1)); }
    }
}
