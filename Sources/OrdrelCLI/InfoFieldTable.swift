// `show info` fields of haproxy 2.6.12 (positions, tags, types, descriptions from a real capture).

extension InfoField {
    /// Every field haproxy 2.6 prints, in position order.
    public static let all: [InfoField] = [
        InfoField(.name, pos: 0, name: "Name", tags: "POS", type: "str", desc: "Product name"),
        InfoField(.version, pos: 1, name: "Version", tags: "POS", type: "str", desc: "Product version"),
        InfoField(.releaseDate, pos: 2, name: "Release_date", tags: "POS", type: "str", desc: "Date of latest source code update"),
        InfoField(.nbthread, pos: 3, name: "Nbthread", tags: "CGS", type: "u32", desc: "Number of started threads (global.nbthread)"),
        InfoField(.nbproc, pos: 4, name: "Nbproc", tags: "CGS", type: "u32", desc: "Number of started worker processes (historical, always 1)"),
        InfoField(.processNum, pos: 5, name: "Process_num", tags: "KGP", type: "u32", desc: "Relative worker process number (1)"),
        InfoField(.pid, pos: 6, name: "Pid", tags: "SGP", type: "u32", desc: "This worker process identifier for the system"),
        InfoField(.uptime, pos: 7, name: "Uptime", tags: "MDP", type: "str", desc: "How long ago this worker process was started (days+hours+minutes+seconds)"),
        InfoField(.uptimeSec, pos: 8, name: "Uptime_sec", tags: "MDP", type: "u32", desc: "How long ago this worker process was started (seconds)"),
        InfoField(.memmaxMB, pos: 9, name: "Memmax_MB", tags: "CLP", type: "u32", desc: "Worker process's hard limit on memory usage in MB (-m on command line)"),
        InfoField(.poolAllocMB, pos: 10, name: "PoolAlloc_MB", tags: "MGP", type: "u32", desc: "Amount of memory allocated in pools (in MB)"),
        InfoField(.poolUsedMB, pos: 11, name: "PoolUsed_MB", tags: "MGP", type: "u32", desc: "Amount of pool memory currently used (in MB)"),
        InfoField(.poolFailed, pos: 12, name: "PoolFailed", tags: "MCP", type: "u32", desc: "Number of failed pool allocations since this worker was started"),
        InfoField(.ulimitN, pos: 13, name: "Ulimit-n", tags: "CLP", type: "u32", desc: "Hard limit on the number of per-process file descriptors"),
        InfoField(.maxsock, pos: 14, name: "Maxsock", tags: "CLP", type: "u32", desc: "Hard limit on the number of per-process sockets"),
        InfoField(.maxconn, pos: 15, name: "Maxconn", tags: "CLP", type: "u32", desc: "Hard limit on the number of per-process connections (configured or imposed by Ulimit-n)"),
        InfoField(.hardMaxconn, pos: 16, name: "Hard_maxconn", tags: "CLP", type: "u32", desc: "Hard limit on the number of per-process connections (imposed by Memmax_MB or Ulimit-n)"),
        InfoField(.currConns, pos: 17, name: "CurrConns", tags: "MGP", type: "u32", desc: "Current number of connections on this worker process"),
        InfoField(.cumConns, pos: 18, name: "CumConns", tags: "MCP", type: "u32", desc: "Total number of connections on this worker process since started"),
        InfoField(.cumReq, pos: 19, name: "CumReq", tags: "MCP", type: "u32", desc: "Total number of requests on this worker process since started"),
        InfoField(.maxSslConns, pos: 20, name: "MaxSslConns", tags: "MMP", type: "u32", desc: "Hard limit on the number of per-process SSL endpoints (front+back), 0=unlimited"),
        InfoField(.currSslConns, pos: 21, name: "CurrSslConns", tags: "MGP", type: "u32", desc: "Current number of SSL endpoints on this worker process (front+back)"),
        InfoField(.cumSslConns, pos: 22, name: "CumSslConns", tags: "MCP", type: "u32", desc: "Total number of SSL endpoints on this worker process since started (front+back)"),
        InfoField(.maxpipes, pos: 23, name: "Maxpipes", tags: "CLP", type: "u32", desc: "Hard limit on the number of pipes for splicing, 0=unlimited"),
        InfoField(.pipesUsed, pos: 24, name: "PipesUsed", tags: "MGP", type: "u32", desc: "Current number of pipes in use in this worker process"),
        InfoField(.pipesFree, pos: 25, name: "PipesFree", tags: "MGP", type: "u32", desc: "Current number of allocated and available pipes in this worker process"),
        InfoField(.connRate, pos: 26, name: "ConnRate", tags: "MRP", type: "u32", desc: "Number of front connections created on this worker process over the last second"),
        InfoField(.connRateLimit, pos: 27, name: "ConnRateLimit", tags: "CLP", type: "u32", desc: "Hard limit for ConnRate (global.maxconnrate)"),
        InfoField(.maxConnRate, pos: 28, name: "MaxConnRate", tags: "MMP", type: "u32", desc: "Highest ConnRate reached on this worker process since started (in connections per second)"),
        InfoField(.sessRate, pos: 29, name: "SessRate", tags: "MRP", type: "u32", desc: "Number of sessions created on this worker process over the last second"),
        InfoField(.sessRateLimit, pos: 30, name: "SessRateLimit", tags: "CLP", type: "u32", desc: "Hard limit for SessRate (global.maxsessrate)"),
        InfoField(.maxSessRate, pos: 31, name: "MaxSessRate", tags: "MRP", type: "u32", desc: "Highest SessRate reached on this worker process since started (in sessions per second)"),
        InfoField(.sslRate, pos: 32, name: "SslRate", tags: "MRP", type: "u32", desc: "Number of SSL connections created on this worker process over the last second"),
        InfoField(.sslRateLimit, pos: 33, name: "SslRateLimit", tags: "CLP", type: "u32", desc: "Hard limit for SslRate (global.maxsslrate)"),
        InfoField(.maxSslRate, pos: 34, name: "MaxSslRate", tags: "MMP", type: "u32", desc: "Highest SslRate reached on this worker process since started (in connections per second)"),
        InfoField(.sslFrontendKeyRate, pos: 35, name: "SslFrontendKeyRate", tags: "MGP", type: "u32", desc: "Number of SSL keys created on frontends in this worker process over the last second"),
        InfoField(.sslFrontendMaxKeyRate, pos: 36, name: "SslFrontendMaxKeyRate", tags: "MMP", type: "u32", desc: "Highest SslFrontendKeyRate reached on this worker process since started (in SSL keys per second)"),
        InfoField(.sslFrontendSessionReusePct, pos: 37, name: "SslFrontendSessionReuse_pct", tags: "MGP", type: "u32", desc: "Percent of frontend SSL connections which did not require a new key"),
        InfoField(.sslBackendKeyRate, pos: 38, name: "SslBackendKeyRate", tags: "MRP", type: "u32", desc: "Number of SSL keys created on backends in this worker process over the last second"),
        InfoField(.sslBackendMaxKeyRate, pos: 39, name: "SslBackendMaxKeyRate", tags: "MMP", type: "u32", desc: "Highest SslBackendKeyRate reached on this worker process since started (in SSL keys per second)"),
        InfoField(.sslCacheLookups, pos: 40, name: "SslCacheLookups", tags: "MCP", type: "u32", desc: "Total number of SSL session ID lookups in the SSL session cache on this worker since started"),
        InfoField(.sslCacheMisses, pos: 41, name: "SslCacheMisses", tags: "MCP", type: "u32", desc: "Total number of SSL session ID lookups that didn't find a session in the SSL session cache on this worker since started"),
        InfoField(.compressBpsIn, pos: 42, name: "CompressBpsIn", tags: "MRP", type: "u32", desc: "Number of bytes submitted to the HTTP compressor in this worker process over the last second"),
        InfoField(.compressBpsOut, pos: 43, name: "CompressBpsOut", tags: "MRP", type: "u32", desc: "Number of bytes emitted by the HTTP compressor in this worker process over the last second"),
        InfoField(.compressBpsRateLim, pos: 44, name: "CompressBpsRateLim", tags: "CLP", type: "u32", desc: "Limit of CompressBpsOut beyond which HTTP compression is automatically disabled"),
        InfoField(.tasks, pos: 47, name: "Tasks", tags: "MGP", type: "u32", desc: "Total number of tasks in the current worker process (active + sleeping)"),
        InfoField(.runQueue, pos: 48, name: "Run_queue", tags: "MGP", type: "u32", desc: "Total number of active tasks+tasklets in the current worker process"),
        InfoField(.idlePct, pos: 49, name: "Idle_pct", tags: "MaP", type: "u32", desc: "Percentage of last second spent waiting in the current worker thread"),
        InfoField(.node, pos: 50, name: "node", tags: "COS", type: "str", desc: "Node name (global.node)"),
        InfoField(.stopping, pos: 52, name: "Stopping", tags: "MGP", type: "u32", desc: "1 if the worker process is currently stopping, otherwise zero"),
        InfoField(.jobs, pos: 53, name: "Jobs", tags: "MGP", type: "u32", desc: "Current number of active jobs on the current worker process (frontend connections, master connections, listeners)"),
        InfoField(.unstoppableJobs, pos: 54, name: "Unstoppable Jobs", tags: "MGP", type: "u32", desc: "Current number of unstoppable jobs on the current worker process (master connections)"),
        InfoField(.listeners, pos: 55, name: "Listeners", tags: "MGP", type: "u32", desc: "Current number of active listeners on the current worker process"),
        InfoField(.activePeers, pos: 56, name: "ActivePeers", tags: "MGP", type: "u32", desc: "Current number of verified active peers connections on the current worker process"),
        InfoField(.connectedPeers, pos: 57, name: "ConnectedPeers", tags: "MGP", type: "u32", desc: "Current number of peers having passed the connection step on the current worker process"),
        InfoField(.droppedLogs, pos: 58, name: "DroppedLogs", tags: "MGP", type: "u32", desc: "Total number of dropped logs for current worker process since started"),
        InfoField(.busyPolling, pos: 59, name: "BusyPolling", tags: "MGP", type: "u32", desc: "1 if busy-polling is currently in use on the worker process, otherwise zero (config.busy-polling)"),
        InfoField(.failedResolutions, pos: 60, name: "FailedResolutions", tags: "MGP", type: "u32", desc: "Total number of failed DNS resolutions in current worker process since started"),
        InfoField(.totalBytesOut, pos: 61, name: "TotalBytesOut", tags: "MGP", type: "u64", desc: "Total number of bytes emitted by current worker process since started"),
        InfoField(.totalSplicdedBytesOut, pos: 62, name: "TotalSplicdedBytesOut", tags: "MGP", type: "u64", desc: "Total number of bytes emitted by current worker process through a kernel pipe since started"),
        InfoField(.bytesOutRate, pos: 63, name: "BytesOutRate", tags: "MRP", type: "u64", desc: "Number of bytes emitted by current worker process over the last second"),
        InfoField(.debugCommandsIssued, pos: 64, name: "DebugCommandsIssued", tags: "MGP", type: "u32", desc: "Number of debug commands issued on this process (anything > 0 is unsafe)"),
        InfoField(.cumRecvLogs, pos: 65, name: "CumRecvLogs", tags: "MCP", type: "u32", desc: "Total number of log messages received by log-forwarding listeners on this worker process since started"),
        InfoField(.buildInfo, pos: 66, name: "Build info", tags: "POS", type: "str", desc: "Build info"),
        InfoField(.memmaxBytes, pos: 67, name: "Memmax_bytes", tags: "CLP", type: "u32", desc: "Worker process's hard limit on memory usage in byes (-m on command line)"),
        InfoField(.poolAllocBytes, pos: 68, name: "PoolAlloc_bytes", tags: "MGP", type: "u64", desc: "Amount of memory allocated in pools (in bytes)"),
        InfoField(.poolUsedBytes, pos: 69, name: "PoolUsed_bytes", tags: "MGP", type: "u64", desc: "Amount of pool memory currently used (in bytes)"),
        InfoField(.startTimeSec, pos: 70, name: "Start_time_sec", tags: "MDP", type: "u32", desc: "Start time in seconds"),
        InfoField(.tainted, pos: 71, name: "Tainted", tags: "SGP", type: "str", desc: "Experimental features used"),
    ]
}

