package tofu.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Failures in words a user understands: "no such file: x" rather than {@code java.nio.file.NoSuchFileException: x}.
 * Stateless.
 */
public final class Reasons {
    private Reasons() {
    }

    /** Returns the reason for {@code e} in plain words, without Java class names where a plain phrase exists. */
    public static String of(Throwable e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            return (f.getReason() != null ? f.getReason().toLowerCase(java.util.Locale.ROOT) : "cannot use the file")
                    + ": " + f.getFile();
        }
        if (e.getMessage() != null && !e.getMessage().isEmpty()) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName();
    }
}
