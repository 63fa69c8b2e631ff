package vn.ocop.searchnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch whose plugins come from the classpath (as the test framework's
 * MockNode does): HTTP on 127.0.0.1 only, data in a temporary folder, no security plugin.
 *
 * <p>Usage: {@code java -Xmx512m -cp ... vn.ocop.searchnode.SearchNode [port] [data-dir]}
 * (port also from SEARCH_NODE_PORT, default 9200; by default the data lives in a new temporary
 * folder, deleted when the node stops).
 */
public final class SearchNode {
    private static final Collection<Class<? extends Plugin>> PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);

    /** Node's constructor taking classpath plugins is protected: open it here. */
    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    public static void main(String[] args) throws Exception {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("SEARCH_NODE_PORT", "9200");
        boolean temporary = args.length < 2;
        Path home = temporary ? Files.createTempDirectory("ocop-search-node") : Path.of(args[1]);
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "ocop-search")
            .put("node.name", "ocop-search-1")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "0")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", false)
            .put("indices.breaker.total.use_real_memory", false)
            .build();
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, java.util.Map.of(), home.resolve("config"), () -> "ocop-search-1");
        Node node = new ClasspathNode(environment);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (temporary) {
                    try (var paths = Files.walk(home)) {
                        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        node.start();
        System.out.println("search node listening on http://127.0.0.1:" + port + " (data in " + home + ")");
        stopped.await();
    }
}
