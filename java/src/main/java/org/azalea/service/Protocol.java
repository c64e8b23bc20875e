package org.azalea.service;

/**
 * The node service's control protocol, spoken over its Unix domain socket.
 *
 * <h2>Frames</h2>
 * Everything on the socket is a frame:
 * <pre>
 *   +---------+-------------------+---------------------+
 *   | type u8 | length u32 (BE)   | payload: length B   |
 *   +---------+-------------------+---------------------+
 * </pre>
 * Each {@link Type} has its own payload limit (at most {@link #MAX_PAYLOAD}),
 * checked before a byte of payload is read or allocated; an unknown type, a
 * length over the type's limit, a truncated frame or a payload that does not
 * decode exactly (trailing bytes included) is a protocol error: the reader
 * answers {@code ERROR(PROTOCOL, why)} if it can and closes the connection.
 *
 * <h2>Payloads</h2>
 * Big-endian fixed-width integers; booleans as one byte 0 or 1; strings as a
 * u32 byte count and UTF-8 (malformed UTF-8 is refused; each string has its
 * own limit); lists as a u32 count then the elements (a count larger than the
 * bytes left could hold is refused before anything is allocated).
 *
 * <h2>A connection</h2>
 * <pre>
 *   client: HELLO   magic u32 'AZNS', version u16
 *   server: WELCOME version u16, service pid u64, azalea version string
 *           (or ERROR(VERSION, ...) and close)
 *   client: one request
 *   server: its reply, or ERROR(code u8, message string); then close
 * </pre>
 * Requests and their replies:
 * <pre>
 *   STATUS                 -> NODE_STATUS  the node's shape, accelerator, uptime, quadrant occupancy
 *   LIST                   -> INSTANCES    every instance kept (running, and the last 100 ended)
 *   INSPECT id u64         -> INSTANCE     one instance with its per-opcode statistics
 *   LOGS id u64            -> LOG          the last 64 KiB of its stdout and stderr, as a string
 *   KILL id u64            -> INSTANCE     after it was killed and its resources reclaimed
 *   STOP                   -> STOPPED      after every instance ended, QEMU stopped, its files and
 *                                          the socket removed; then the service exits
 *   RUN launch request     -> STARTED      the instance (id, partition), then the stdio stream below
 * </pre>
 * A launch request is: name, program path, args (list), env (list), the
 * partition (quadrant i32 or -1 for any, whole quadrant bool, cores i32,
 * memory i64, may straddle bool), root path.  Paths must be absolute: the
 * service does not share the client's working directory.  Instances (in
 * INSTANCES, INSTANCE, STARTED, EXIT) and NODE_STATUS are encoded by {@code Codec}.
 * After STARTED the connection carries the instance's stdio until it ends:
 * <pre>
 *   server -> client: STDOUT bytes, STDERR bytes (at most {@link #MAX_CHUNK} each),
 *                     CREDIT n u32 (the instance consumed n bytes of stdin),
 *                     EXIT the final instance, with its exit status (sent after its resources are reclaimed)
 *   client -> server: STDIN bytes, STDIN_EOF, KILL_RUN
 * </pre>
 * Stdin is flow-controlled so that a client can never make the service
 * buffer without bound, and the service keeps reading KILL_RUN even when the
 * program does not read its stdin: the client may have at most
 * {@link #STDIN_WINDOW} bytes unconsumed; each CREDIT returns some.  More is a
 * protocol error.  A run connection that closes before EXIT kills its instance
 * (a client that dies, or is interrupted, leaves nothing running).
 *
 * <p>Errors carry a code ({@link ErrorCode}) and a one-line message meant for a
 * user; a client maps BUSY and NOT_RUNNABLE back to the exceptions the local
 * API throws.  The version is bumped on any change of a frame's payload.
 */
public final class Protocol {
    private Protocol() {}

    public static final int MAGIC = 0x415a4e53; // "AZNS"
    /** 2: launch requests and instance views carry the network policy. */
    public static final int VERSION = 2;
    /** No frame is larger: a list of 100 instances with their statistics fits with room. */
    public static final int MAX_PAYLOAD = 1 << 20;
    /** Stdio bytes per frame. */
    public static final int MAX_CHUNK = 32 * 1024;
    /** Stdin bytes a client may have sent and the instance not yet consumed. */
    public static final int STDIN_WINDOW = 256 * 1024;
    /** Paths, names, arguments, messages. */
    public static final int MAX_STRING = 64 * 1024;
    /** Arguments and environment entries of a launch request. */
    public static final int MAX_LIST = 4096;

    /** Frame types, with the largest payload each may carry. */
    public enum Type {
        HELLO(0x01, 16),
        STATUS(0x02, 0),
        LIST(0x03, 0),
        INSPECT(0x04, 8),
        LOGS(0x05, 8),
        KILL(0x06, 8),
        STOP(0x07, 0),
        RUN(0x08, 512 * 1024),
        STDIN(0x10, MAX_CHUNK),
        STDIN_EOF(0x11, 0),
        KILL_RUN(0x12, 0),
        WELCOME(0x41, 1024),
        NODE_STATUS(0x42, MAX_PAYLOAD),
        INSTANCES(0x43, MAX_PAYLOAD),
        INSTANCE(0x44, 256 * 1024),
        LOG(0x45, 256 * 1024),
        STOPPED(0x46, 1024),
        STARTED(0x47, 256 * 1024),
        STDOUT(0x50, MAX_CHUNK),
        STDERR(0x51, MAX_CHUNK),
        CREDIT(0x52, 4),
        EXIT(0x53, 256 * 1024),
        ERROR(0x7f, MAX_STRING + 16);

        public final int code;
        public final int maxPayload;

        Type(int code, int maxPayload) {
            this.code = code;
            this.maxPayload = maxPayload;
        }

        private static final Type[] BY_CODE = new Type[256];

        static {
            for (Type t : values()) BY_CODE[t.code] = t;
        }

        /** The type with this code, or null. */
        public static Type of(int code) {
            return code >= 0 && code < 256 ? BY_CODE[code] : null;
        }
    }

    /** Why a request failed; sent as the ordinal, so new codes are only appended. */
    public enum ErrorCode {
        /** A malformed frame or payload, or a frame out of place. */
        PROTOCOL,
        /** The client speaks another protocol version. */
        VERSION,
        /** No instance has that id (or it is no longer kept). */
        NO_SUCH_INSTANCE,
        /** The instance already ended. */
        ENDED,
        /** The partition cannot be had now; the message says what is free. */
        BUSY,
        /** The program cannot run as an instance. */
        NOT_RUNNABLE,
        /** The node is down or stopping. */
        NODE_DOWN,
        /** Anything else; the message says what. */
        INTERNAL;

        static ErrorCode of(int ordinal) {
            ErrorCode[] all = values();
            return ordinal >= 0 && ordinal < all.length ? all[ordinal] : INTERNAL;
        }
    }
}
