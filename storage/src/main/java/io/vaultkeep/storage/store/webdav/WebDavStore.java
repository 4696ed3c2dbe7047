package io.vaultkeep.storage.store.webdav;

import com.github.sardine.DavResource;
import com.github.sardine.impl.SardineException;
import com.github.sardine.impl.SardineImpl;
import io.vaultkeep.storage.store.LocationFullException;
import io.vaultkeep.storage.store.ObjectAlreadyExistsException;
import io.vaultkeep.storage.store.ObjectContent;
import io.vaultkeep.storage.store.ObjectInfo;
import io.vaultkeep.storage.store.ObjectKeys;
import io.vaultkeep.storage.store.OutsideLocationException;
import io.vaultkeep.storage.store.ObjectNotFoundException;
import io.vaultkeep.storage.store.ObjectStore;
import io.vaultkeep.storage.tls.TlsTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.ConnectionClosedException;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.HttpHeaders;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * An {@link ObjectStore} on a WebDAV collection (Apache mod_dav, Nextcloud, Synology, rclone, ...):
 * the key {@code a/b/c.zip} is the resource {@code <url>/a/b/c.zip}.
 *
 * <p>Writes follow Keyguard's protocol: the content is PUT to a temporary sibling
 * {@code .kg-tmp-<uuid>.tmp} with a Content-Length (never chunked), its size is checked with
 * PROPFIND, and it is then MOVEd into place with {@code Overwrite: F} for create-only writes (412
 * means the object exists) and {@code Overwrite: T} for replacing ones. A server that cannot MOVE is
 * refused: writing in place would let a reader see a partial object.
 *
 * <p>What create-only guarantees depends on the server. rclone's {@code serve webdav}
 * (golang.org/x/net/webdav) holds a temporary lock on the destination from its existence check to
 * its rename, so of racing creates one wins and the others get 423 (retried, then 412). Apache
 * mod_dav checks that the destination is absent when the request starts and renames (rename(2)
 * replaces) much later with nothing held: racing creates can all be answered with success, the last
 * rename in place. No WebDAV request makes a file exclusively on mod_dav_fs (only MKCOL's mkdir is
 * atomic, and a LOCK of an absent key leaves an empty object a crash would strand). So after a
 * create's MOVE the store looks at the key once more (one PROPFIND; {@link MovedObjectCheck}) and
 * reports {@link ObjectAlreadyExistsException} when another writer's object is there. That catches
 * the writers whose rename was replaced before they looked. Apache's ETag is size and mtime, and two
 * racing writers' files of one size often share a clock tick; such an ETag is weak while the file is
 * under a second old, so a weak one is confirmed by reading the object's first 64 KiB back (random
 * salts and ids come first). Measured, racing creates with two winners went from about 8 % of trials
 * to about 2 % with the look alone and to 0 of 350 with the start read back (docs/BENCHMARKS.md,
 * fifth session). A racing rename that lands after the look is still not caught, so on such a server
 * create-only is not exclusive:
 * callers for whom a second winner matters confirm what they created (the writer lock reads its
 * token back after a pause and before a commit, a new repository reads back its id); a blob,
 * content-addressed, is the same whoever wins.
 *
 * <p>Requests that fail with 5xx, 423 Locked, a timeout or a dropped connection are retried with
 * exponential backoff, a bounded number of times; 507 Insufficient Storage is reported at once as
 * {@link LocationFullException}. Authentication is preemptive Basic; TLS certificates are verified.
 */
public final class WebDavStore implements ObjectStore {


    /** How much of a just created object is read back when a weak ETag cannot tell it from another's. */
    private static final int CREATE_CHECK_BYTES = 64 * 1024;
    private static final int PRECONDITION_FAILED = 412;
    private static final int LOCKED = 423;
    private static final int INSUFFICIENT_STORAGE = 507;
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;
    private static final int METHOD_NOT_ALLOWED = 405;
    private static final int FORBIDDEN = 403;
    private static final int NOT_IMPLEMENTED = 501;
    private static final int RANGE_NOT_SATISFIABLE = 416;
    private static final int TOO_MANY_REQUESTS = 429;

