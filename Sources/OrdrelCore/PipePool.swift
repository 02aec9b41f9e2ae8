import OrdrelSystem

/// A kernel pipe through which splice() moves a stream's bytes from one socket to the other
/// without copying them to user space.
struct SplicePipe {
    let read: FD
    let write: FD
}

/// Pipes recycled between streams, like haproxy's `maxpipes` pool. A pipe returns to the pool
/// only when empty; one that still holds bytes (an aborted stream) is closed instead.
final class PipePool {
    /// How many bytes a pipe holds before splice-in would block. Pipes are grown to this size
    /// (fewer splice calls per megabyte); one the kernel will not grow is not used.
    static let capacity = 262_144
    private var idle: [SplicePipe] = []
    private let maxIdle: Int
    /// Most pipes open at once (idle ones included: a pipe is only created when none is idle);
    /// beyond it streams keep using their buffers. Sized from the fd budget at start-up.
    var limit: Int
    private(set) var inUse = 0
    /// Pipes the kernel refused (pipe() failed or would not grow to `capacity`).
    private(set) var failures = 0
    /// Sliding sum of `inUse` sampled at each return (`PoolAverage`).
    private(set) var neededSum = 0

    /// Empty pipes kept for the next bulk stream.
    var idleCount: Int { idle.count }

    init(limit: Int, maxIdle: Int = 32) {
        self.limit = limit
        self.maxIdle = maxIdle
    }

    /// A pipe, or nil when the limit is reached or the kernel refuses one (the caller buffers).
    func take() -> SplicePipe? {
        guard inUse < limit else { return nil }
        if let pipe = idle.popLast() {
            inUse += 1
            return pipe
        }
        guard let (read, write) = try? FD.pipe() else {
            failures += 1
            return nil
        }
        guard let granted = try? write.setPipeSize(Self.capacity), granted >= Self.capacity else {
            failures += 1
            read.close()
            write.close()
            return nil
        }
        inUse += 1
        return SplicePipe(read: read, write: write)
    }

    func give(_ pipe: SplicePipe, empty: Bool) {
        inUse -= 1
        neededSum = PoolAverage.add(neededSum, inUse)
        if empty && idle.count < maxIdle {
            idle.append(pipe)
        } else {
            pipe.read.close()
            pipe.write.close()
        }
    }

    deinit {
        for pipe in idle {
            pipe.read.close()
            pipe.write.close()
        }
    }
}
