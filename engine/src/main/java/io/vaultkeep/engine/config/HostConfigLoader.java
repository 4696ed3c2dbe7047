package io.vaultkeep.engine.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.vaultkeep.engine.config.HostConfig.DebounceSettings;
import io.vaultkeep.engine.config.HostConfig.Limits;
import io.vaultkeep.engine.config.HostConfig.StatusEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads and checks a host configuration file before anything starts. Every mistake is collected
 * (unknown or missing keys, wrong types, bad values, unset environment variables, folders that
 * cannot be read or written, duplicate ids or locations) and reported together in one
 * {@link ConfigException}, each with its file, line and path.
 *
 * <p>The file is HOCON (JSON works too); {@code include} and substitutions of other keys work,
 * substitutions from the system environment do not: secrets come only through the {@code *-env}
 * keys, looked up in the environment given, and their {@code *-file} twins. Relative paths resolve
 * against the file's folder.
 */
public final class HostConfigLoader {

    public static final String ROOT = "vaultkeep";
    /** A top-level block passed through to the actor system unchecked. */
    public static final String PEKKO = "pekko";

    private static final Set<String> SOURCE_KINDS = new LinkedHashSet<>(List.of("bitwarden", "export-folder", "push"));
    private static final Set<String> LOCATION_KINDS = new LinkedHashSet<>(List.of("folder", "webdav"));
    /** max-age: any positive duration (a test may want seconds; a real one is hours). */
    private static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
    private static final Duration MAX_ATTENTION_RETRY_CEILING = Duration.ofDays(7);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Path file;
    private final Path base;
    private final UnaryOperator<String> environment;
    private final ProblemList problems;
    private final NotifyConfigReader notify = new NotifyConfigReader(this);

    private HostConfigLoader(Path file, UnaryOperator<String> environment) {
        this.file = file.toAbsolutePath().normalize();
        this.base = this.file.getParent();
        this.environment = environment;
        this.problems = new ProblemList(this.file);
    }

    /**
     * Loads and checks the whole configuration; reads (never creates) the folders it names.
     *
     * @param environment where {@code *-env} variables are looked up, e.g. {@code System::getenv}
     * @throws ConfigException with every problem found
     */
    public static HostConfig load(Path file, UnaryOperator<String> environment) throws ConfigException {
        return new HostConfigLoader(file, environment).loadHost();
    }

    /**
     * Reads only {@code vaultkeep.status} and {@code vaultkeep.data-dir}: what {@code vaultkeep
     * status} needs to find a running host and its token, without the secrets and folders the host
     * itself needs.
     *
     * @throws ConfigException when the file cannot be parsed or these keys are wrong
     */
    public static HostConfig.StatusAccess loadStatusAccess(Path file) throws ConfigException {
        HostConfigLoader loader = new HostConfigLoader(file, name -> null);
        Config config = loader.parse();
        ConfigSection root = new ConfigSection("", config.root(), loader.problems);
        Optional<ConfigSection> vaultkeep = root.section(ROOT);
        StatusEndpoint status = vaultkeep.flatMap(vk -> vk.section("status")).map(loader::status).orElse(StatusEndpoint.DEFAULT);
        Path dataDir = vaultkeep.flatMap(vk -> loader.path(vk, "data-dir")).orElse(loader.base.resolve("data").normalize());
        loader.problems.throwIfAny();
        return new HostConfig.StatusAccess(status, dataDir);
    }