    /** How the store talks to its server; {@link #defaults()} suits real servers. */
    public record Settings(
            int maxConnectionsPerHost,
            Duration connectTimeout,
            Duration readTimeout,
            int maxAttempts,
            Duration firstBackoff,
            Duration maxBackoff,
            Path spoolFolder) {

        public Settings {
            if (maxConnectionsPerHost < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("connections and attempts must be at least 1");
            }
            if (connectTimeout.isNegative() || readTimeout.isNegative()
                    || firstBackoff.isNegative() || maxBackoff.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
        }

        public static Settings defaults() {
            return new Settings(8, Duration.ofSeconds(15), Duration.ofSeconds(60), 6,
                    Duration.ofMillis(250), Duration.ofSeconds(8), Path.of(System.getProperty("java.io.tmpdir")));
        }

        public Settings withAttempts(int attempts, Duration first, Duration max) {
            return new Settings(maxConnectionsPerHost, connectTimeout, readTimeout, attempts, first, max, spoolFolder);
        }

        public Settings withReadTimeout(Duration timeout) {
            return new Settings(maxConnectionsPerHost, connectTimeout, timeout, maxAttempts, firstBackoff, maxBackoff,
                    spoolFolder);
        }
    }

    private final URI base; // the collection's URL, ending in '/'
    private final String basePath; // its decoded path, ending in '/'
    private final Settings settings;
    private final DavClient dav;
    private final PoolingHttpClientConnectionManager connections;
    /** Collections known to exist (keys ending in '/'), so each is MKCOLed once, not per write. */
    private final Set<String> knownCollections = ConcurrentHashMap.newKeySet();

    private WebDavStore(URI base, Settings settings, DavClient dav, PoolingHttpClientConnectionManager connections) {
        this.base = base;
        this.basePath = base.getPath();
        this.settings = settings;
        this.dav = dav;
        this.connections = connections;
    }

    /** Opens the collection at {@code url} with the default settings; see {@link #open(String, String, char[], Path, Settings)}. */
    public static WebDavStore open(String url, String user, char[] password, Path caFile) throws IOException {
        return open(url, user, password, caFile, Settings.defaults());
    }

    /**
     * Opens the WebDAV collection at {@code url} ({@code https://} or {@code http://}), creating the
     * collection itself if it is missing (its parent must exist). Checks that the server answers and
     * accepts the credentials.
     *
     * @param user     the Basic auth user, or null for none
     * @param password the password (copied; the caller may clear the array afterwards), or null
     * @param caFile   a PEM/DER file of extra CA certificates to trust for https, or null
     */
    public static WebDavStore open(String url, String user, char[] password, Path caFile, Settings settings)
            throws IOException {
        URI base = baseUri(url);
        RequestConfig timeouts = RequestConfig.custom()
                .setConnectTimeout(millis(settings.connectTimeout()))
                .setSocketTimeout(millis(settings.readTimeout()))
                .setConnectionRequestTimeout(millis(settings.readTimeout()))
                .build();
        var sockets = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", new SSLConnectionSocketFactory(TlsTrust.context(caFile), new DefaultHostnameVerifier()))
                .build();
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(sockets);
        // A store talks to one host: the per-host bound is the real limit.
        connections.setDefaultMaxPerRoute(settings.maxConnectionsPerHost());
        connections.setMaxTotal(settings.maxConnectionsPerHost());
        // Servers close idle keep-alive connections; check before reusing one that sat idle.
        connections.setValidateAfterInactivity(500);
        HttpClientBuilder client = HttpClientBuilder.create()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(timeouts)
                // Ranges must apply to the stored bytes, not to a compressed encoding of them.
                .disableContentCompression()
                // Every retry is this store's own, bounded and with backoff.
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement();
        if (user != null) {
            String authorization = basicAuthorization(user, password == null ? new char[0] : password);
            // Preemptive: every request carries the credentials, so no upload is sent twice for a 401.
            client.addInterceptorFirst((org.apache.http.HttpRequestInterceptor) (request, context) ->
                    request.setHeader(HttpHeaders.AUTHORIZATION, authorization));
        }
        WebDavStore store = new WebDavStore(base, settings, new DavClient(client), connections);
        try {
            store.ensureRoot();
            return store;
        } catch (IOException | RuntimeException failure) {
            store.close();
            throw failure;
        }
    }

    // ---- ObjectStore

    @Override
    public ObjectInfo create(String key, ObjectContent content) throws IOException {
        return write(key, content, false);
    }

    @Override
    public ObjectInfo replace(String key, ObjectContent content) throws IOException {
        return write(key, content, true);
    }

    @Override
    public InputStream read(String key) throws IOException {
        String url = urlOf(ObjectKeys.check(key));
        return retrying("read " + key, () -> {
            try {
                return dav.get(url, Map.of(HttpHeaders.ACCEPT_ENCODING, "identity"));
            } catch (SardineException e) {
                if (e.getStatusCode() == NOT_FOUND) {
                    throw new ObjectNotFoundException(key);
                }
                throw e;
            }
        });
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    "offset and length must not be negative: offset " + offset + ", length " + length);
        }
        String url = urlOf(ObjectKeys.check(key));
        if (length == 0) {
            stat(key).orElseThrow(() -> new ObjectNotFoundException(key));
            return new byte[0];
        }
        long last = offset + length - 1; // offset and length are both below 2^63 / 2^31: no overflow
        // The whole range is read inside the retry, so a connection lost mid-body is retried too.
        return retrying("read range of " + key, () -> dav.readRange(url, offset, last, length, key));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return resource(urlOf(ObjectKeys.check(key)), "stat " + key)
                .filter(resource -> !resource.isDirectory())
                .map(resource -> infoOf(key, resource));
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        String folderPart = ObjectKeys.folderPartOf(prefix);
        String folder = folderPart.isEmpty() ? "" : folderPart + "/";
        List<ObjectInfo> found = new ArrayList<>();
        walk(folder, (key, resource) -> {
            if (key.startsWith(prefix) && !ObjectKeys.isTemporaryName(ObjectKeys.fileName(key))) {
                found.add(infoOf(key, resource));
            }
        }, child -> child.startsWith(prefix) || prefix.startsWith(child));
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public boolean delete(String key) throws IOException {
        String url = urlOf(ObjectKeys.check(key));
        // DELETE of a collection is recursive: never send it for a key that names a folder.
        Optional<DavResource> existing = resource(url, "stat " + key);
        if (existing.isEmpty() || existing.get().isDirectory()) {
            return false;
        }
        return deleteResource(url, "delete " + key);
    }