/// The `show info` fields by name in code: each case's raw value is its index in `InfoField.all`
/// (haproxy's order), so `InfoValues` is an array rather than a dictionary of Strings.
public enum InfoKey: Int, CaseIterable, Sendable {
    case name, version, releaseDate, nbthread, nbproc, processNum, pid, uptime, uptimeSec, memmaxMB
    case poolAllocMB, poolUsedMB, poolFailed, ulimitN, maxsock, maxconn, hardMaxconn, currConns, cumConns
    case cumReq, maxSslConns, currSslConns, cumSslConns, maxpipes, pipesUsed, pipesFree, connRate
    case connRateLimit, maxConnRate, sessRate, sessRateLimit, maxSessRate, sslRate, sslRateLimit, maxSslRate
    case sslFrontendKeyRate, sslFrontendMaxKeyRate, sslFrontendSessionReusePct, sslBackendKeyRate
    case sslBackendMaxKeyRate, sslCacheLookups, sslCacheMisses, compressBpsIn, compressBpsOut
    case compressBpsRateLim, tasks, runQueue, idlePct, node, stopping, jobs, unstoppableJobs, listeners
    case activePeers, connectedPeers, droppedLogs, busyPolling, failedResolutions, totalBytesOut
    case totalSplicdedBytesOut, bytesOutRate, debugCommandsIssued, cumRecvLogs, buildInfo, memmaxBytes
    case poolAllocBytes, poolUsedBytes, startTimeSec, tainted
}