    private Config parse() throws ConfigException {
        if (!Files.isRegularFile(file)) {
            problems.addForFile(Files.isDirectory(file) ? "is a folder, not a config file" : "no such config file");
            problems.throwIfAny();
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                            .setSyntax(ConfigSyntax.CONF)
                            .setAllowMissing(false))
                    .resolve(ConfigResolveOptions.noSystem());
        } catch (com.typesafe.config.ConfigException e) {
            // HOCON stops at the first syntax error: there is only one to report
            String message = e.getMessage();
            if (e.origin() != null && message.startsWith(e.origin().description() + ": ")) {
                message = message.substring(e.origin().description().length() + 2);
            }
            problems.add(e.origin(), "", message);
            problems.throwIfAny();
            throw new AssertionError("unreachable");
        }
    }

    private HostConfig loadHost() throws ConfigException {
        Config config = parse();
        ConfigSection root = new ConfigSection("", config.root(), problems);
        Config pekko = root.section(PEKKO).isPresent() ? config.withOnlyPath(PEKKO) : ConfigFactory.empty();
        Optional<ConfigSection> vaultkeep = root.section(ROOT);
        if (vaultkeep.isEmpty() && !root.has(ROOT)) {
            root.missing(ROOT, "the host's settings, vaultkeep { data-dir, accounts, … }");
        }
        root.finish();
        if (vaultkeep.isEmpty()) {
            problems.throwIfAny();
        }
        ConfigSection vk = vaultkeep.get();

        Path dataDir = path(vk, "data-dir").orElse(base.resolve("data").normalize());
        writableFolder(vk, "data-dir", dataDir, "data folder");
        Limits limits = vk.section("limits").map(this::limits).orElse(Limits.DEFAULT);
        StatusEndpoint status = vk.section("status").map(this::status).orElse(StatusEndpoint.DEFAULT);
        HostConfig.ClusterSettings cluster = vk.section("cluster").map(this::cluster).orElse(HostConfig.ClusterSettings.DEFAULT);
        DebounceSettings debounce = vk.section("debounce").map(this::debounce).orElse(DebounceSettings.DEFAULT);
        HostConfig.LogSettings log = vk.section("log").map(this::log).orElse(HostConfig.LogSettings.DEFAULT);
        HostConfig.HealthSettings health = vk.section("health").map(this::health).orElse(HostConfig.HealthSettings.DEFAULT);
        List<AccountConfig> accounts = accounts(vk);
        NotifySettings notifySettings = notify.host(vk.section("notify"));
        vk.finish();

        problems.throwIfAny();
        return new HostConfig(file, dataDir, limits, status, cluster, debounce, log, health, accounts, pekko, notifySettings);
    }

    private Limits limits(ConfigSection s) {
        Limits limits = new Limits(
                s.integer("max-concurrent-runs", Limits.DEFAULT.maxConcurrentRuns(), 1, 1024),
                s.integer("io-threads", Limits.DEFAULT.ioThreads(), 1, 256));
        s.finish();
        return limits;
    }

    private StatusEndpoint status(ConfigSection s) {
        String host = s.string("host").orElse(StatusEndpoint.DEFAULT.host());
        int port = s.integer("port", StatusEndpoint.DEFAULT.port(), 1, 65535);
        boolean metricsWithoutToken = s.bool("metrics-without-token", false);
        StatusEndpoint endpoint = new StatusEndpoint(host, port, metricsWithoutToken);
        try {
            endpoint.loopbackAddress();
        } catch (IllegalArgumentException e) {
            s.problem("host", e.getMessage());
        }
        s.finish();
        return endpoint;
    }

    private HostConfig.ClusterSettings cluster(ConfigSection s) {
        List<String> keys = List.of("key-file", "cert-file", "trust-file");
        List<Optional<Path>> files = keys.stream().map(key -> s.has(key) ? path(s, key) : Optional.<Path>empty()).toList();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            files.get(i).filter(f -> !Files.isRegularFile(f) || !Files.isReadable(f))
                    .ifPresent(f -> s.problem(key, f + " is not a readable file"));
        }
        long given = keys.stream().filter(s::has).count();
        if (given > 0 && given < keys.size()) {
            keys.stream().filter(key -> !s.has(key)).forEach(key -> s.missing(key,
                    "with key-file, cert-file and trust-file the node's PEM files are given all three"));
        }
        boolean insecure = s.bool("insecure-transport", false);
        Optional<HostConfig.ClusterNode> node = s.has("seed-nodes") ? clusterNode(s, given > 0 || insecure) : Optional.empty();
        if (!s.has("seed-nodes")) {
            for (String key : ClusterNodes.KEYS) {
                if (s.has(key) && !key.equals("seed-nodes")) {
                    s.problem(key, "is for a node of a cluster: give seed-nodes too (without them the host is a cluster of one)");
                }
            }
        }
        s.finish();
        Optional<HostConfig.NodeKeys> nodeKeys = files.stream().allMatch(Optional::isPresent)
                ? Optional.of(new HostConfig.NodeKeys(files.get(0).get(), files.get(1).get(), files.get(2).get()))
                : Optional.empty();
        return new HostConfig.ClusterSettings(nodeKeys, insecure, node);
    }

    /** A node of a cluster of several: its port, its seed nodes, the shared journal, the resolver. */
    private Optional<HostConfig.ClusterNode> clusterNode(ConfigSection s, boolean hasTransportKeys) {
        if (!hasTransportKeys) {
            s.missing("key-file", "a node of a cluster needs key-file, cert-file and trust-file from the cluster's authority "
                    + "(vaultkeep cluster-keys makes them): a key of its own is trusted by no other node");
        }
        String hostname = s.string("hostname").orElse("127.0.0.1");
        if (hostname.isBlank()) {
            s.problem("hostname", "must not be empty");
        }
        int port = s.has("port") ? s.integer("port", 0, 1, 65535) : 0;
        if (!s.has("port")) {
            s.missing("port", "the cluster port this node listens on (the other nodes' seed-nodes name it)");
        }
        List<String> seeds = new ArrayList<>();
        s.list("seed-nodes").ifPresent(list -> {
            if (list.isEmpty()) {
                s.problem("seed-nodes", "must name at least one node (host:port)");
            }
            for (var item : list) {
                if (item.valueType() != com.typesafe.config.ConfigValueType.STRING) {
                    problems.add(item.origin(), s.pathOf("seed-nodes"), "expected \"host:port\", got " + ConfigSection.describe(item));
                    continue;
                }
                try {
                    seeds.add(ClusterNodes.seedAddress((String) item.unwrapped()));
                } catch (IllegalArgumentException e) {
                    problems.add(item.origin(), s.pathOf("seed-nodes"), e.getMessage());
                }
            }
        });
        Optional<HostConfig.Journal> journal = s.section("journal").map(this::journal);
        if (!s.has("journal")) {
            s.missing("journal", "the PostgreSQL journal all nodes share, journal { url = \"jdbc:postgresql://…\", user, password-env }");
        }
        HostConfig.Downing downing = s.section("split-brain-resolver").map(this::downing).orElse(HostConfig.Downing.DEFAULT);
        if (journal.isEmpty() || port == 0) {
            return Optional.empty();
        }
        return Optional.of(new HostConfig.ClusterNode(hostname, port, seeds, journal.get(), downing));
    }

    private HostConfig.Journal journal(ConfigSection s) {
        Optional<String> url = s.requiredString("url", "the journal's JDBC URL, jdbc:postgresql://host:5432/database");
        url.filter(u -> !u.startsWith("jdbc:postgresql://")).ifPresent(u ->
                s.problem("url", "the cluster's journal is PostgreSQL: expected jdbc:postgresql://host:port/database"));
        url.filter(u -> u.toLowerCase(java.util.Locale.ROOT).contains("password=")).ifPresent(u ->
                s.problem("url", "holds a password: give it with password-env or password-file, never in the URL"));
        Optional<String> user = s.string("user");
        Optional<Secret> password = secret(s, "password");
        s.finish();
        return new HostConfig.Journal(url.orElse(""), user, password);
    }

    private HostConfig.Downing downing(ConfigSection s) {
        HostConfig.Downing defaults = HostConfig.Downing.DEFAULT;
        String strategy = s.string("strategy").orElse(defaults.strategy());
        if (!HostConfig.Downing.STRATEGIES.contains(strategy)) {
            s.problem("strategy", "must be " + String.join(", ", HostConfig.Downing.STRATEGIES) + ", not " + strategy);
            strategy = defaults.strategy();
        }
        Duration stableAfter = s.duration("stable-after", defaults.stableAfter(), Duration.ofSeconds(1), null);
        s.finish();
        return new HostConfig.Downing(strategy, stableAfter);
    }

    private DebounceSettings debounce(ConfigSection s) {
        Duration quiet = s.duration("quiet", DebounceSettings.DEFAULT.quiet(), Duration.ofMillis(1), null);
        Duration defaultMaxDelay = quiet.compareTo(DebounceSettings.DEFAULT.maxDelay()) > 0 ? quiet : DebounceSettings.DEFAULT.maxDelay();
        Duration maxDelay = s.duration("max-delay", defaultMaxDelay, quiet, "quiet");
        s.finish();
        return new DebounceSettings(quiet, maxDelay);
    }

    private HostConfig.HealthSettings health(ConfigSection s) {
        HostConfig.HealthSettings defaults = HostConfig.HealthSettings.DEFAULT;
        int threshold = s.integer("failure-threshold", defaults.failureThreshold(), 1, 1000);
        Duration ceiling = s.duration("attention-retry-ceiling", defaults.attentionRetryCeiling(), Duration.ofSeconds(1), null);
        if (ceiling.compareTo(MAX_ATTENTION_RETRY_CEILING) > 0) {
            s.problem("attention-retry-ceiling", "must be at most 7d, not " + s.value("attention-retry-ceiling").orElseThrow().unwrapped());
            ceiling = defaults.attentionRetryCeiling();
        }
        s.finish();
        return new HostConfig.HealthSettings(threshold, ceiling);
    }

    private HostConfig.LogSettings log(ConfigSection s) {
        HostConfig.LogSettings defaults = HostConfig.LogSettings.DEFAULT;
        HostConfig.LogLevel level = s.string("level").map(name -> HostConfig.LogLevel.named(name).orElseGet(() -> {
            s.problem("level", "must be error, warn, info, debug or trace, not " + name);
            return defaults.level();
        })).orElse(defaults.level());
        HostConfig.LogFormat format = s.string("format").map(name -> HostConfig.LogFormat.named(name).orElseGet(() -> {
            s.problem("format", "must be text or json, not " + name);
            return defaults.format();
        })).orElse(defaults.format());
        Optional<Path> logFile = s.has("file") ? path(s, "file") : Optional.empty();
        logFile.map(Path::getParent).filter(folder -> !Files.isDirectory(folder) || !Files.isWritable(folder))
                .ifPresent(folder -> s.problem("file", folder + " is not a folder the host can write in"));
        long maxFileSize = s.value("max-file-size").map(v -> {
            try {
                // HOCON's sizes (10MB, 512k, a plain number of bytes), as every other size in the file
                long bytes = com.typesafe.config.ConfigFactory.empty().withValue("size", v).getBytes("size");
                if (bytes < 1024) {
                    s.problem("max-file-size", "must be at least 1k, not " + ConfigSection.describe(v));
                }
                return bytes;
            } catch (com.typesafe.config.ConfigException e) {
                s.problem("max-file-size", "expected a size such as 10MB or 512k, got " + ConfigSection.describe(v));
                return defaults.maxFileSize();
            }
        }).orElse(defaults.maxFileSize());
        int maxHistory = s.integer("max-history", defaults.maxHistory(), 1, 3650);
        s.finish();
        return new HostConfig.LogSettings(level, format, logFile, maxFileSize, maxHistory);
    }

    /**
     * One account block as read: its id and folder as far as they are valid (for the checks across
     * accounts, which run even when other parts of the block are wrong) and the account when all is.
     */
    private record ReadAccount(ConfigSection section, Optional<String> id, Optional<LocationConfig> location,
                               Optional<AccountConfig> account) {}

    private List<AccountConfig> accounts(ConfigSection vk) {
        Optional<ConfigList> list = vk.list("accounts");
        if (list.isEmpty()) {
            return List.of();
        }
        List<ReadAccount> read = new ArrayList<>();
        for (int i = 0; i < list.get().size(); i++) {
            ConfigValue element = list.get().get(i);
            String path = vk.pathOf("accounts") + "[" + i + "]";
            if (element.valueType() != ConfigValueType.OBJECT) {
                problems.add(element.origin(), path, "expected an account block { id = …, source { … }, location { … } }, got "
                        + ConfigSection.describe(element));
                continue;
            }
            read.add(account(new ConfigSection(path, (ConfigObject) element, problems)));
        }
        checkDistinct(read);
        return read.stream().flatMap(r -> r.account().stream()).toList();
    }

    private ReadAccount account(ConfigSection s) {
        Optional<String> id = s.requiredString("id", "the account's id, e.g. id = \"alice\"");
        if (id.isPresent() && !AccountConfig.ID.matcher(id.get()).matches()) {
            s.problem("id", "'" + id.get() + "' is not a valid account id: 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
            id = Optional.empty();
        }
        Optional<SourceConfig> source = s.requiredSection("source",
                        "source { bitwarden { … } }, source { export-folder { path = … } } or source { push {} }")
                .flatMap(this::source);
        Optional<LocationConfig> location = s.requiredSection("location",
                        "location { folder { path = … } } or location { webdav { url = … } }")
                .flatMap(this::location);
        Optional<Secret> password = secret(s, "password");
        Retention retention = retention(s);
        boolean includeAttachments = s.bool("include-attachments", true);
        Optional<Duration> maxAge = s.has("max-age") ? Optional.ofNullable(s.duration("max-age", null, MIN_MAX_AGE, null))
                : Optional.empty();
        Optional<String> notifyId = id;
        s.section("notify").ifPresent(block -> notify.account(notifyId.orElse(""), block));
        s.finish();
        Optional<AccountConfig> account = id.isEmpty() || source.isEmpty() || location.isEmpty() ? Optional.empty()
                : Optional.of(new AccountConfig(id.get(), source.get(), location.get(), password, retention, includeAttachments, maxAge));
        return new ReadAccount(s, id, location, account);
    }

    private Optional<SourceConfig> source(ConfigSection s) {
        Optional<String> kind = oneKind(s, SOURCE_KINDS, "source");
        Optional<SourceConfig> source = kind.flatMap(k -> s.section(k)).flatMap(block -> switch (kind.get()) {
            case "export-folder" -> exportFolder(block);
            case "bitwarden" -> bitwarden(block);
            default -> {
                block.finish();
                yield Optional.of(new SourceConfig.Push());
            }
        });
        s.finish();
        return source;
    }

    private Optional<SourceConfig> bitwarden(ConfigSection s) {
        Optional<URI> server = s.requiredString("server", "the server's URL, e.g. server = \"https://vault.bitwarden.com\"")
                .flatMap(raw -> bitwardenServer(s, raw));
        Optional<String> email = s.requiredString("email", "the account's email");
        if (email.isPresent() && !email.get().contains("@")) {
            s.problem("email", "is not an email address");
            email = Optional.empty();
        }
        Optional<Secret> clientId = secret(s, "client-id");
        Optional<Secret> clientSecret = secret(s, "client-secret");
        if (hasSecret(s, "client-id") != hasSecret(s, "client-secret")) {
            s.problem(secretKey(s, hasSecret(s, "client-id") ? "client-id" : "client-secret"),
                    "an API key is client-id-env and client-secret-env (or their -file twins) together");
        }
        String modeName = s.string("mode").orElse("decrypt");
        io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode mode = switch (modeName) {
            case "decrypt" -> io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.DECRYPT;
            case "sealed" -> io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.SEALED;
            default -> {
                s.problem("mode", "must be decrypt or sealed, not " + modeName);
                yield null;
            }
        };
        Optional<Secret> masterPassword = Optional.empty();
        if (mode == io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.SEALED && hasSecret(s, "master-password")) {
            s.problem(secretKey(s, "master-password"), "sealed mode never takes the master password: the host keeps the vault encrypted "
                    + "and restore asks for it; remove this key, or use mode = decrypt");
        } else if (mode == io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.DECRYPT) {
            masterPassword = hasSecret(s, "master-password") ? secret(s, "master-password")
                    : missing(s, "master-password-env", "decrypt mode needs the variable (or master-password-file, the file) holding "
                            + "the master password (or use mode = sealed)");
        }
        boolean apiKey = hasSecret(s, "client-id") && hasSecret(s, "client-secret");
        if (mode == io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.SEALED && !apiKey
                && !hasSecret(s, "client-id") && !hasSecret(s, "client-secret")) {
            s.missing("client-id-env", "sealed mode logs in with the personal API key: client-id-env and client-secret-env "
                    + "(or their -file twins)");
        }
        Duration poll = s.duration("poll-interval", SourceConfig.Bitwarden.DEFAULT_POLL_INTERVAL, Duration.ofSeconds(1), null);
        Optional<Path> caFile = caFile(s, server);
        s.finish();
        if (server.isEmpty() || email.isEmpty() || mode == null || clientId.isPresent() != clientSecret.isPresent()
                || (apiKey && clientId.isEmpty())
                || (mode == io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.DECRYPT && masterPassword.isEmpty())
                || (mode == io.vaultkeep.engine.source.bitwarden.BitwardenSource.Mode.SEALED && clientId.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new SourceConfig.Bitwarden(server.get(), email.get().trim(), clientId, clientSecret,
                masterPassword, mode, poll, caFile));
    }

    /** https, or http to a loopback address only (a password must not cross a network in the clear). */
    private static Optional<URI> bitwardenServer(ConfigSection s, String raw) {
        return checkedUrl(s, "server", raw, SourceConfig.Bitwarden::checkedServer);
    }

    private static Optional<Secret> missing(ConfigSection s, String key, String what) {
        s.missing(key, what);
        return Optional.empty();
    }

    private Optional<SourceConfig> exportFolder(ConfigSection s) {
        Optional<Path> folder = s.has("path") ? path(s, "path") : missingPath(s, "the folder bw export writes into");
        folder.ifPresent(f -> readableFolder(s, "path", f));
        Optional<Secret> exportPassword = secret(s, "export-password");
        Duration rescan = s.duration("rescan-interval", SourceConfig.ExportFolder.DEFAULT_RESCAN_INTERVAL, Duration.ofMillis(100), null);
        Duration settle = s.duration("settle-time", SourceConfig.ExportFolder.DEFAULT_SETTLE_TIME, Duration.ofMillis(10), null);
        s.finish();
        return folder.map(f -> new SourceConfig.ExportFolder(f, exportPassword, rescan, settle));
    }

    private Optional<LocationConfig> location(ConfigSection s) {
        Optional<String> kind = oneKind(s, LOCATION_KINDS, "location");
        Optional<LocationConfig> location = kind.flatMap(k -> s.section(k)).flatMap(block -> switch (kind.get()) {
            case "folder" -> folderLocation(block);
            default -> webDavLocation(block);
        });
        s.finish();
        return location;
    }

    private Optional<LocationConfig> folderLocation(ConfigSection s) {
        Optional<Path> folder = s.has("path") ? path(s, "path") : missingPath(s, "the repository's folder");
        folder.ifPresent(f -> writableFolder(s, "path", f, "repository folder"));
        s.finish();
        return folder.map(LocationConfig.Folder::new);
    }

    private Optional<LocationConfig> webDavLocation(ConfigSection s) {
        Optional<URI> url = s.requiredString("url", "the WebDAV collection, e.g. url = \"https://dav.example.org/backups/alice\"")
                .flatMap(raw -> webDavUrl(s, raw));
        Optional<String> user = s.string("user");
        if (user.isPresent() && user.get().isBlank()) {
            s.problem("user", "must not be empty");
            user = Optional.empty();
        }
        Optional<Secret> password = secret(s, "password");
        if (password.isPresent() && !s.has("user")) {
            s.problem(secretKey(s, "password"), "needs a user: give user = \"…\" too");
        }
        Optional<Path> caFile = caFile(s, url);
        s.finish();
        Optional<String> finalUser = user;
        return url.map(u -> new LocationConfig.WebDav(u, finalUser, password, caFile));
    }

    private static Optional<URI> webDavUrl(ConfigSection s, String raw) {
        return checkedUrl(s, "url", raw, LocationConfig.WebDav::checkedUrl);
    }

    /** A URL checked by {@code check}, whose message becomes the key's problem. */
    private static Optional<URI> checkedUrl(ConfigSection s, String key, String raw, java.util.function.Function<String, URI> check) {
        try {
            return Optional.of(check.apply(raw));
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code ca-file}: a readable file of CA certificates, for an https URL. */
    Optional<Path> caFile(ConfigSection s, Optional<URI> url) {
        Optional<Path> caFile = s.has("ca-file") ? path(s, "ca-file") : Optional.empty();
        caFile.ifPresent(f -> {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                s.problem("ca-file", "CA file " + f + " is not a readable file");
            } else if (url.isPresent() && !"https".equals(url.get().getScheme())) {
                s.problem("ca-file", "applies to https:// URLs only, and the url is " + url.get().getScheme() + "://");
            }
        });
        return caFile;
    }

    /** The one kind of block (source or location) the account chose; reports none and several. */
    private static Optional<String> oneKind(ConfigSection s, Set<String> kinds, String what) {
        Set<String> chosen = s.present(kinds);
        if (chosen.size() > 1) {
            s.problem("has " + String.join(" and ", chosen) + ": an account has exactly one " + what);
            return Optional.empty();
        }
        if (chosen.isEmpty()) {
            s.problem("no " + what + " given: one of " + String.join(", ", kinds));
            return Optional.empty();
        }
        return Optional.of(chosen.iterator().next());
    }

    private Retention retention(ConfigSection s) {
        Optional<ConfigValue> v = s.value("retention");
        if (v.isEmpty()) {
            return Retention.DEFAULT;
        }
        Object raw = v.get().unwrapped();
        if ("never".equals(raw)) {
            return new Retention.Never();
        }
        if (raw instanceof Integer n && Retention.CHOICES.contains(n)) {
            return new Retention.Keep(n);
        }
        s.problem("retention", "must be one of 5, 10, 30, 60, 90 or \"never\", not " + ConfigSection.describe(v.get()));
        return Retention.DEFAULT;
    }

    /**
     * A secret from its {@code STEM-env} key (an environment variable's name) or its {@code STEM-file}
     * twin (a file private to the host's user, relative to this file's folder); at most one of them.
     */
    Optional<Secret> secret(ConfigSection s, String stem) {
        boolean fromEnvironment = s.has(stem + "-env");
        boolean fromFile = s.has(stem + "-file");
        if (fromEnvironment && fromFile) {
            s.problem(stem + "-file", stem + "-env and " + stem + "-file exclude each other: give one");
            return Optional.empty();
        }
        if (fromFile) {
            return secretFile(s, stem + "-file");
        }
        return fromEnvironment ? secretFromEnvironment(s, stem + "-env") : Optional.empty();
    }

    private static boolean hasSecret(ConfigSection s, String stem) {
        return s.has(stem + "-env") || s.has(stem + "-file");
    }

    /** The twin given, for reporting at its line. */
    private static String secretKey(ConfigSection s, String stem) {
        return s.has(stem + "-file") ? stem + "-file" : stem + "-env";
    }

    private Optional<Secret> secretFile(ConfigSection s, String key) {
        Optional<Path> file = path(s, key);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        char[] chars;
        try {
            chars = SecretFile.read(file.get());
        } catch (IllegalArgumentException e) {
            s.problem(key, e.getMessage());
            return Optional.empty();
        }
        return Optional.of(Secret.taking("file " + file.get(), chars));
    }

    private Optional<Secret> secretFromEnvironment(ConfigSection s, String key) {
        Optional<String> name = s.string(key);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (!ENV_NAME.matcher(name.get()).matches()) {
            // never echo it: a password put here by mistake must not reach a log
            s.problem(key, "is not an environment variable name (give the variable's name, such as BACKUP_PW, "
                    + "not the password itself)");
            return Optional.empty();
        }
        String value = environment.apply(name.get());
        if (value == null) {
            s.problem(key, "environment variable " + name.get() + " is not set");
            return Optional.empty();
        }
        if (value.isEmpty()) {
            s.problem(key, "environment variable " + name.get() + " is empty");
            return Optional.empty();
        }
        return Optional.of(Secret.taking("environment variable " + name.get(), value.toCharArray()));
    }

    private Optional<Path> path(ConfigSection s, String key) {
        Optional<String> raw = s.string(key);
        if (raw.isPresent() && raw.get().isBlank()) {
            s.problem(key, "must not be empty");
            return Optional.empty();
        }
        try {
            return raw.map(r -> base.resolve(r).toAbsolutePath().normalize());
        } catch (java.nio.file.InvalidPathException e) {
            s.problem(key, "is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }

    private static Optional<Path> missingPath(ConfigSection s, String what) {
        s.missing("path", what);
        return Optional.empty();
    }

    private static void readableFolder(ConfigSection s, String key, Path folder) {
        if (!Files.exists(folder)) {
            s.problem(key, "export folder " + folder + " does not exist");
        } else if (!Files.isDirectory(folder)) {
            s.problem(key, folder + " is not a folder");
        } else {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                entries.iterator().hasNext();
            } catch (IOException | SecurityException e) {
                s.problem(key, "export folder " + folder + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** Checks, without creating anything, that {@code folder} exists writable or could be created. */
    private static void writableFolder(ConfigSection s, String key, Path folder, String what) {
        if (Files.exists(folder)) {
            if (!Files.isDirectory(folder)) {
                s.problem(key, what + " " + folder + " is a file, not a folder");
            } else if (!Files.isWritable(folder) || !Files.isExecutable(folder)) {
                s.problem(key, what + " " + folder + " is not writable");
            }
            return;
        }
        Path parent = folder.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            s.problem(key, what + " " + folder + " cannot be created: no parent folder exists");
        } else if (!Files.isDirectory(parent)) {
            s.problem(key, what + " " + folder + " cannot be created: " + parent + " is a file, not a folder");
        } else if (!Files.isWritable(parent) || !Files.isExecutable(parent)) {
            s.problem(key, what + " " + folder + " cannot be created: " + parent + " is not writable");
        }
    }

    /** Ids are unique (also ignoring case: they name folders and URLs); no two repositories share or nest a folder. */
    private static void checkDistinct(List<ReadAccount> accounts) {
        Map<String, ReadAccount> byId = new HashMap<>();
        for (ReadAccount a : accounts) {
            if (a.id().isEmpty()) {
                continue;
            }
            String id = a.id().get();
            ReadAccount first = byId.putIfAbsent(id.toLowerCase(Locale.ROOT), a);
            if (first != null) {
                String firstId = first.id().get();
                a.section().problem("id", "duplicate account id '" + id + "': account '" + firstId + "' at line "
                        + first.section().origin().lineNumber() + " has it"
                        + (firstId.equals(id) ? "" : " (ids must differ in more than case)"));
            }
        }
        List<String> identities = accounts.stream().map(a -> a.location().map(LocationConfig::identity).orElse(null)).toList();
        for (OverlappingLocations.Pair pair : OverlappingLocations.find(identities)) {
            ReadAccount mine = accounts.get(pair.later());
            ReadAccount theirs = accounts.get(pair.earlier());
            String a = mine.location().get().describe();
            String b = theirs.location().get().describe();
            String other = theirs.id().map(id -> "account '" + id + "'").orElse("the account")
                    + " (line " + theirs.section().origin().lineNumber() + ")";
            if (mine.location().get().identity().equals(theirs.location().get().identity())) {
                mine.section().problem("location", "same location " + a + " as " + other + ": each account needs its own repository");
            } else {
                mine.section().problem("location", "location " + a + " and that of " + other + " (" + b
                        + ") are nested: each account needs its own repository");
            }
        }
    }
}
