package chainmap.devserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.Version;

/**
 * DevServer runs Neo4j Community embedded, in the foreground, with its Bolt connector on
 * 127.0.0.1:$NEO4J_PORT (7687) and authentication on for user neo4j with password
 * $NEO4J_PASSWORD (chainmap-test): a throwaway server for chainmap's conformance tests
 * where neither Docker nor Neo4j's download site is available. Its one argument is the
 * data directory (created if missing; kept between runs). It prints a line containing
 * "bolt://" once Bolt accepts connections with that password, and shuts the database down
 * cleanly on SIGTERM or SIGINT.
 */
public final class DevServer {
    private DevServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            fail("usage: run.sh DATA_DIR");
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home);
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "chainmap-test");
        if (password.codePointCount(0, password.length()) < 8) {
            fail("NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)");
        }

        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // No usage reports: this server is for tests and has no business calling out.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(
                        Long.parseLong(env("NEO4J_PAGECACHE_MB", "256"))))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("chainmap devserver: shutting down");
            dbms.shutdown();
            System.out.println("chainmap devserver: stopped");
            stopped.countDown();
        }, "devserver-shutdown"));

        setPassword(dbms, password);
        if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(Duration.ofMinutes(2).toMillis())) {
            fail("database neo4j did not become available");
        }
        awaitListening(bolt, Duration.ofSeconds(60));
        System.out.printf("chainmap devserver: Neo4j %s Community accepting connections at bolt://%s:%d (user neo4j, data %s)%n",
                Version.getNeo4jVersion(), bolt.getHostname(), bolt.getPort(), home);
        System.out.flush();
        stopped.await();
    }

    // setPassword makes neo4j's password the given one, without a forced change; it is
    // what `neo4j-admin dbms set-initial-password` achieves, done on the system database
    // so that it also applies to a data directory made by an earlier run.
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            // A data directory of an earlier run already has this password.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    // awaitListening waits until a TCP connection to addr succeeds; it assumes the Bolt
    // connector was started by build() and only guards against a slow bind.
    private static void awaitListening(SocketAddress addr, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(addr.getHostname(), addr.getPort()), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("Bolt is not listening on " + addr + ": " + e.getMessage());
                }
                Thread.sleep(200);
            }
        }
    }

    // env returns the environment variable name, or def when it is unset or empty.
    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? def : v;
    }

    // fail prints msg and exits non-zero; the shutdown hook stops a started database.
    private static void fail(String msg) {
        System.err.println("chainmap devserver: " + msg);
        System.exit(1);
    }
}
