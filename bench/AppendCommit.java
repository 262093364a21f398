import java.sql.*;
import java.util.*;
import org.duckdb.*;

/**
 * Micro-benchmark: what DuckDB's commits cost when appending events (docs/benchmarks.md, Tracking,
 * "2026-12-03"). WRITERS threads (default 1), each on its own connection, an events-like table with JSON properties and context, PER events per
 * transaction (plus a one-row upsert as the ingestion position), TOTAL events, a final CHECKPOINT
 * timed; CKPT sets DuckDB's checkpoint_threshold (its default is 16MB), THREADS DuckDB's threads (default 1).
 *   [WRITERS=2] CKPT=256MB java -cp ~/.m2/repository/org/duckdb/duckdb_jdbc/1.5.6.0/duckdb_jdbc-1.5.6.0.jar bench/AppendCommit.java PER TOTAL
 */
public class AppendCommit {
    public static void main(String[] a) throws Exception {
        int per = Integer.parseInt(a[0]);
        int total = Integer.parseInt(a[1]);
        String db = System.getProperty("java.io.tmpdir") + "/append-commit-bench.duckdb";
        new java.io.File(db).delete(); new java.io.File(db + ".wal").delete();
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + db);
        try (Statement s = c.createStatement()) {
            s.execute("SET threads=" + System.getenv().getOrDefault("THREADS", "1")); if (System.getenv("CKPT") != null) s.execute("SET checkpoint_threshold = '" + System.getenv("CKPT") + "'");
            s.execute("CREATE TABLE events (project_id BIGINT, message_id VARCHAR, type VARCHAR, event VARCHAR, person_id BIGINT, anonymous_id VARCHAR, user_id VARCHAR, ts TIMESTAMP, received_at TIMESTAMP, url VARCHAR, properties VARCHAR, context VARCHAR)");
            s.execute("CREATE TABLE pos (source VARCHAR PRIMARY KEY, position BIGINT)");
        }
        int writers = Integer.parseInt(System.getenv().getOrDefault("WRITERS", "1"));
        long[] appendNs = new long[writers], commitNs = new long[writers];
        long t0 = System.nanoTime();
        Thread[] threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            int writer = w;
            DuckDBConnection own = writer == 0 ? c : (DuckDBConnection) c.duplicate();
            threads[w] = new Thread(() -> {
                try {
                    write(own, writer, per, total / writers, appendNs, commitNs);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            threads[w].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long ck = System.nanoTime();
        try (Statement s = c.createStatement()) { s.execute("CHECKPOINT"); }
        long ckMs = (System.nanoTime() - ck) / 1_000_000;
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.print("final checkpoint " + ckMs + " ms; ");
        System.out.printf("writers=%d per=%d total=%d: %d ms (%.0f events/s), appends %d ms, commits %d ms (%.1f ms per commit) (writer sums)%n", writers, per, total, ms, total * 1000.0 / ms,
                java.util.Arrays.stream(appendNs).sum() / 1_000_000, java.util.Arrays.stream(commitNs).sum() / 1_000_000, java.util.Arrays.stream(commitNs).sum() / 1e6 / (total / per));
    }

    /** One writer: its own connection, its own position row, {@code count} events in transactions of {@code per}. */
    static void write(DuckDBConnection c, int writer, int per, int count, long[] appendNs, long[] commitNs) throws Exception {
        Random r = new Random(1 + writer);
        int n = 0;
        long base = 1795000000L * 1_000_000L;
        while (n < count) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO pos VALUES (?, ?)")) { p.setString(1, "wal-" + writer); p.setLong(2, n); p.executeUpdate(); }
            long st = System.nanoTime();
            try (DuckDBAppender ap = c.createAppender("main", "events")) {
                for (int i = 0; i < per; i++, n++) {
                    ap.beginRow(); ap.append(1L); ap.append("msg-" + writer + "-" + n + "-" + r.nextInt()); ap.append("track"); ap.append("Product Viewed");
                    ap.append((long) r.nextInt(1000000)); ap.append("anon-" + r.nextInt(1000000)); ap.append("u_" + r.nextInt(1000000));
                    ap.appendEpochMicros(base + n * 100L); ap.appendEpochMicros(base + n * 100L);
                    ap.append("https://shop.example.com/p/" + r.nextInt(500));
                    ap.append("{\"product_id\":\"p-" + r.nextInt(300) + "\",\"price\":" + r.nextInt(500) + ",\"category\":\"apparel\"}");
                    ap.append("{\"library\":{\"name\":\"analytics.js\",\"version\":\"4.1.0\"},\"page\":{\"url\":\"https://shop.example.com/p/" + r.nextInt(500) + "\",\"referrer\":\"https://www.baidu.com/\"},\"userAgent\":\"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15\",\"ip\":\"10.0." + r.nextInt(255) + "." + r.nextInt(255) + "\",\"locale\":\"zh-CN\"}");
                    ap.endRow();
                }
            }
            long ap2 = System.nanoTime();
            c.commit();
            c.setAutoCommit(true);
            appendNs[writer] += ap2 - st;
            commitNs[writer] += System.nanoTime() - ap2;
        }
    }
}
