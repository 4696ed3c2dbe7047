package io.vaultkeep.storage.store;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Keyguard's location test: proves that a location can create, describe, read, range-read, list and
 * delete an object, using a small random probe under {@code health-check/}. Works with any
 * {@link ObjectStore}.
 *
 * <p>The probe stops at the first failing step and then removes the probe (best effort), so a failed
 * test leaves nothing behind where it can.
 */
public final class LocationProbe {

    /** Where probes are written; repository readers skip this folder. */
    public static final String PROBE_FOLDER = "health-check/";

    private static final int PROBE_BYTES = 64;
    private static final int RANGE_BYTES = 8;

    private final ObjectStore store;
    private final SecureRandom random = new SecureRandom();

    public LocationProbe(ObjectStore store) {
        this.store = store;
    }

    /** One step of the test; {@code detail} says what was seen, or exactly what went wrong. */
    public record Step(String name, boolean ok, String detail, long millis) {}

    /** The outcome: every step that ran, in order. A failed run ends with its failing step (and a cleanup step). */
    public record Result(String location, String probeKey, List<Step> steps) {
        public Result {
            steps = List.copyOf(steps);
        }

        public boolean ok() {
            return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
        }

        /** The first step that failed, if any. */
        public Optional<Step> firstFailure() {
            return steps.stream().filter(step -> !step.ok()).findFirst();
        }
    }

    /** Runs the test once, with a fresh probe. Never throws: failures are reported in the result. */
    public Result run() {
        byte[] probe = new byte[PROBE_BYTES];
        random.nextBytes(probe);
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        String key = PROBE_FOLDER + System.currentTimeMillis() + "-" + HexFormat.of().formatHex(nonce) + ".probe";

        ProbeRun run = new ProbeRun(key, probe);
        boolean passed = run.step("create", run::create)
                && run.step("stat", run::stat)
                && run.step("read", run::read)
                && run.step("read range", run::readRange)
                && run.step("list", run::list)
                && run.step("delete", run::delete)
                && run.step("gone", run::gone);
        if (!passed && run.probeMayExist) {
            run.step("cleanup", run::cleanUp);
        }
        return new Result(store.describe(), key, run.steps);
    }

    /** The state of one test: its probe, the steps so far, and whether a probe may be left to remove. */
    private final class ProbeRun {
        private final String key;
        private final byte[] probe;
        private final List<Step> steps = new ArrayList<>();
        private boolean probeMayExist;

        ProbeRun(String key, byte[] probe) {
            this.key = key;
            this.probe = probe;
        }

        /** Runs a check and records it as a step; true if it passed. */
        boolean step(String name, Check check) {
            long started = System.nanoTime();
            boolean ok;
            String detail;
            try {
                detail = check.run();
                ok = true;
            } catch (StepFailed failed) {
                detail = failed.getMessage();
                ok = false;
            } catch (Exception e) {
                detail = e.getMessage() == null
                        ? e.getClass().getSimpleName()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                ok = false;
            }
            steps.add(new Step(name, ok, detail, (System.nanoTime() - started) / 1_000_000));
            return ok;
        }

        String create() throws IOException, StepFailed {
            // Even a create that fails may have left a probe (e.g. a timeout after the upload).
            probeMayExist = true;
            ObjectInfo created;
            try {
                created = store.create(key, ObjectContent.ofBytes(probe));
            } catch (ObjectAlreadyExistsException notOurs) {
                probeMayExist = false; // the object under this key is not ours to delete
                throw notOurs;
            }
            if (created.size() != probe.length) {
                throw new StepFailed("size mismatch: wrote " + probe.length + ", create says " + created.size());
            }
            return "wrote " + probe.length + " bytes to " + key;
        }

        String stat() throws IOException, StepFailed {
            ObjectInfo info = store.stat(key)
                    .orElseThrow(() -> new StepFailed("stat found no object at " + key));
            if (info.size() != probe.length) {
                throw new StepFailed("size mismatch: wrote " + probe.length + ", stat says " + info.size());
            }
            return "size " + info.size();
        }

        String read() throws IOException, StepFailed {
            byte[] read;
            try (InputStream in = store.read(key)) {
                read = in.readAllBytes();
            }
            compare("read", probe, read);
            return "read " + read.length + " bytes back, identical";
        }

        String readRange() throws IOException, StepFailed {
            byte[] range = store.readRange(key, 0, RANGE_BYTES);
            compare("range read of the first " + RANGE_BYTES + " bytes", Arrays.copyOf(probe, RANGE_BYTES), range);
            return "first " + range.length + " bytes identical";
        }

        String list() throws IOException, StepFailed {
            List<ObjectInfo> listed = store.list(PROBE_FOLDER);
            ObjectInfo entry = listed.stream().filter(info -> info.key().equals(key)).findFirst()
                    .orElseThrow(() -> new StepFailed("probe not listed under " + PROBE_FOLDER
                            + " (" + listed.size() + " objects listed there)"));
            if (entry.size() != probe.length) {
                throw new StepFailed("size mismatch: wrote " + probe.length + ", list says " + entry.size());
            }
            return "listed among " + listed.size() + " objects under " + PROBE_FOLDER;
        }

        String delete() throws IOException, StepFailed {
            if (!store.delete(key)) {
                throw new StepFailed("delete found no object at " + key);
            }
            return "deleted";
        }

        String gone() throws IOException, StepFailed {
            Optional<ObjectInfo> after = store.stat(key);
            if (after.isPresent()) {
                throw new StepFailed("probe still present after delete (size " + after.get().size() + ")");
            }
            probeMayExist = false;
            return "stat finds nothing";
        }

        String cleanUp() throws IOException {
            return store.delete(key) ? "removed the probe left by the failure" : "no probe was left";
        }
    }

    /** Fails with the first difference between what was written and what came back. */
    private static void compare(String what, byte[] expected, byte[] actual) throws StepFailed {
        int mismatch = Arrays.mismatch(expected, actual);
        if (mismatch < 0) {
            return;
        }
        if (mismatch == Math.min(expected.length, actual.length)) {
            throw new StepFailed(what + " returned " + actual.length + " bytes, expected " + expected.length);
        }
        throw new StepFailed(what + " returned different bytes from byte " + mismatch
                + " (expected 0x" + HexFormat.of().toHexDigits(expected[mismatch])
                + ", got 0x" + HexFormat.of().toHexDigits(actual[mismatch]) + ")");
    }

    /** A step's check: returns the detail on success, or throws {@link StepFailed} with the reason. */
    @FunctionalInterface
    private interface Check {
        String run() throws Exception;
    }

    /** A check that saw something wrong; its message is the step's detail as it stands. */
    private static final class StepFailed extends Exception {
        StepFailed(String reason) {
            super(reason, null, false, false);
        }
    }
}