    @Override
    public int cleanTemporaryFiles(long olderThanMillis) throws IOException {
        if (olderThanMillis < 0) {
            throw new IllegalArgumentException("age must not be negative: " + olderThanMillis);
        }
        Instant cutoff = Instant.now().minusMillis(olderThanMillis);
        List<String> stale = new ArrayList<>();
        walk("", (key, resource) -> {
            // A file without a modification time cannot be shown to be stale; it is left alone.
            if (ObjectKeys.isTemporaryName(ObjectKeys.fileName(key)) && resource.getModified() != null
                    && resource.getModified().toInstant().isBefore(cutoff)) {
                stale.add(key);
            }
        }, child -> true);
        int removed = 0;
        for (String key : stale) {
            if (deleteResource(urlOf(key), "delete temporary file " + key)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public String describe() {
        return "webdav " + base; // the URL holds no credentials: open() refuses user info in it
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() throws IOException {
        try {
            dav.shutdown();
        } finally {
            connections.shutdown();
        }
    }

    // ---- writing

    private ObjectInfo write(String key, ObjectContent content, boolean replaceExisting) throws IOException {
        ObjectKeys.check(key);
        // Cheap early answer; the MOVE with Overwrite: F is what refuses an existing object.
        if (!replaceExisting && stat(key).isPresent()) {
            throw new ObjectAlreadyExistsException(key);
        }
        String folder = folderOf(key);
        String temporaryKey = folder + ObjectKeys.newTemporaryName();
        try (UploadBody body = UploadBody.of(content, settings.spoolFolder())) {
            ensureCollections(folder);
            boolean moved = false;
            try {
                DavResource uploaded = retrying("upload " + key, () -> upload(folder, temporaryKey, body));
                moveIntoPlace(temporaryKey, key, replaceExisting);
                if (!replaceExisting && !oursInPlace(key, uploaded, body)) {
                    throw new ObjectAlreadyExistsException(key); // our temporary file, if still there, is deleted below
                }
                moved = true;
                Instant modified = uploaded.getModified() == null ? null : uploaded.getModified().toInstant();
                return new ObjectInfo(key, body.getContentLength(), modified);
            } finally {
                if (!moved) {
                    deleteQuietly(temporaryKey);
                }
            }
        } catch (UploadBody.ContentFailure failure) {
            throw (IOException) failure.getCause(); // the source's own failure, as it was thrown
        }
    }

    /** PUTs the body to the temporary name and checks that the server holds all of it. */
    private DavResource upload(String folder, String temporaryKey, UploadBody body) throws IOException {
        String url = urlOf(temporaryKey);
        try {
            dav.put(url, body, List.of());
        } catch (SardineException e) {
            if (e.getStatusCode() != CONFLICT && e.getStatusCode() != NOT_FOUND) {
                throw e;
            }
            // The parent collection vanished since it was created (or cached): make it again, once.
            forgetCollections(folder);
            ensureCollections(folder);
            dav.put(url, body, List.of());
        }
        DavResource stored = resource(url, "check upload " + temporaryKey).orElseThrow(
                () -> new IOException("the uploaded temporary file is missing: " + temporaryKey));
        Long size = stored.getContentLength();
        if (size == null || size != body.getContentLength()) {
            throw new TruncatedUpload("server stored " + size + " of " + body.getContentLength()
                    + " bytes for " + temporaryKey);
        }
        return stored;
    }

    /**
     * MOVEs the verified temporary file to its key. A MOVE that got an error status did not
     * happen and is retried as any request; one whose answer was lost may have happened, which the
     * temporary file's absence proves (its random name is ours alone).
     */
    private void moveIntoPlace(String temporaryKey, String key, boolean replaceExisting) throws IOException {
        String from = urlOf(temporaryKey);
        String to = urlOf(key);
        for (int attempt = 1; ; attempt++) {
            try {
                dav.move(from, to, replaceExisting);
                return;
            } catch (SardineException e) {
                int status = e.getStatusCode();
                if (status == PRECONDITION_FAILED && !replaceExisting) {
                    throw new ObjectAlreadyExistsException(key);
                }
                if (status == METHOD_NOT_ALLOWED || status == NOT_IMPLEMENTED) {
                    throw new IOException("atomic writes unsupported by " + describe() + ": MOVE answered "
                            + status + " " + e.getResponsePhrase() + "; refusing to write objects in place", e);
                }
                if (status == INSUFFICIENT_STORAGE) {
                    throw new LocationFullException(describe(), e);
                }
                if (!isRetryable(e) || attempt >= settings.maxAttempts()) {
                    throw e;
                }
            } catch (IOException e) {
                if (!isRetryable(e) || attempt >= settings.maxAttempts()) {
                    throw e;
                }
                if (resource(from, "check move of " + key).isEmpty()) {
                    return; // the MOVE happened; only its answer was lost
                }
            }
            pause(attempt);
        }
    }

    /**
     * Whether the object at {@code key}, just created by a MOVE the server answered with success, is
     * ours: a server that checks the destination before it renames (Apache mod_dav) lets two racing
     * creates both succeed, the later one in place. One PROPFIND decides, with the object's first
     * 64 KiB read back when its ETag is weak (a file of the last second on Apache), and the whole
     * content only when the properties cannot tell at all ({@link MovedObjectCheck}).
     */
    private boolean oursInPlace(String key, DavResource uploaded, UploadBody body) throws IOException {
        String url = urlOf(key);
        MovedObjectCheck check = new MovedObjectCheck(uploaded.getEtag(), body.getContentLength());
        Optional<MovedObjectCheck.Seen> inPlace = resource(url, "check create of " + key).map(resource ->
                new MovedObjectCheck.Seen(resource.getEtag(),
                        resource.getContentLength() == null ? -1 : resource.getContentLength()));
        return switch (check.judge(inPlace)) {
            case OURS -> true;
            case ANOTHERS -> false;
            case COMPARE_START -> {
                int length = (int) Math.min(body.getContentLength(), CREATE_CHECK_BYTES);
                try {
                    byte[] start = readRange(key, 0, length);
                    // shorter than the size the look saw: replaced since, by another writer's
                    yield start.length == length && body.startsWith(start);
                } catch (ObjectNotFoundException gone) {
                    yield true; // deleted since it was put in place: the create itself happened
                }
            }
            case COMPARE_CONTENT -> retrying("check create of " + key, () -> {
                try (InputStream stored = dav.get(url, Map.of(HttpHeaders.ACCEPT_ENCODING, "identity"))) {
                    return body.sameAs(stored);
                } catch (SardineException e) {
                    if (e.getStatusCode() == NOT_FOUND) {
                        return true; // deleted since it was put in place: the create itself happened
                    }
                    throw e;
                }
            });
        };
    }

    /** MKCOLs each missing collection of {@code folder} ("a/b/"), from the top down. */
    private void ensureCollections(String folder) throws IOException {
        if (folder.isEmpty() || knownCollections.contains(folder)) {
            return;
        }
        int slash = folder.lastIndexOf('/', folder.length() - 2);
        ensureCollections(folder.substring(0, slash + 1));
        mkcol(urlOf(folder), "collection " + folder);
        knownCollections.add(folder);
    }

    private void forgetCollections(String folder) {
        knownCollections.removeIf(known -> folder.startsWith(known));
    }

    /** Creates the store's own collection if missing, and proves that the server answers and lets us in. */
    private void ensureRoot() throws IOException {
        Optional<DavResource> root = resource(base.toASCIIString(), "open " + describe());
        if (root.isEmpty()) {
            createCollection(base);
        } else if (!root.get().isDirectory()) {
            throw new IOException(describe() + " is not a collection");
        }
    }

    /**
     * MKCOLs {@code collection}, and first its missing parents (409 Conflict says one is missing),
     * as a folder location creates its missing folders.
     */
    private void createCollection(URI collection) throws IOException {
        String url = collection.toASCIIString();
        try {
            mkcol(url, url);
        } catch (IOException e) {
            URI parent = collection.resolve("..");
            boolean conflict = (e instanceof SardineException s ? s : e.getCause()) instanceof SardineException s
                    && s.getStatusCode() == CONFLICT;
            if (!conflict || parent.getPath().equals(collection.getPath()) || parent.getPath().equals("/")) {
                throw e;
            }
            // a parent is missing, unless another writer made it since: then the second MKCOL succeeds
            if (resource(parent.toASCIIString(), "open " + parent).isEmpty()) {
                createCollection(parent);
            }
            mkcol(url, url);
        }
    }

    /**
     * MKCOL; a collection already there (405: another writer made it meanwhile, or an earlier run) is
     * as good. So is a 403 when the collection is there after all: mod_dav_fs answers 403 to the MKCOL
     * that loses a race with another writer's (its mkdir meets EEXIST).
     */
    private void mkcol(String url, String what) throws IOException {
        retrying("create " + what, () -> {
            try {
                dav.createDirectory(url);
            } catch (SardineException e) {
                if (e.getStatusCode() != METHOD_NOT_ALLOWED && e.getStatusCode() != FORBIDDEN) {
                    throw e;
                }
                Optional<DavResource> existing = resource(url, "check " + what);
                if (existing.isPresent() && existing.get().isDirectory()) {
                    return null;
                }
                if (e.getStatusCode() == FORBIDDEN) {
                    throw e;
                }
                throw new IOException("cannot create " + what + ": an object is in the way", e);
            }
            return null;
        });
    }

    // ---- reading

    /** PROPFIND Depth 0 of one resource, or empty if the server has none there. */
    private Optional<DavResource> resource(String url, String what) throws IOException {
        return retrying(what, () -> {
            try {
                List<DavResource> found = dav.list(url, 0);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            } catch (SardineException e) {
                // 3xx: some servers redirect a collection named without its trailing '/': not an object.
                if (e.getStatusCode() == NOT_FOUND || (e.getStatusCode() >= 300 && e.getStatusCode() < 400)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private interface Visitor {
        void visit(String key, DavResource resource);
    }

    private interface FolderFilter {
        boolean descendInto(String folder);
    }

    /** Visits every file under {@code folder} ("" or "a/b/"), one PROPFIND Depth 1 per collection. */
    private void walk(String folder, Visitor visitor, FolderFilter filter) throws IOException {
        String url = urlOf(folder);
        List<DavResource> children = retrying("list " + (folder.isEmpty() ? "/" : folder), () -> {
            try {
                return dav.list(url, 1);
            } catch (SardineException e) {
                if (e.getStatusCode() == NOT_FOUND) {
                    return List.of(); // an absent folder lists nothing
                }
                throw e;
            }
        });
        for (DavResource child : children) {
            String key = keyOf(child);
            if (key.isEmpty() || (key + "/").equals(folder) || key.equals(folder)) {
                continue; // the collection itself
            }
            if (child.isDirectory()) {
                String childFolder = key.endsWith("/") ? key : key + "/";
                if (filter.descendInto(childFolder)) {
                    walk(childFolder, visitor, filter);
                }
            } else {
                visitor.visit(key, child);
            }
        }
    }

    /** The key of a resource in a PROPFIND answer (collections keep a trailing '/'). */
    private String keyOf(DavResource resource) throws IOException {
        String path = resource.getPath();
        if (path.equals(basePath.substring(0, basePath.length() - 1))) {
            return "";
        }
        String key = path.startsWith(basePath) ? path.substring(basePath.length()) : null;
        // a decoded "a/../../x" starts with the base too: every segment must stay inside
        if (key != null && key.isEmpty()) {
            return key; // the collection itself
        }
        if (key == null || !ObjectKeys.staysInside(key.endsWith("/") ? key.substring(0, key.length() - 1) : key)) {
            throw new OutsideLocationException(path, "the server listed it, outside " + describe());
        }
        return key;
    }

    private ObjectInfo infoOf(String key, DavResource resource) {
        Long size = resource.getContentLength();
        Instant modified = resource.getModified() == null ? null : resource.getModified().toInstant();
        return new ObjectInfo(key, size == null ? -1 : size, modified);
    }

    private boolean deleteResource(String url, String what) throws IOException {
        return retrying(what, () -> {
            try {
                dav.delete(url);
                return true;
            } catch (SardineException e) {
                if (e.getStatusCode() == NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        });
    }

    private void deleteQuietly(String key) {
        try {
            deleteResource(urlOf(key), "delete " + key);
        } catch (IOException | RuntimeException ignored) {
            // cleanTemporaryFiles removes it on a later run; the write's own outcome matters more
        }
    }

    // ---- retries

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    /** Runs {@code call}, retrying transient failures with exponential backoff, a bounded number of times. */
    private <T> T retrying(String what, Call<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (SardineException e) {
                if (e.getStatusCode() == INSUFFICIENT_STORAGE) {
                    throw new LocationFullException(describe(), e);
                }
                if (!isRetryable(e) || attempt >= settings.maxAttempts()) {
                    throw withContext(what, e, attempt);
                }
            } catch (IOException e) {
                if (!isRetryable(e) || attempt >= settings.maxAttempts()) {
                    throw attempt > 1 ? withContext(what, e, attempt) : e;
                }
            }
            pause(attempt);
        }
    }

    private IOException withContext(String what, IOException e, int attempts) {
        if (e instanceof ObjectNotFoundException || e instanceof ObjectAlreadyExistsException
                || e instanceof LocationFullException || e instanceof UploadBody.ContentFailure) {
            return e;
        }
        String status = e instanceof SardineException s ? s.getStatusCode() + " " + s.getResponsePhrase() : e.toString();
        return new IOException(what + " on " + describe() + " failed"
                + (attempts > 1 ? " after " + attempts + " attempts" : "") + ": " + status, e);
    }

    /** 5xx (but 501, 507), 423 Locked and 429 responses, timeouts, resets and dropped connections. */
    private static boolean isRetryable(IOException e) {
        if (e instanceof SardineException s) {
            int status = s.getStatusCode();
            return status == LOCKED || status == TOO_MANY_REQUESTS
                    || (status >= 500 && status != NOT_IMPLEMENTED && status != INSUFFICIENT_STORAGE);
        }
        return e instanceof SocketTimeoutException
                || e instanceof SocketException // resets, refused or broken connections
                || e instanceof NoHttpResponseException
                || e instanceof ConnectionClosedException // a body cut short
                || e instanceof TruncatedUpload
                || (e instanceof InterruptedIOException && !(e instanceof java.nio.channels.ClosedByInterruptException)
                        && !Thread.currentThread().isInterrupted());
    }

    private void pause(int attempt) throws InterruptedIOException {
        long first = settings.firstBackoff().toMillis();
        long delay = Math.min(settings.maxBackoff().toMillis(), first << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry on " + describe());
        }
    }

    /** The server kept fewer (or more) bytes than were sent: retried as a transfer failure. */
    private static final class TruncatedUpload extends IOException {
        TruncatedUpload(String message) {
            super(message);
        }
    }

    /** Sardine, plus a ranged GET that sees the response status (Sardine's get hides it). */
    private static final class DavClient extends SardineImpl {

        DavClient(HttpClientBuilder builder) {
            super(builder);
        }

        byte[] readRange(String url, long offset, long last, int length, String key) throws IOException {
            HttpGet get = new HttpGet(url);
            get.setHeader(HttpHeaders.RANGE, "bytes=" + offset + "-" + last);
            get.setHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
            HttpResponse response = execute(get);
            boolean complete = false;
            try {
                int status = response.getStatusLine().getStatusCode();
                if (status == NOT_FOUND) {
                    throw new ObjectNotFoundException(key);
                }
                if (status == RANGE_NOT_SATISFIABLE) {
                    return new byte[0]; // at or past the end
                }
                if (status != 200 && status != 206) {
                    throw new SardineException("GET " + key, status, response.getStatusLine().getReasonPhrase());
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    return new byte[0];
                }
                try (InputStream in = entity.getContent()) {
                    if (status == 200) {
                        // The server ignored Range and sends the whole object: skip to the offset.
                        long remaining = offset;
                        while (remaining > 0) {
                            long skipped = in.skip(remaining);
                            if (skipped <= 0) {
                                if (in.read() < 0) {
                                    return new byte[0]; // the object ends before the offset
                                }
                                skipped = 1;
                            }
                            remaining -= skipped;
                        }
                    }
                    byte[] range = in.readNBytes(length);
                    complete = status == 206 || in.read() < 0;
                    return range;
                }
            } finally {
                if (!complete) {
                    get.abort(); // do not download the rest of an object nobody asked for
                }
            }
        }
    }

    // ---- keys and URLs

    private static URI baseUri(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("a WebDAV location must be an https:// or http:// URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("a WebDAV location URL must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            // Kept out of URLs so that they never reach a log or a status page.
            throw new IllegalArgumentException("put WebDAV credentials in the user and password, not in the URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebDAV location URL must not have a query or fragment");
        }
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (!path.endsWith("/")) {
            path += "/";
        }
        try {
            return new URI(scheme, null, uri.getHost(), uri.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
    }

    /** The absolute URL of a key or folder, each segment percent-encoded. */
    private String urlOf(String relative) {
        StringBuilder encoded = new StringBuilder(base.toASCIIString());
        byte[] bytes = relative.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }


    /** "a/b/c.zip" → "a/b/"; "c.zip" → "". */
    private static String folderOf(String key) {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }


    private static String basicAuthorization(String user, char[] password) {
        CharBuffer credentials = CharBuffer.allocate(user.length() + 1 + password.length);
        credentials.put(user).put(':').put(password).flip();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(credentials);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(bytes);
        } finally {
            // The header is the one copy kept; the intermediate ones are cleared.
            Arrays.fill(credentials.array(), '\0');
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
