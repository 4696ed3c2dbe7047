package io.vaultkeep.engine.transfer;

import io.vaultkeep.storage.repository.BackupRun;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Storing a run's new blobs as a stream (the first part of invariant «blobs before snapshot before
 * index», docs/design.md): the attachments the plan chose to store are read from their source
 * (a download from the Bitwarden server, a file) and written to the repository's store with at most
 * {@code parallelism} transfers at once, each on the blocking dispatcher. Downloads and uploads of
 * different attachments overlap; memory stays bounded by the transfers in flight (each spools at most
 * one ZIP), whatever the number of attachments.
 *
 * <p>The run is handed back only when every transfer it started has ended: after a failure the
 * others still in flight are awaited, so a rollback that follows never races an upload that would
 * create a blob after the rollback removed it.
 */
public final class AttachmentTransfers {

    /** Transfers at once unless a caller asks otherwise: within a WebDAV store's connection limit (8). */
    public static final int DEFAULT_PARALLELISM = 4;

    private final ClassicActorSystemProvider system;
    private final Executor blocking;
    private final int parallelism;

    /**
     * @param blocking the blocking dispatcher ({@code EngineTuning.BLOCKING_DISPATCHER}): every
     *     transfer blocks on I/O
     */
    public AttachmentTransfers(ClassicActorSystemProvider system, Executor blocking, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.system = system;
        this.blocking = blocking;
        this.parallelism = parallelism;
    }

    /**
     * Stores every blob the run planned, then records them in the run ({@link BackupRun#blobsStored}).
     *
     * @return the new blob ids, or the first failure (a {@link CompletionException} around an
     *     {@link IOException} when the source or the store failed)
     */
    public CompletionStage<List<String>> storePlanned(BackupRun run) {
        List<BackupRun.PlannedBlob> planned = run.plannedBlobs();
        if (planned.isEmpty()) {
            // most runs store no new attachment: no stream to materialise for them
            try {
                return CompletableFuture.completedFuture(run.blobsStored(List.of()));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Queue<CompletableFuture<BackupRun.StoredBlob>> started = new ConcurrentLinkedQueue<>();
        CompletionStage<List<BackupRun.StoredBlob>> stored = Source.from(planned)
                .mapAsync(parallelism, blob -> {
                    CompletableFuture<BackupRun.StoredBlob> transfer = CompletableFuture.supplyAsync(() -> {
                        try {
                            return run.storeBlob(blob);
                        } catch (IOException e) {
                            throw new CompletionException(e);
                        }
                    }, blocking);
                    started.add(transfer);
                    return transfer;
                })
                .runWith(Sink.seq(), system);
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        // on the blocking pool, as the transfers: a Pekko future's plain whenComplete would start a thread
        stored.whenCompleteAsync((blobs, failure) -> {
            if (failure == null) {
                try {
                    result.complete(run.blobsStored(blobs));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .whenComplete((settled, ignored) -> result.completeExceptionally(cause));
        }, blocking);
        return result;
    }
}
