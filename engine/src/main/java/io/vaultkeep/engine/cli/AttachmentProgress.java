package io.vaultkeep.engine.cli;

import io.vaultkeep.storage.repository.FetchedVault;
import io.vaultkeep.storage.repository.FetchedVault.AttachmentSource;
import io.vaultkeep.storage.repository.RepositoryObjects.ByteSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backup source whose attachments tell {@link Progress} how far they have been read. A run may
 * read an attachment more than once (its digest, then its upload): each counts up to the furthest
 * byte any read reached, and as done once, so the line ends at its totals.
 */
final class AttachmentProgress implements ByteSource {

    private final ByteSource content;
    private final Progress progress;
    private final AtomicLong furthest = new AtomicLong();
    private final AtomicBoolean done = new AtomicBoolean();

    private AttachmentProgress(ByteSource content, Progress progress) {
        this.content = content;
        this.progress = progress;
    }

    /** The source with counted attachments, and the progress told their totals; the source itself when nothing is shown. */
    static FetchedVault counting(FetchedVault source, Progress progress) {
        if (!progress.shown() || !source.includeAttachments() || source.attachments().isEmpty()) {
            return source;
        }
        List<AttachmentSource> counted = source.attachments().stream()
                .map(a -> new AttachmentSource(a.accountId(), a.localCipherId(), a.remoteCipherId(), a.attachmentId(), a.fileName(),
                        a.size(), new AttachmentProgress(a.content(), progress)))
                .toList();
        boolean sizesKnown = source.attachments().stream().allMatch(a -> a.size() != null);
        progress.expect(counted.size(), sizesKnown ? source.attachments().stream().mapToLong(AttachmentSource::size).sum() : -1);
        return new FetchedVault(source.vaultJson(), source.cipherCount(), source.includeAttachments(), counted,
                source.unavailableAttachmentCount(), source.warnings());
    }

    @Override
    public InputStream open() throws IOException {
        return new FilterInputStream(content.open()) {
            private long position;

            @Override
            public int read() throws IOException {
                int b = super.read();
                advance(b < 0 ? -1 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                advance(n);
                return n;
            }

            private void advance(int n) {
                if (n < 0) {
                    if (done.compareAndSet(false, true)) {
                        progress.objectDone();
                    }
                    return;
                }
                position += n;
                long before = furthest.getAndAccumulate(position, Math::max);
                if (position > before) {
                    progress.bytes(position - before);
                }
            }
        };
    }
}
