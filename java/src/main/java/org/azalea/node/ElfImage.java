package org.azalea.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A program an instance can run: a static x86-64 Linux ELF executable (non-PIE
 * or static-PIE).  Checked on the host before anything boots, so a wrong file
 * is refused with a message naming what is wrong, not found later as a crash.
 */
public record ElfImage(Path path, byte[] bytes, boolean positionIndependent, long entry) {
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int EM_X86_64 = 62;
    private static final int PT_LOAD = 1;
    private static final int PT_INTERP = 3;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    /** Far larger than any program we run, small enough to copy into a partition. */
    public static final long MAX_SIZE = 256L << 20;

    /** Thrown with a one-line reason when a file cannot run as an instance. */
    public static final class NotRunnable extends Exception {
        public NotRunnable(String message) {
            super(message);
        }
    }

    public static ElfImage load(Path path) throws NotRunnable {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw new NotRunnable(path + ": is a directory");
            long size = Files.size(path);
            if (size > MAX_SIZE)
                throw new NotRunnable(path + ": " + size + " bytes, more than the " + MAX_SIZE + " accepted");
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NotRunnable(path + ": no such file");
        } catch (IOException e) {
            throw new NotRunnable(path + ": cannot read: " + e.getMessage());
        }
        return parse(path, bytes);
    }

    static ElfImage parse(Path path, byte[] bytes) throws NotRunnable {
        if (bytes.length < EHDR_SIZE || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new NotRunnable(path + ": not an ELF file");
        }
        if (bytes[4] != 2 || bytes[5] != 1) {
            throw new NotRunnable(path + ": not a 64-bit little-endian ELF file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        if (machine != EM_X86_64) throw new NotRunnable(path + ": built for ELF machine " + machine + ", not x86-64");
        if (type != ET_EXEC && type != ET_DYN)
            throw new NotRunnable(path + ": ELF type " + type + " is not an executable");
        if (phentsize != PHDR_SIZE
                || phnum == 0
                || phoff < 0
                || phoff > bytes.length
                || (long) phnum * PHDR_SIZE > bytes.length - phoff) {
            throw new NotRunnable(
                    path + ": malformed program headers (offset " + phoff + ", " + phnum + " x " + phentsize + ")");
        }
        boolean hasLoad = false;
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * PHDR_SIZE);
            int ptype = b.getInt(at);
            if (ptype == PT_INTERP) {
                throw new NotRunnable(
                        path + ": dynamically linked (has an interpreter); build it with musl-gcc -static");
            }
            if (ptype == PT_LOAD) {
                long offset = b.getLong(at + 8);
                long filesz = b.getLong(at + 32);
                long memsz = b.getLong(at + 40);
                if (offset < 0
                        || filesz < 0
                        || filesz > bytes.length - offset
                        || Long.compareUnsigned(memsz, filesz) < 0) {
                    throw new NotRunnable(path + ": malformed PT_LOAD segment " + i);
                }
                hasLoad = true;
            }
        }
        if (!hasLoad) throw new NotRunnable(path + ": no loadable segment");
        return new ElfImage(path, bytes, type == ET_DYN, entry);
    }
}
