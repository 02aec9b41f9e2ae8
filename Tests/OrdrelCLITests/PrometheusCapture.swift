/// haproxy 2.6.12's Prometheus exporter, captured from the real daemon (Debian 2.6.12-1+deb12u4)
/// for the exporter's renderer tests: `show stat` and `show info` on the stats socket, then
/// `GET /metrics`, within the same second, so every tcp proxy's values agree across the three.
///
/// How: run `haproxy -db -f` on `config`, with a TCP echo server on 127.0.0.1:47192
/// (`socat TCP-LISTEN:47192,fork,reuseaddr EXEC:/bin/cat`) and nothing on 47191, so s1 fails its
/// checks (L4CON) while s2 passes (L4OK); `set server be_app/s3 state drain`; four connections
/// through fe_main and li_direct; then, at the start of a second, `show stat`, `show info` and
/// `curl http://127.0.0.1:47180/metrics`. The `prom` frontend counts the scrape itself, so its
/// values are one request ahead of `show stat`; the `mode http` sections print HTTP counters
/// ordrel does not keep.
enum PrometheusCapture {
    static let config = #"""
global
    stats socket /tmp/promcap/admin.sock level admin

defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s

frontend fe_main
    bind 127.0.0.1:47101
    maxconn 500
    default_backend be_app

backend be_app
    server s1 127.0.0.1:47191 check inter 500 rise 2 fall 2
    server s2 127.0.0.1:47192 check inter 500 maxconn 100 maxqueue 7
    server s3 127.0.0.1:47192
    server s4 127.0.0.1:47194 disabled

backend be_empty

listen li_direct
    bind 127.0.0.1:47102
    server d1 127.0.0.1:47192

frontend prom
    mode http
    bind 127.0.0.1:47180
    http-request use-service prometheus-exporter if { path /metrics }

listen stats_page
    mode http
    bind 127.0.0.1:47181
    stats enable
"""#

    static let showStat = #"""
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
fe_main,FRONTEND,,,0,1,500,3,9,9,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,3,,,,,,,,,,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,tcp,,0,3,3,,0,0,0,,,,,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
be_app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,24,24,,1,3,1,,0,,2,0,,0,L4CON,,0,,,,,,,,,,,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,2,0,,,,127.0.0.1:47191,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,s2,0,0,0,1,100,3,9,9,,0,,0,0,0,0,UP,1,1,0,0,0,24,0,7,1,3,2,,3,,2,0,,3,L4OK,,0,,,,,,,,,,,0,0,,,,,21,,,0,0,0,95,,,,Layer4 check passed,,2,3,4,,,,127.0.0.1:47192,,tcp,,,,,,,,0,3,0,,,0,,0,0,0,139,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN,1,1,0,,,22,,,1,3,3,,0,,2,0,,0,,,,,,,,,,,,,,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:47192,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,s4,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0,,,24,,,1,3,4,,0,,2,0,,0,,,,,,,,,,,,,,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:47194,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,BACKEND,0,0,0,1,50,3,9,9,0,0,,0,0,0,0,UP,1,1,0,,0,24,0,,1,3,0,,3,,1,0,,3,,,,,,,,,,,,,,0,0,0,0,0,0,21,,,0,0,0,95,,,,,,,,,,,,,,tcp,roundrobin,,,,,,,0,3,0,,,,,0,0,0,139,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
be_empty,BACKEND,0,0,0,0,1,0,0,0,0,0,,0,0,0,0,UP,0,0,0,,0,24,,,1,4,0,,0,,1,0,,0,,,,,,,,,,,,,,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,tcp,roundrobin,,,,,,,0,0,0,,,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
li_direct,FRONTEND,,,0,1,9983,1,3,3,0,0,0,,,,,OPEN,,,,,,,,,1,5,0,,,,0,0,0,1,,,,,,,,,,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,tcp,,0,1,1,,0,0,0,,,,,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
li_direct,d1,0,0,0,1,,1,3,3,,0,,0,0,0,0,no check,1,1,0,,,24,,,1,5,1,,1,,2,0,,1,,,,,,,,,,,,,,0,0,,,,,21,,,0,0,0,84,,,,,,,,,,,,127.0.0.1:47192,,tcp,,,,,,,,0,1,0,,,0,,0,0,0,84,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
li_direct,BACKEND,0,0,0,1,999,1,3,3,0,0,,0,0,0,0,UP,1,1,0,,0,24,0,,1,5,0,,1,,1,0,,1,,,,,,,,,,,,,,0,0,0,0,0,0,21,,,0,0,0,84,,,,,,,,,,,,,,tcp,roundrobin,,,,,,,0,1,0,,,,,0,0,0,84,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
prom,FRONTEND,,,0,1,9983,11,1127,299856,0,0,0,,,,,OPEN,,,,,,,,,1,6,0,,,,0,0,0,9,,,,0,8,0,3,0,0,,0,8,11,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,9,11,11,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,11,11,1094,300043,0,0,
stats_page,FRONTEND,,,0,0,9983,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,7,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
stats_page,BACKEND,0,0,0,0,999,0,0,0,0,0,,0,0,0,0,UP,0,0,0,,0,24,,,1,7,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,0,0,0,0,0,,,,,0,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
"""#

    static let showInfo = #"""
Name: HAProxy
Version: 2.6.12-1+deb12u4
Release_date: 2026/10/17
Nbthread: 2
Nbproc: 1
Process_num: 1
Pid: 30704
Uptime: 0d 0h00m24s
Uptime_sec: 24
Memmax_MB: 0
PoolAlloc_MB: 0
PoolUsed_MB: 0
PoolFailed: 0
Ulimit-n: 19999
Maxsock: 19999
Maxconn: 9983
Hard_maxconn: 9983
CurrConns: 0
CumConns: 115
CumReq: 20
MaxSslConns: 0
CurrSslConns: 0
CumSslConns: 0
Maxpipes: 0
PipesUsed: 0
PipesFree: 0
ConnRate: 0
ConnRateLimit: 0
MaxConnRate: 7
SessRate: 0
SessRateLimit: 0
MaxSessRate: 7
SslRate: 0
SslRateLimit: 0
MaxSslRate: 0
SslFrontendKeyRate: 0
SslFrontendMaxKeyRate: 0
SslFrontendSessionReuse_pct: 0
SslBackendKeyRate: 0
SslBackendMaxKeyRate: 0
SslCacheLookups: 0
SslCacheMisses: 0
CompressBpsIn: 0
CompressBpsOut: 0
CompressBpsRateLim: 0
Tasks: 19
Run_queue: 0
Idle_pct: 100
node: vm
Stopping: 0
Jobs: 6
Unstoppable Jobs: 0
Listeners: 5
ActivePeers: 0
ConnectedPeers: 0
DroppedLogs: 0
BusyPolling: 0
FailedResolutions: 0
TotalBytesOut: 309900
TotalSplicdedBytesOut: 0
BytesOutRate: 4352
DebugCommandsIssued: 0
CumRecvLogs: 0
Build info: 2.6.12-1+deb12u4
Memmax_bytes: 0
PoolAlloc_bytes: 159856
PoolUsed_bytes: 159856
Start_time_sec: 1796160693
Tainted: 0
"""#

    static let metrics = #"""
# HELP haproxy_process_nbthread Number of started threads (global.nbthread)
# TYPE haproxy_process_nbthread gauge
haproxy_process_nbthread 2
# HELP haproxy_process_nbproc Number of started worker processes (historical, always 1)
# TYPE haproxy_process_nbproc gauge
haproxy_process_nbproc 1
# HELP haproxy_process_relative_process_id Relative worker process number (1)
# TYPE haproxy_process_relative_process_id gauge
haproxy_process_relative_process_id 1
# HELP haproxy_process_uptime_seconds How long ago this worker process was started (seconds)
# TYPE haproxy_process_uptime_seconds gauge
haproxy_process_uptime_seconds 24
# HELP haproxy_process_pool_failures_total Number of failed pool allocations since this worker was started
# TYPE haproxy_process_pool_failures_total counter
haproxy_process_pool_failures_total 0
# HELP haproxy_process_max_fds Hard limit on the number of per-process file descriptors
# TYPE haproxy_process_max_fds gauge
haproxy_process_max_fds 19999
# HELP haproxy_process_max_sockets Hard limit on the number of per-process sockets
# TYPE haproxy_process_max_sockets gauge
haproxy_process_max_sockets 19999
# HELP haproxy_process_max_connections Hard limit on the number of per-process connections (configured or imposed by Ulimit-n)
# TYPE haproxy_process_max_connections gauge
haproxy_process_max_connections 9983
# HELP haproxy_process_hard_max_connections Hard limit on the number of per-process connections (imposed by Memmax_MB or Ulimit-n)
# TYPE haproxy_process_hard_max_connections gauge
haproxy_process_hard_max_connections 9983
# HELP haproxy_process_current_connections Current number of connections on this worker process
# TYPE haproxy_process_current_connections gauge
haproxy_process_current_connections 1
# HELP haproxy_process_connections_total Total number of connections on this worker process since started
# TYPE haproxy_process_connections_total counter
haproxy_process_connections_total 116
# HELP haproxy_process_requests_total Total number of requests on this worker process since started
# TYPE haproxy_process_requests_total counter
haproxy_process_requests_total 21
# HELP haproxy_process_max_ssl_connections Hard limit on the number of per-process SSL endpoints (front+back), 0=unlimited
# TYPE haproxy_process_max_ssl_connections gauge
haproxy_process_max_ssl_connections 0
# HELP haproxy_process_current_ssl_connections Current number of SSL endpoints on this worker process (front+back)
# TYPE haproxy_process_current_ssl_connections gauge
haproxy_process_current_ssl_connections 0
# HELP haproxy_process_ssl_connections_total Total number of SSL endpoints on this worker process since started (front+back)
# TYPE haproxy_process_ssl_connections_total counter
haproxy_process_ssl_connections_total 0
# HELP haproxy_process_max_pipes Hard limit on the number of pipes for splicing, 0=unlimited
# TYPE haproxy_process_max_pipes gauge
haproxy_process_max_pipes 0
# HELP haproxy_process_pipes_used_total Current number of pipes in use in this worker process
# TYPE haproxy_process_pipes_used_total counter
haproxy_process_pipes_used_total 0
# HELP haproxy_process_pipes_free_total Current number of allocated and available pipes in this worker process
# TYPE haproxy_process_pipes_free_total counter
haproxy_process_pipes_free_total 0
# HELP haproxy_process_current_connection_rate Number of front connections created on this worker process over the last second
# TYPE haproxy_process_current_connection_rate gauge
haproxy_process_current_connection_rate 1
# HELP haproxy_process_limit_connection_rate Hard limit for ConnRate (global.maxconnrate)
# TYPE haproxy_process_limit_connection_rate gauge
haproxy_process_limit_connection_rate 0
# HELP haproxy_process_max_connection_rate Highest ConnRate reached on this worker process since started (in connections per second)
# TYPE haproxy_process_max_connection_rate gauge
haproxy_process_max_connection_rate 7
# HELP haproxy_process_current_session_rate Number of sessions created on this worker process over the last second
# TYPE haproxy_process_current_session_rate gauge
haproxy_process_current_session_rate 1
# HELP haproxy_process_limit_session_rate Hard limit for SessRate (global.maxsessrate)
# TYPE haproxy_process_limit_session_rate gauge
haproxy_process_limit_session_rate 0
# HELP haproxy_process_max_session_rate Highest SessRate reached on this worker process since started (in sessions per second)
# TYPE haproxy_process_max_session_rate gauge
haproxy_process_max_session_rate 7
# HELP haproxy_process_current_ssl_rate Number of SSL connections created on this worker process over the last second
# TYPE haproxy_process_current_ssl_rate gauge
haproxy_process_current_ssl_rate 0
# HELP haproxy_process_limit_ssl_rate Hard limit for SslRate (global.maxsslrate)
# TYPE haproxy_process_limit_ssl_rate gauge
haproxy_process_limit_ssl_rate 0
# HELP haproxy_process_max_ssl_rate Highest SslRate reached on this worker process since started (in connections per second)
# TYPE haproxy_process_max_ssl_rate gauge
haproxy_process_max_ssl_rate 0
# HELP haproxy_process_current_frontend_ssl_key_rate Number of SSL keys created on frontends in this worker process over the last second
# TYPE haproxy_process_current_frontend_ssl_key_rate gauge
haproxy_process_current_frontend_ssl_key_rate 0
# HELP haproxy_process_max_frontend_ssl_key_rate Highest SslFrontendKeyRate reached on this worker process since started (in SSL keys per second)
# TYPE haproxy_process_max_frontend_ssl_key_rate gauge
haproxy_process_max_frontend_ssl_key_rate 0
# HELP haproxy_process_frontend_ssl_reuse Percent of frontend SSL connections which did not require a new key
# TYPE haproxy_process_frontend_ssl_reuse gauge
haproxy_process_frontend_ssl_reuse 0
# HELP haproxy_process_current_backend_ssl_key_rate Number of SSL keys created on backends in this worker process over the last second
# TYPE haproxy_process_current_backend_ssl_key_rate gauge
haproxy_process_current_backend_ssl_key_rate 0
# HELP haproxy_process_max_backend_ssl_key_rate Highest SslBackendKeyRate reached on this worker process since started (in SSL keys per second)
# TYPE haproxy_process_max_backend_ssl_key_rate gauge
haproxy_process_max_backend_ssl_key_rate 0
# HELP haproxy_process_ssl_cache_lookups_total Total number of SSL session ID lookups in the SSL session cache on this worker since started
# TYPE haproxy_process_ssl_cache_lookups_total counter
haproxy_process_ssl_cache_lookups_total 0
# HELP haproxy_process_ssl_cache_misses_total Total number of SSL session ID lookups that didn't find a session in the SSL session cache on this worker since started
# TYPE haproxy_process_ssl_cache_misses_total counter
haproxy_process_ssl_cache_misses_total 0
# HELP haproxy_process_http_comp_bytes_in_total Number of bytes submitted to the HTTP compressor in this worker process over the last second
# TYPE haproxy_process_http_comp_bytes_in_total counter
haproxy_process_http_comp_bytes_in_total 0
# HELP haproxy_process_http_comp_bytes_out_total Number of bytes emitted by the HTTP compressor in this worker process over the last second
# TYPE haproxy_process_http_comp_bytes_out_total counter
haproxy_process_http_comp_bytes_out_total 0
# HELP haproxy_process_limit_http_comp Limit of CompressBpsOut beyond which HTTP compression is automatically disabled
# TYPE haproxy_process_limit_http_comp gauge
haproxy_process_limit_http_comp 0
# HELP haproxy_process_current_zlib_memory Amount of memory currently used by HTTP compression on the current worker process (in bytes)
# TYPE haproxy_process_current_zlib_memory gauge
haproxy_process_current_zlib_memory NaN
# HELP haproxy_process_max_zlib_memory Limit on the amount of memory used by HTTP compression above which it is automatically disabled (in bytes, see global.maxzlibmem)
# TYPE haproxy_process_max_zlib_memory gauge
haproxy_process_max_zlib_memory NaN
# HELP haproxy_process_current_tasks Total number of tasks in the current worker process (active + sleeping)
# TYPE haproxy_process_current_tasks gauge
haproxy_process_current_tasks 20
# HELP haproxy_process_current_run_queue Total number of active tasks+tasklets in the current worker process
# TYPE haproxy_process_current_run_queue gauge
haproxy_process_current_run_queue 0
# HELP haproxy_process_idle_time_percent Percentage of last second spent waiting in the current worker thread
# TYPE haproxy_process_idle_time_percent gauge
haproxy_process_idle_time_percent 100
# HELP haproxy_process_stopping 1 if the worker process is currently stopping, otherwise zero
# TYPE haproxy_process_stopping gauge
haproxy_process_stopping 0
# HELP haproxy_process_jobs Current number of active jobs on the current worker process (frontend connections, master connections, listeners)
# TYPE haproxy_process_jobs gauge
haproxy_process_jobs 6
# HELP haproxy_process_unstoppable_jobs Current number of unstoppable jobs on the current worker process (master connections)
# TYPE haproxy_process_unstoppable_jobs gauge
haproxy_process_unstoppable_jobs 0
# HELP haproxy_process_listeners Current number of active listeners on the current worker process
# TYPE haproxy_process_listeners gauge
haproxy_process_listeners 5
# HELP haproxy_process_active_peers Current number of verified active peers connections on the current worker process
# TYPE haproxy_process_active_peers gauge
haproxy_process_active_peers 0
# HELP haproxy_process_connected_peers Current number of peers having passed the connection step on the current worker process
# TYPE haproxy_process_connected_peers gauge
haproxy_process_connected_peers 0
# HELP haproxy_process_dropped_logs_total Total number of dropped logs for current worker process since started
# TYPE haproxy_process_dropped_logs_total counter
haproxy_process_dropped_logs_total 0
# HELP haproxy_process_busy_polling_enabled 1 if busy-polling is currently in use on the worker process, otherwise zero (config.busy-polling)
# TYPE haproxy_process_busy_polling_enabled gauge
haproxy_process_busy_polling_enabled 0
# HELP haproxy_process_failed_resolutions Total number of failed DNS resolutions in current worker process since started
# TYPE haproxy_process_failed_resolutions counter
haproxy_process_failed_resolutions 0
# HELP haproxy_process_bytes_out_total Total number of bytes emitted by current worker process since started
# TYPE haproxy_process_bytes_out_total counter
haproxy_process_bytes_out_total 311056
# HELP haproxy_process_spliced_bytes_out_total Total number of bytes emitted by current worker process through a kernel pipe since started
# TYPE haproxy_process_spliced_bytes_out_total counter
haproxy_process_spliced_bytes_out_total 0
# HELP haproxy_process_bytes_out_rate Number of bytes emitted by current worker process over the last second
# TYPE haproxy_process_bytes_out_rate gauge
haproxy_process_bytes_out_rate 5504
# HELP haproxy_process_recv_logs_total Total number of log messages received by log-forwarding listeners on this worker process since started
# TYPE haproxy_process_recv_logs_total counter
haproxy_process_recv_logs_total 0
# HELP haproxy_process_build_info Build info
# TYPE haproxy_process_build_info gauge
haproxy_process_build_info{version="2.6.12-1+deb12u4"} 1
# HELP haproxy_process_max_memory_bytes Worker process's hard limit on memory usage in byes (-m on command line)
# TYPE haproxy_process_max_memory_bytes gauge
haproxy_process_max_memory_bytes 0
# HELP haproxy_process_pool_allocated_bytes Amount of memory allocated in pools (in bytes)
# TYPE haproxy_process_pool_allocated_bytes gauge
haproxy_process_pool_allocated_bytes 159856
# HELP haproxy_process_pool_used_bytes Amount of pool memory currently used (in bytes)
# TYPE haproxy_process_pool_used_bytes gauge
haproxy_process_pool_used_bytes 159856
# HELP haproxy_process_start_time_seconds Start time in seconds
# TYPE haproxy_process_start_time_seconds gauge
haproxy_process_start_time_seconds 1796160693
# HELP haproxy_frontend_current_sessions Number of current sessions on the frontend, backend or server
# TYPE haproxy_frontend_current_sessions gauge
haproxy_frontend_current_sessions{proxy="fe_main"} 0
haproxy_frontend_current_sessions{proxy="li_direct"} 0
haproxy_frontend_current_sessions{proxy="prom"} 1
haproxy_frontend_current_sessions{proxy="stats_page"} 0
# HELP haproxy_frontend_max_sessions Highest value of current sessions encountered since process started
# TYPE haproxy_frontend_max_sessions gauge
haproxy_frontend_max_sessions{proxy="fe_main"} 1
haproxy_frontend_max_sessions{proxy="li_direct"} 1
haproxy_frontend_max_sessions{proxy="prom"} 1
haproxy_frontend_max_sessions{proxy="stats_page"} 0
# HELP haproxy_frontend_limit_sessions Frontend/listener/server's maxconn, backend's fullconn
# TYPE haproxy_frontend_limit_sessions gauge
haproxy_frontend_limit_sessions{proxy="fe_main"} 500
haproxy_frontend_limit_sessions{proxy="li_direct"} 9983
haproxy_frontend_limit_sessions{proxy="prom"} 9983
haproxy_frontend_limit_sessions{proxy="stats_page"} 9983
# HELP haproxy_frontend_sessions_total Total number of sessions since process started
# TYPE haproxy_frontend_sessions_total counter
haproxy_frontend_sessions_total{proxy="fe_main"} 3
haproxy_frontend_sessions_total{proxy="li_direct"} 1
haproxy_frontend_sessions_total{proxy="prom"} 12
haproxy_frontend_sessions_total{proxy="stats_page"} 0
# HELP haproxy_frontend_bytes_in_total Total number of request bytes since process started
# TYPE haproxy_frontend_bytes_in_total counter
haproxy_frontend_bytes_in_total{proxy="fe_main"} 9
haproxy_frontend_bytes_in_total{proxy="li_direct"} 3
haproxy_frontend_bytes_in_total{proxy="prom"} 1127
haproxy_frontend_bytes_in_total{proxy="stats_page"} 0
# HELP haproxy_frontend_bytes_out_total Total number of response bytes since process started
# TYPE haproxy_frontend_bytes_out_total counter
haproxy_frontend_bytes_out_total{proxy="fe_main"} 9
haproxy_frontend_bytes_out_total{proxy="li_direct"} 3
haproxy_frontend_bytes_out_total{proxy="prom"} 299856
haproxy_frontend_bytes_out_total{proxy="stats_page"} 0
# HELP haproxy_frontend_requests_denied_total Total number of denied requests since process started
# TYPE haproxy_frontend_requests_denied_total counter
haproxy_frontend_requests_denied_total{proxy="fe_main"} 0
haproxy_frontend_requests_denied_total{proxy="li_direct"} 0
haproxy_frontend_requests_denied_total{proxy="prom"} 0
haproxy_frontend_requests_denied_total{proxy="stats_page"} 0
# HELP haproxy_frontend_responses_denied_total Total number of denied responses since process started
# TYPE haproxy_frontend_responses_denied_total counter
haproxy_frontend_responses_denied_total{proxy="fe_main"} 0
haproxy_frontend_responses_denied_total{proxy="li_direct"} 0
haproxy_frontend_responses_denied_total{proxy="prom"} 0
haproxy_frontend_responses_denied_total{proxy="stats_page"} 0
# HELP haproxy_frontend_request_errors_total Total number of invalid requests since process started
# TYPE haproxy_frontend_request_errors_total counter
haproxy_frontend_request_errors_total{proxy="fe_main"} 0
haproxy_frontend_request_errors_total{proxy="li_direct"} 0
haproxy_frontend_request_errors_total{proxy="prom"} 0
haproxy_frontend_request_errors_total{proxy="stats_page"} 0
# HELP haproxy_frontend_status Current status of the service, per state label value.
# TYPE haproxy_frontend_status gauge
haproxy_frontend_status{proxy="fe_main",state="DOWN"} 0
haproxy_frontend_status{proxy="fe_main",state="UP"} 1
haproxy_frontend_status{proxy="li_direct",state="DOWN"} 0
haproxy_frontend_status{proxy="li_direct",state="UP"} 1
haproxy_frontend_status{proxy="prom",state="DOWN"} 0
haproxy_frontend_status{proxy="prom",state="UP"} 1
haproxy_frontend_status{proxy="stats_page",state="DOWN"} 0
haproxy_frontend_status{proxy="stats_page",state="UP"} 1
# HELP haproxy_frontend_limit_session_rate Limit on the number of sessions accepted in a second (frontend only, 'rate-limit sessions' setting)
# TYPE haproxy_frontend_limit_session_rate gauge
haproxy_frontend_limit_session_rate{proxy="fe_main"} 0
haproxy_frontend_limit_session_rate{proxy="li_direct"} 0
haproxy_frontend_limit_session_rate{proxy="prom"} 0
haproxy_frontend_limit_session_rate{proxy="stats_page"} 0
# HELP haproxy_frontend_max_session_rate Highest value of sessions per second observed since the worker process started
# TYPE haproxy_frontend_max_session_rate gauge
haproxy_frontend_max_session_rate{proxy="fe_main"} 3
haproxy_frontend_max_session_rate{proxy="li_direct"} 1
haproxy_frontend_max_session_rate{proxy="prom"} 9
haproxy_frontend_max_session_rate{proxy="stats_page"} 0
# HELP haproxy_frontend_http_responses_total Total number of HTTP responses with status 100-199 returned by this object since the worker process started
# TYPE haproxy_frontend_http_responses_total counter
haproxy_frontend_http_responses_total{proxy="prom",code="1xx"} 0
haproxy_frontend_http_responses_total{proxy="stats_page",code="1xx"} 0
haproxy_frontend_http_responses_total{proxy="prom",code="2xx"} 8
haproxy_frontend_http_responses_total{proxy="stats_page",code="2xx"} 0
haproxy_frontend_http_responses_total{proxy="prom",code="3xx"} 0
haproxy_frontend_http_responses_total{proxy="stats_page",code="3xx"} 0
haproxy_frontend_http_responses_total{proxy="prom",code="4xx"} 3
haproxy_frontend_http_responses_total{proxy="stats_page",code="4xx"} 0
haproxy_frontend_http_responses_total{proxy="prom",code="5xx"} 0
haproxy_frontend_http_responses_total{proxy="stats_page",code="5xx"} 0
haproxy_frontend_http_responses_total{proxy="prom",code="other"} 0
haproxy_frontend_http_responses_total{proxy="stats_page",code="other"} 0
# HELP haproxy_frontend_http_requests_rate_max Highest value of http requests observed since the worker process started
# TYPE haproxy_frontend_http_requests_rate_max gauge
haproxy_frontend_http_requests_rate_max{proxy="prom"} 8
haproxy_frontend_http_requests_rate_max{proxy="stats_page"} 0
# HELP haproxy_frontend_http_requests_total Total number of HTTP requests processed by this object since the worker process started
# TYPE haproxy_frontend_http_requests_total counter
haproxy_frontend_http_requests_total{proxy="prom"} 12
haproxy_frontend_http_requests_total{proxy="stats_page"} 0
# HELP haproxy_frontend_http_comp_bytes_in_total Total number of bytes submitted to the HTTP compressor for this object since the worker process started
# TYPE haproxy_frontend_http_comp_bytes_in_total counter
haproxy_frontend_http_comp_bytes_in_total{proxy="prom"} 0
haproxy_frontend_http_comp_bytes_in_total{proxy="stats_page"} 0
# HELP haproxy_frontend_http_comp_bytes_out_total Total number of bytes emitted by the HTTP compressor for this object since the worker process started
# TYPE haproxy_frontend_http_comp_bytes_out_total counter
haproxy_frontend_http_comp_bytes_out_total{proxy="prom"} 0
haproxy_frontend_http_comp_bytes_out_total{proxy="stats_page"} 0
# HELP haproxy_frontend_http_comp_bytes_bypassed_total Total number of bytes that bypassed HTTP compression for this object since the worker process started (CPU/memory/bandwidth limitation)
# TYPE haproxy_frontend_http_comp_bytes_bypassed_total counter
haproxy_frontend_http_comp_bytes_bypassed_total{proxy="prom"} 0
haproxy_frontend_http_comp_bytes_bypassed_total{proxy="stats_page"} 0
# HELP haproxy_frontend_http_comp_responses_total Total number of HTTP responses that were compressed for this object since the worker process started
# TYPE haproxy_frontend_http_comp_responses_total counter
haproxy_frontend_http_comp_responses_total{proxy="prom"} 0
haproxy_frontend_http_comp_responses_total{proxy="stats_page"} 0
# HELP haproxy_frontend_connections_rate_max Highest value of connections per second observed since the worker process started
# TYPE haproxy_frontend_connections_rate_max gauge
haproxy_frontend_connections_rate_max{proxy="fe_main"} 3
haproxy_frontend_connections_rate_max{proxy="li_direct"} 1
haproxy_frontend_connections_rate_max{proxy="prom"} 9
haproxy_frontend_connections_rate_max{proxy="stats_page"} 0
# HELP haproxy_frontend_connections_total Total number of new connections accepted on this frontend since the worker process started
# TYPE haproxy_frontend_connections_total counter
haproxy_frontend_connections_total{proxy="fe_main"} 3
haproxy_frontend_connections_total{proxy="li_direct"} 1
haproxy_frontend_connections_total{proxy="prom"} 12
haproxy_frontend_connections_total{proxy="stats_page"} 0
# HELP haproxy_frontend_intercepted_requests_total Total number of HTTP requests intercepted on the frontend (redirects/stats/services) since the worker process started
# TYPE haproxy_frontend_intercepted_requests_total counter
haproxy_frontend_intercepted_requests_total{proxy="prom"} 12
haproxy_frontend_intercepted_requests_total{proxy="stats_page"} 0
# HELP haproxy_frontend_denied_connections_total Total number of incoming connections blocked on a listener/frontend by a tcp-request connection rule since the worker process started
# TYPE haproxy_frontend_denied_connections_total counter
haproxy_frontend_denied_connections_total{proxy="fe_main"} 0
haproxy_frontend_denied_connections_total{proxy="li_direct"} 0
haproxy_frontend_denied_connections_total{proxy="prom"} 0
haproxy_frontend_denied_connections_total{proxy="stats_page"} 0
# HELP haproxy_frontend_denied_sessions_total Total number of incoming sessions blocked on a listener/frontend by a tcp-request connection rule since the worker process started
# TYPE haproxy_frontend_denied_sessions_total counter
haproxy_frontend_denied_sessions_total{proxy="fe_main"} 0
haproxy_frontend_denied_sessions_total{proxy="li_direct"} 0
haproxy_frontend_denied_sessions_total{proxy="prom"} 0
haproxy_frontend_denied_sessions_total{proxy="stats_page"} 0
# HELP haproxy_frontend_failed_header_rewriting_total Total number of failed HTTP header rewrites since the worker process started
# TYPE haproxy_frontend_failed_header_rewriting_total counter
haproxy_frontend_failed_header_rewriting_total{proxy="fe_main"} 0
haproxy_frontend_failed_header_rewriting_total{proxy="li_direct"} 0
haproxy_frontend_failed_header_rewriting_total{proxy="prom"} 0
haproxy_frontend_failed_header_rewriting_total{proxy="stats_page"} 0
# HELP haproxy_frontend_http_cache_lookups_total Total number of HTTP requests looked up in the cache on this frontend/backend since the worker process started
# TYPE haproxy_frontend_http_cache_lookups_total counter
haproxy_frontend_http_cache_lookups_total{proxy="prom"} 0
haproxy_frontend_http_cache_lookups_total{proxy="stats_page"} 0
# HELP haproxy_frontend_http_cache_hits_total Total number of HTTP requests not found in the cache on this frontend/backend since the worker process started
# TYPE haproxy_frontend_http_cache_hits_total counter
haproxy_frontend_http_cache_hits_total{proxy="prom"} 0
haproxy_frontend_http_cache_hits_total{proxy="stats_page"} 0
# HELP haproxy_frontend_internal_errors_total Total number of internal errors since process started
# TYPE haproxy_frontend_internal_errors_total counter
haproxy_frontend_internal_errors_total{proxy="fe_main"} 0
haproxy_frontend_internal_errors_total{proxy="li_direct"} 0
haproxy_frontend_internal_errors_total{proxy="prom"} 0
haproxy_frontend_internal_errors_total{proxy="stats_page"} 0
# HELP haproxy_backend_current_queue Number of current queued connections
# TYPE haproxy_backend_current_queue gauge
haproxy_backend_current_queue{proxy="be_app"} 0
haproxy_backend_current_queue{proxy="be_empty"} 0
haproxy_backend_current_queue{proxy="li_direct"} 0
haproxy_backend_current_queue{proxy="stats_page"} 0
# HELP haproxy_backend_max_queue Highest value of queued connections encountered since process started
# TYPE haproxy_backend_max_queue gauge
haproxy_backend_max_queue{proxy="be_app"} 0
haproxy_backend_max_queue{proxy="be_empty"} 0
haproxy_backend_max_queue{proxy="li_direct"} 0
haproxy_backend_max_queue{proxy="stats_page"} 0
# HELP haproxy_backend_current_sessions Number of current sessions on the frontend, backend or server
# TYPE haproxy_backend_current_sessions gauge
haproxy_backend_current_sessions{proxy="be_app"} 0
haproxy_backend_current_sessions{proxy="be_empty"} 0
haproxy_backend_current_sessions{proxy="li_direct"} 0
haproxy_backend_current_sessions{proxy="stats_page"} 0
# HELP haproxy_backend_max_sessions Highest value of current sessions encountered since process started
# TYPE haproxy_backend_max_sessions gauge
haproxy_backend_max_sessions{proxy="be_app"} 1
haproxy_backend_max_sessions{proxy="be_empty"} 0
haproxy_backend_max_sessions{proxy="li_direct"} 1
haproxy_backend_max_sessions{proxy="stats_page"} 0
# HELP haproxy_backend_limit_sessions Frontend/listener/server's maxconn, backend's fullconn
# TYPE haproxy_backend_limit_sessions gauge
haproxy_backend_limit_sessions{proxy="be_app"} 50
haproxy_backend_limit_sessions{proxy="be_empty"} 1
haproxy_backend_limit_sessions{proxy="li_direct"} 999
haproxy_backend_limit_sessions{proxy="stats_page"} 999
# HELP haproxy_backend_sessions_total Total number of sessions since process started
# TYPE haproxy_backend_sessions_total counter
haproxy_backend_sessions_total{proxy="be_app"} 3
haproxy_backend_sessions_total{proxy="be_empty"} 0
haproxy_backend_sessions_total{proxy="li_direct"} 1
haproxy_backend_sessions_total{proxy="stats_page"} 0
# HELP haproxy_backend_bytes_in_total Total number of request bytes since process started
# TYPE haproxy_backend_bytes_in_total counter
haproxy_backend_bytes_in_total{proxy="be_app"} 9
haproxy_backend_bytes_in_total{proxy="be_empty"} 0
haproxy_backend_bytes_in_total{proxy="li_direct"} 3
haproxy_backend_bytes_in_total{proxy="stats_page"} 0
# HELP haproxy_backend_bytes_out_total Total number of response bytes since process started
# TYPE haproxy_backend_bytes_out_total counter
haproxy_backend_bytes_out_total{proxy="be_app"} 9
haproxy_backend_bytes_out_total{proxy="be_empty"} 0
haproxy_backend_bytes_out_total{proxy="li_direct"} 3
haproxy_backend_bytes_out_total{proxy="stats_page"} 0
# HELP haproxy_backend_requests_denied_total Total number of denied requests since process started
# TYPE haproxy_backend_requests_denied_total counter
haproxy_backend_requests_denied_total{proxy="be_app"} 0
haproxy_backend_requests_denied_total{proxy="be_empty"} 0
haproxy_backend_requests_denied_total{proxy="li_direct"} 0
haproxy_backend_requests_denied_total{proxy="stats_page"} 0
# HELP haproxy_backend_responses_denied_total Total number of denied responses since process started
# TYPE haproxy_backend_responses_denied_total counter
haproxy_backend_responses_denied_total{proxy="be_app"} 0
haproxy_backend_responses_denied_total{proxy="be_empty"} 0
haproxy_backend_responses_denied_total{proxy="li_direct"} 0
haproxy_backend_responses_denied_total{proxy="stats_page"} 0
# HELP haproxy_backend_connection_errors_total Total number of failed connections to server since the worker process started
# TYPE haproxy_backend_connection_errors_total counter
haproxy_backend_connection_errors_total{proxy="be_app"} 0
haproxy_backend_connection_errors_total{proxy="be_empty"} 0
haproxy_backend_connection_errors_total{proxy="li_direct"} 0
haproxy_backend_connection_errors_total{proxy="stats_page"} 0
# HELP haproxy_backend_response_errors_total Total number of invalid responses since the worker process started
# TYPE haproxy_backend_response_errors_total counter
haproxy_backend_response_errors_total{proxy="be_app"} 0
haproxy_backend_response_errors_total{proxy="be_empty"} 0
haproxy_backend_response_errors_total{proxy="li_direct"} 0
haproxy_backend_response_errors_total{proxy="stats_page"} 0
# HELP haproxy_backend_retry_warnings_total Total number of server connection retries since the worker process started
# TYPE haproxy_backend_retry_warnings_total counter
haproxy_backend_retry_warnings_total{proxy="be_app"} 0
haproxy_backend_retry_warnings_total{proxy="be_empty"} 0
haproxy_backend_retry_warnings_total{proxy="li_direct"} 0
haproxy_backend_retry_warnings_total{proxy="stats_page"} 0
# HELP haproxy_backend_redispatch_warnings_total Total number of server redispatches due to connection failures since the worker process started
# TYPE haproxy_backend_redispatch_warnings_total counter
haproxy_backend_redispatch_warnings_total{proxy="be_app"} 0
haproxy_backend_redispatch_warnings_total{proxy="be_empty"} 0
haproxy_backend_redispatch_warnings_total{proxy="li_direct"} 0
haproxy_backend_redispatch_warnings_total{proxy="stats_page"} 0
# HELP haproxy_backend_status Current status of the service, per state label value.
# TYPE haproxy_backend_status gauge
haproxy_backend_status{proxy="be_app",state="DOWN"} 0
haproxy_backend_status{proxy="be_app",state="UP"} 1
haproxy_backend_status{proxy="be_empty",state="DOWN"} 0
haproxy_backend_status{proxy="be_empty",state="UP"} 1
haproxy_backend_status{proxy="li_direct",state="DOWN"} 0
haproxy_backend_status{proxy="li_direct",state="UP"} 1
haproxy_backend_status{proxy="stats_page",state="DOWN"} 0
haproxy_backend_status{proxy="stats_page",state="UP"} 1
# HELP haproxy_backend_weight Server's effective weight, or sum of active servers' effective weights for a backend
# TYPE haproxy_backend_weight gauge
haproxy_backend_weight{proxy="be_app"} 1
haproxy_backend_weight{proxy="be_empty"} 0
haproxy_backend_weight{proxy="li_direct"} 1
haproxy_backend_weight{proxy="stats_page"} 0
# HELP haproxy_backend_active_servers Total number of active UP servers with a non-zero weight
# TYPE haproxy_backend_active_servers gauge
haproxy_backend_active_servers{proxy="be_app"} 1
haproxy_backend_active_servers{proxy="be_empty"} 0
haproxy_backend_active_servers{proxy="li_direct"} 1
haproxy_backend_active_servers{proxy="stats_page"} 0
# HELP haproxy_backend_backup_servers Total number of backup UP servers with a non-zero weight
# TYPE haproxy_backend_backup_servers gauge
haproxy_backend_backup_servers{proxy="be_app"} 0
haproxy_backend_backup_servers{proxy="be_empty"} 0
haproxy_backend_backup_servers{proxy="li_direct"} 0
haproxy_backend_backup_servers{proxy="stats_page"} 0
# HELP haproxy_backend_check_up_down_total Total number of failed checks causing UP to DOWN server transitions, per server/backend, since the worker process started
# TYPE haproxy_backend_check_up_down_total counter
haproxy_backend_check_up_down_total{proxy="be_app"} 0
haproxy_backend_check_up_down_total{proxy="be_empty"} 0
haproxy_backend_check_up_down_total{proxy="li_direct"} 0
haproxy_backend_check_up_down_total{proxy="stats_page"} 0
# HELP haproxy_backend_check_last_change_seconds How long ago the last server state changed, in seconds
# TYPE haproxy_backend_check_last_change_seconds gauge
haproxy_backend_check_last_change_seconds{proxy="be_app"} 24
haproxy_backend_check_last_change_seconds{proxy="be_empty"} 24
haproxy_backend_check_last_change_seconds{proxy="li_direct"} 24
haproxy_backend_check_last_change_seconds{proxy="stats_page"} 24
# HELP haproxy_backend_downtime_seconds_total Total time spent in DOWN state, for server or backend
# TYPE haproxy_backend_downtime_seconds_total counter
haproxy_backend_downtime_seconds_total{proxy="be_app"} 0
haproxy_backend_downtime_seconds_total{proxy="be_empty"} NaN
haproxy_backend_downtime_seconds_total{proxy="li_direct"} 0
haproxy_backend_downtime_seconds_total{proxy="stats_page"} NaN
# HELP haproxy_backend_loadbalanced_total Total number of requests routed by load balancing since the worker process started (ignores queue pop and stickiness)
# TYPE haproxy_backend_loadbalanced_total counter
haproxy_backend_loadbalanced_total{proxy="be_app"} 3
haproxy_backend_loadbalanced_total{proxy="be_empty"} 0
haproxy_backend_loadbalanced_total{proxy="li_direct"} 1
haproxy_backend_loadbalanced_total{proxy="stats_page"} 0
# HELP haproxy_backend_max_session_rate Highest value of sessions per second observed since the worker process started
# TYPE haproxy_backend_max_session_rate gauge
haproxy_backend_max_session_rate{proxy="be_app"} 3
haproxy_backend_max_session_rate{proxy="be_empty"} 0
haproxy_backend_max_session_rate{proxy="li_direct"} 1
haproxy_backend_max_session_rate{proxy="stats_page"} 0
# HELP haproxy_backend_http_responses_total Total number of HTTP responses with status 100-199 returned by this object since the worker process started
# TYPE haproxy_backend_http_responses_total counter
haproxy_backend_http_responses_total{proxy="stats_page",code="1xx"} 0
haproxy_backend_http_responses_total{proxy="stats_page",code="2xx"} 0
haproxy_backend_http_responses_total{proxy="stats_page",code="3xx"} 0
haproxy_backend_http_responses_total{proxy="stats_page",code="4xx"} 0
haproxy_backend_http_responses_total{proxy="stats_page",code="5xx"} 0
haproxy_backend_http_responses_total{proxy="stats_page",code="other"} 0
# HELP haproxy_backend_http_requests_total Total number of HTTP requests processed by this object since the worker process started
# TYPE haproxy_backend_http_requests_total counter
haproxy_backend_http_requests_total{proxy="stats_page"} 0
# HELP haproxy_backend_client_aborts_total Total number of requests or connections aborted by the client since the worker process started
# TYPE haproxy_backend_client_aborts_total counter
haproxy_backend_client_aborts_total{proxy="be_app"} 0
haproxy_backend_client_aborts_total{proxy="be_empty"} 0
haproxy_backend_client_aborts_total{proxy="li_direct"} 0
haproxy_backend_client_aborts_total{proxy="stats_page"} 0
# HELP haproxy_backend_server_aborts_total Total number of requests or connections aborted by the server since the worker process started
# TYPE haproxy_backend_server_aborts_total counter
haproxy_backend_server_aborts_total{proxy="be_app"} 0
haproxy_backend_server_aborts_total{proxy="be_empty"} 0
haproxy_backend_server_aborts_total{proxy="li_direct"} 0
haproxy_backend_server_aborts_total{proxy="stats_page"} 0
# HELP haproxy_backend_http_comp_bytes_in_total Total number of bytes submitted to the HTTP compressor for this object since the worker process started
# TYPE haproxy_backend_http_comp_bytes_in_total counter
haproxy_backend_http_comp_bytes_in_total{proxy="stats_page"} 0
# HELP haproxy_backend_http_comp_bytes_out_total Total number of bytes emitted by the HTTP compressor for this object since the worker process started
# TYPE haproxy_backend_http_comp_bytes_out_total counter
haproxy_backend_http_comp_bytes_out_total{proxy="stats_page"} 0
# HELP haproxy_backend_http_comp_bytes_bypassed_total Total number of bytes that bypassed HTTP compression for this object since the worker process started (CPU/memory/bandwidth limitation)
# TYPE haproxy_backend_http_comp_bytes_bypassed_total counter
haproxy_backend_http_comp_bytes_bypassed_total{proxy="stats_page"} 0
# HELP haproxy_backend_http_comp_responses_total Total number of HTTP responses that were compressed for this object since the worker process started
# TYPE haproxy_backend_http_comp_responses_total counter
haproxy_backend_http_comp_responses_total{proxy="stats_page"} 0
# HELP haproxy_backend_last_session_seconds How long ago some traffic was seen on this object on this worker process, in seconds
# TYPE haproxy_backend_last_session_seconds gauge
haproxy_backend_last_session_seconds{proxy="be_app"} 21
haproxy_backend_last_session_seconds{proxy="be_empty"} -1
haproxy_backend_last_session_seconds{proxy="li_direct"} 21
haproxy_backend_last_session_seconds{proxy="stats_page"} -1
# HELP haproxy_backend_queue_time_average_seconds Avg. queue time for last 1024 successful connections.
# TYPE haproxy_backend_queue_time_average_seconds gauge
haproxy_backend_queue_time_average_seconds{proxy="be_app"} 0.000000
haproxy_backend_queue_time_average_seconds{proxy="be_empty"} 0.000000
haproxy_backend_queue_time_average_seconds{proxy="li_direct"} 0.000000
haproxy_backend_queue_time_average_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_connect_time_average_seconds Avg. connect time for last 1024 successful connections.
# TYPE haproxy_backend_connect_time_average_seconds gauge
haproxy_backend_connect_time_average_seconds{proxy="be_app"} 0.000000
haproxy_backend_connect_time_average_seconds{proxy="be_empty"} 0.000000
haproxy_backend_connect_time_average_seconds{proxy="li_direct"} 0.000000
haproxy_backend_connect_time_average_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_response_time_average_seconds Avg. response time for last 1024 successful connections.
# TYPE haproxy_backend_response_time_average_seconds gauge
haproxy_backend_response_time_average_seconds{proxy="be_app"} 0.000000
haproxy_backend_response_time_average_seconds{proxy="be_empty"} 0.000000
haproxy_backend_response_time_average_seconds{proxy="li_direct"} 0.000000
haproxy_backend_response_time_average_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_total_time_average_seconds Avg. total time for last 1024 successful connections.
# TYPE haproxy_backend_total_time_average_seconds gauge
haproxy_backend_total_time_average_seconds{proxy="be_app"} 0.001000
haproxy_backend_total_time_average_seconds{proxy="be_empty"} 0.000000
haproxy_backend_total_time_average_seconds{proxy="li_direct"} 0.001000
haproxy_backend_total_time_average_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_failed_header_rewriting_total Total number of failed HTTP header rewrites since the worker process started
# TYPE haproxy_backend_failed_header_rewriting_total counter
haproxy_backend_failed_header_rewriting_total{proxy="be_app"} 0
haproxy_backend_failed_header_rewriting_total{proxy="be_empty"} 0
haproxy_backend_failed_header_rewriting_total{proxy="li_direct"} 0
haproxy_backend_failed_header_rewriting_total{proxy="stats_page"} 0
# HELP haproxy_backend_connection_attempts_total Total number of outgoing connection attempts on this backend/server since the worker process started
# TYPE haproxy_backend_connection_attempts_total counter
haproxy_backend_connection_attempts_total{proxy="be_app"} 3
haproxy_backend_connection_attempts_total{proxy="be_empty"} 0
haproxy_backend_connection_attempts_total{proxy="li_direct"} 1
haproxy_backend_connection_attempts_total{proxy="stats_page"} 0
# HELP haproxy_backend_connection_reuses_total Total number of reused connection on this backend/server since the worker process started
# TYPE haproxy_backend_connection_reuses_total counter
haproxy_backend_connection_reuses_total{proxy="be_app"} 0
haproxy_backend_connection_reuses_total{proxy="be_empty"} 0
haproxy_backend_connection_reuses_total{proxy="li_direct"} 0
haproxy_backend_connection_reuses_total{proxy="stats_page"} 0
# HELP haproxy_backend_http_cache_lookups_total Total number of HTTP requests looked up in the cache on this frontend/backend since the worker process started
# TYPE haproxy_backend_http_cache_lookups_total counter
haproxy_backend_http_cache_lookups_total{proxy="stats_page"} 0
# HELP haproxy_backend_http_cache_hits_total Total number of HTTP requests not found in the cache on this frontend/backend since the worker process started
# TYPE haproxy_backend_http_cache_hits_total counter
haproxy_backend_http_cache_hits_total{proxy="stats_page"} 0
# HELP haproxy_backend_max_queue_time_seconds Maximum observed time spent in the queue
# TYPE haproxy_backend_max_queue_time_seconds gauge
haproxy_backend_max_queue_time_seconds{proxy="be_app"} 0.000000
haproxy_backend_max_queue_time_seconds{proxy="be_empty"} 0.000000
haproxy_backend_max_queue_time_seconds{proxy="li_direct"} 0.000000
haproxy_backend_max_queue_time_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_max_connect_time_seconds Maximum observed time spent waiting for a connection to complete
# TYPE haproxy_backend_max_connect_time_seconds gauge
haproxy_backend_max_connect_time_seconds{proxy="be_app"} 0.000000
haproxy_backend_max_connect_time_seconds{proxy="be_empty"} 0.000000
haproxy_backend_max_connect_time_seconds{proxy="li_direct"} 0.000000
haproxy_backend_max_connect_time_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_max_response_time_seconds Maximum observed time spent waiting for a server response
# TYPE haproxy_backend_max_response_time_seconds gauge
haproxy_backend_max_response_time_seconds{proxy="be_app"} 0.000000
haproxy_backend_max_response_time_seconds{proxy="be_empty"} 0.000000
haproxy_backend_max_response_time_seconds{proxy="li_direct"} 0.000000
haproxy_backend_max_response_time_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_max_total_time_seconds Maximum observed total request+response time (request+queue+connect+response+processing)
# TYPE haproxy_backend_max_total_time_seconds gauge
haproxy_backend_max_total_time_seconds{proxy="be_app"} 0.139000
haproxy_backend_max_total_time_seconds{proxy="be_empty"} 0.000000
haproxy_backend_max_total_time_seconds{proxy="li_direct"} 0.084000
haproxy_backend_max_total_time_seconds{proxy="stats_page"} 0.000000
# HELP haproxy_backend_internal_errors_total Total number of internal errors since process started
# TYPE haproxy_backend_internal_errors_total counter
haproxy_backend_internal_errors_total{proxy="be_app"} 0
haproxy_backend_internal_errors_total{proxy="be_empty"} 0
haproxy_backend_internal_errors_total{proxy="li_direct"} 0
haproxy_backend_internal_errors_total{proxy="stats_page"} 0
# HELP haproxy_backend_uweight Server's user weight, or sum of active servers' user weights for a backend
# TYPE haproxy_backend_uweight gauge
haproxy_backend_uweight{proxy="be_app"} 1
haproxy_backend_uweight{proxy="be_empty"} 0
haproxy_backend_uweight{proxy="li_direct"} 1
haproxy_backend_uweight{proxy="stats_page"} 0
# HELP haproxy_backend_agg_server_status Backend's aggregated gauge of servers' status
# TYPE haproxy_backend_agg_server_status gauge
haproxy_backend_agg_server_status{proxy="be_app",state="DOWN"} 1
haproxy_backend_agg_server_status{proxy="be_app",state="UP"} 1
haproxy_backend_agg_server_status{proxy="be_app",state="MAINT"} 1
haproxy_backend_agg_server_status{proxy="be_app",state="DRAIN"} 1
haproxy_backend_agg_server_status{proxy="be_app",state="NOLB"} 0
haproxy_backend_agg_server_status{proxy="li_direct",state="DOWN"} 0
haproxy_backend_agg_server_status{proxy="li_direct",state="UP"} 1
haproxy_backend_agg_server_status{proxy="li_direct",state="MAINT"} 0
haproxy_backend_agg_server_status{proxy="li_direct",state="DRAIN"} 0
haproxy_backend_agg_server_status{proxy="li_direct",state="NOLB"} 0
# HELP haproxy_backend_agg_server_check_status Backend's aggregated gauge of servers' state check status
# TYPE haproxy_backend_agg_server_check_status gauge
haproxy_backend_agg_server_check_status{proxy="be_app",state="DOWN"} 1
haproxy_backend_agg_server_check_status{proxy="be_app",state="UP"} 1
haproxy_backend_agg_server_check_status{proxy="be_app",state="MAINT"} 1
haproxy_backend_agg_server_check_status{proxy="be_app",state="DRAIN"} 1
haproxy_backend_agg_server_check_status{proxy="be_app",state="NOLB"} 0
haproxy_backend_agg_server_check_status{proxy="li_direct",state="DOWN"} 0
haproxy_backend_agg_server_check_status{proxy="li_direct",state="UP"} 1
haproxy_backend_agg_server_check_status{proxy="li_direct",state="MAINT"} 0
haproxy_backend_agg_server_check_status{proxy="li_direct",state="DRAIN"} 0
haproxy_backend_agg_server_check_status{proxy="li_direct",state="NOLB"} 0
# HELP haproxy_backend_agg_check_status Backend's aggregated gauge of servers' state check status
# TYPE haproxy_backend_agg_check_status gauge
haproxy_backend_agg_check_status{proxy="be_app",state="HANA"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="SOCKERR"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L4OK"} 1
haproxy_backend_agg_check_status{proxy="be_app",state="L4TOUT"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L4CON"} 1
haproxy_backend_agg_check_status{proxy="be_app",state="L6OK"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L6TOUT"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L6RSP"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L7TOUT"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L7RSP"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L7OK"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L7OKC"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="L7STS"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="PROCERR"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="PROCTOUT"} 0
haproxy_backend_agg_check_status{proxy="be_app",state="PROCOK"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="HANA"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="SOCKERR"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L4OK"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L4TOUT"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L4CON"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L6OK"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L6TOUT"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L6RSP"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L7TOUT"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L7RSP"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L7OK"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L7OKC"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="L7STS"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="PROCERR"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="PROCTOUT"} 0
haproxy_backend_agg_check_status{proxy="li_direct",state="PROCOK"} 0
# HELP haproxy_server_current_queue Number of current queued connections
# TYPE haproxy_server_current_queue gauge
haproxy_server_current_queue{proxy="be_app",server="s1"} 0
haproxy_server_current_queue{proxy="be_app",server="s2"} 0
haproxy_server_current_queue{proxy="be_app",server="s3"} 0
haproxy_server_current_queue{proxy="be_app",server="s4"} 0
haproxy_server_current_queue{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_max_queue Highest value of queued connections encountered since process started
# TYPE haproxy_server_max_queue gauge
haproxy_server_max_queue{proxy="be_app",server="s1"} 0
haproxy_server_max_queue{proxy="be_app",server="s2"} 0
haproxy_server_max_queue{proxy="be_app",server="s3"} 0
haproxy_server_max_queue{proxy="be_app",server="s4"} 0
haproxy_server_max_queue{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_current_sessions Number of current sessions on the frontend, backend or server
# TYPE haproxy_server_current_sessions gauge
haproxy_server_current_sessions{proxy="be_app",server="s1"} 0
haproxy_server_current_sessions{proxy="be_app",server="s2"} 0
haproxy_server_current_sessions{proxy="be_app",server="s3"} 0
haproxy_server_current_sessions{proxy="be_app",server="s4"} 0
haproxy_server_current_sessions{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_max_sessions Highest value of current sessions encountered since process started
# TYPE haproxy_server_max_sessions gauge
haproxy_server_max_sessions{proxy="be_app",server="s1"} 0
haproxy_server_max_sessions{proxy="be_app",server="s2"} 1
haproxy_server_max_sessions{proxy="be_app",server="s3"} 0
haproxy_server_max_sessions{proxy="be_app",server="s4"} 0
haproxy_server_max_sessions{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_limit_sessions Frontend/listener/server's maxconn, backend's fullconn
# TYPE haproxy_server_limit_sessions gauge
haproxy_server_limit_sessions{proxy="be_app",server="s1"} NaN
haproxy_server_limit_sessions{proxy="be_app",server="s2"} 100
haproxy_server_limit_sessions{proxy="be_app",server="s3"} NaN
haproxy_server_limit_sessions{proxy="be_app",server="s4"} NaN
haproxy_server_limit_sessions{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_sessions_total Total number of sessions since process started
# TYPE haproxy_server_sessions_total counter
haproxy_server_sessions_total{proxy="be_app",server="s1"} 0
haproxy_server_sessions_total{proxy="be_app",server="s2"} 3
haproxy_server_sessions_total{proxy="be_app",server="s3"} 0
haproxy_server_sessions_total{proxy="be_app",server="s4"} 0
haproxy_server_sessions_total{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_bytes_in_total Total number of request bytes since process started
# TYPE haproxy_server_bytes_in_total counter
haproxy_server_bytes_in_total{proxy="be_app",server="s1"} 0
haproxy_server_bytes_in_total{proxy="be_app",server="s2"} 9
haproxy_server_bytes_in_total{proxy="be_app",server="s3"} 0
haproxy_server_bytes_in_total{proxy="be_app",server="s4"} 0
haproxy_server_bytes_in_total{proxy="li_direct",server="d1"} 3
# HELP haproxy_server_bytes_out_total Total number of response bytes since process started
# TYPE haproxy_server_bytes_out_total counter
haproxy_server_bytes_out_total{proxy="be_app",server="s1"} 0
haproxy_server_bytes_out_total{proxy="be_app",server="s2"} 9
haproxy_server_bytes_out_total{proxy="be_app",server="s3"} 0
haproxy_server_bytes_out_total{proxy="be_app",server="s4"} 0
haproxy_server_bytes_out_total{proxy="li_direct",server="d1"} 3
# HELP haproxy_server_responses_denied_total Total number of denied responses since process started
# TYPE haproxy_server_responses_denied_total counter
haproxy_server_responses_denied_total{proxy="be_app",server="s1"} 0
haproxy_server_responses_denied_total{proxy="be_app",server="s2"} 0
haproxy_server_responses_denied_total{proxy="be_app",server="s3"} 0
haproxy_server_responses_denied_total{proxy="be_app",server="s4"} 0
haproxy_server_responses_denied_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_connection_errors_total Total number of failed connections to server since the worker process started
# TYPE haproxy_server_connection_errors_total counter
haproxy_server_connection_errors_total{proxy="be_app",server="s1"} 0
haproxy_server_connection_errors_total{proxy="be_app",server="s2"} 0
haproxy_server_connection_errors_total{proxy="be_app",server="s3"} 0
haproxy_server_connection_errors_total{proxy="be_app",server="s4"} 0
haproxy_server_connection_errors_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_response_errors_total Total number of invalid responses since the worker process started
# TYPE haproxy_server_response_errors_total counter
haproxy_server_response_errors_total{proxy="be_app",server="s1"} 0
haproxy_server_response_errors_total{proxy="be_app",server="s2"} 0
haproxy_server_response_errors_total{proxy="be_app",server="s3"} 0
haproxy_server_response_errors_total{proxy="be_app",server="s4"} 0
haproxy_server_response_errors_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_retry_warnings_total Total number of server connection retries since the worker process started
# TYPE haproxy_server_retry_warnings_total counter
haproxy_server_retry_warnings_total{proxy="be_app",server="s1"} 0
haproxy_server_retry_warnings_total{proxy="be_app",server="s2"} 0
haproxy_server_retry_warnings_total{proxy="be_app",server="s3"} 0
haproxy_server_retry_warnings_total{proxy="be_app",server="s4"} 0
haproxy_server_retry_warnings_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_redispatch_warnings_total Total number of server redispatches due to connection failures since the worker process started
# TYPE haproxy_server_redispatch_warnings_total counter
haproxy_server_redispatch_warnings_total{proxy="be_app",server="s1"} 0
haproxy_server_redispatch_warnings_total{proxy="be_app",server="s2"} 0
haproxy_server_redispatch_warnings_total{proxy="be_app",server="s3"} 0
haproxy_server_redispatch_warnings_total{proxy="be_app",server="s4"} 0
haproxy_server_redispatch_warnings_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_status Current status of the service, per state label value.
# TYPE haproxy_server_status gauge
haproxy_server_status{proxy="be_app",server="s1",state="DOWN"} 1
haproxy_server_status{proxy="be_app",server="s1",state="UP"} 0
haproxy_server_status{proxy="be_app",server="s1",state="MAINT"} 0
haproxy_server_status{proxy="be_app",server="s1",state="DRAIN"} 0
haproxy_server_status{proxy="be_app",server="s1",state="NOLB"} 0
haproxy_server_status{proxy="be_app",server="s2",state="DOWN"} 0
haproxy_server_status{proxy="be_app",server="s2",state="UP"} 1
haproxy_server_status{proxy="be_app",server="s2",state="MAINT"} 0
haproxy_server_status{proxy="be_app",server="s2",state="DRAIN"} 0
haproxy_server_status{proxy="be_app",server="s2",state="NOLB"} 0
haproxy_server_status{proxy="be_app",server="s3",state="DOWN"} 0
haproxy_server_status{proxy="be_app",server="s3",state="UP"} 0
haproxy_server_status{proxy="be_app",server="s3",state="MAINT"} 0
haproxy_server_status{proxy="be_app",server="s3",state="DRAIN"} 1
haproxy_server_status{proxy="be_app",server="s3",state="NOLB"} 0
haproxy_server_status{proxy="be_app",server="s4",state="DOWN"} 0
haproxy_server_status{proxy="be_app",server="s4",state="UP"} 0
haproxy_server_status{proxy="be_app",server="s4",state="MAINT"} 1
haproxy_server_status{proxy="be_app",server="s4",state="DRAIN"} 0
haproxy_server_status{proxy="be_app",server="s4",state="NOLB"} 0
haproxy_server_status{proxy="li_direct",server="d1",state="DOWN"} 0
haproxy_server_status{proxy="li_direct",server="d1",state="UP"} 1
haproxy_server_status{proxy="li_direct",server="d1",state="MAINT"} 0
haproxy_server_status{proxy="li_direct",server="d1",state="DRAIN"} 0
haproxy_server_status{proxy="li_direct",server="d1",state="NOLB"} 0
# HELP haproxy_server_weight Server's effective weight, or sum of active servers' effective weights for a backend
# TYPE haproxy_server_weight gauge
haproxy_server_weight{proxy="be_app",server="s1"} 1
haproxy_server_weight{proxy="be_app",server="s2"} 1
haproxy_server_weight{proxy="be_app",server="s3"} 1
haproxy_server_weight{proxy="be_app",server="s4"} 1
haproxy_server_weight{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_check_failures_total Total number of failed individual health checks per server/backend, since the worker process started
# TYPE haproxy_server_check_failures_total counter
haproxy_server_check_failures_total{proxy="be_app",server="s1"} 1
haproxy_server_check_failures_total{proxy="be_app",server="s2"} 0
haproxy_server_check_failures_total{proxy="be_app",server="s3"} NaN
haproxy_server_check_failures_total{proxy="be_app",server="s4"} NaN
haproxy_server_check_failures_total{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_check_up_down_total Total number of failed checks causing UP to DOWN server transitions, per server/backend, since the worker process started
# TYPE haproxy_server_check_up_down_total counter
haproxy_server_check_up_down_total{proxy="be_app",server="s1"} 1
haproxy_server_check_up_down_total{proxy="be_app",server="s2"} 0
haproxy_server_check_up_down_total{proxy="be_app",server="s3"} NaN
haproxy_server_check_up_down_total{proxy="be_app",server="s4"} NaN
haproxy_server_check_up_down_total{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_check_last_change_seconds How long ago the last server state changed, in seconds
# TYPE haproxy_server_check_last_change_seconds gauge
haproxy_server_check_last_change_seconds{proxy="be_app",server="s1"} 24
haproxy_server_check_last_change_seconds{proxy="be_app",server="s2"} 24
haproxy_server_check_last_change_seconds{proxy="be_app",server="s3"} 22
haproxy_server_check_last_change_seconds{proxy="be_app",server="s4"} 24
haproxy_server_check_last_change_seconds{proxy="li_direct",server="d1"} 24
# HELP haproxy_server_downtime_seconds_total Total time spent in DOWN state, for server or backend
# TYPE haproxy_server_downtime_seconds_total counter
haproxy_server_downtime_seconds_total{proxy="be_app",server="s1"} 24
haproxy_server_downtime_seconds_total{proxy="be_app",server="s2"} 0
haproxy_server_downtime_seconds_total{proxy="be_app",server="s3"} NaN
haproxy_server_downtime_seconds_total{proxy="be_app",server="s4"} NaN
haproxy_server_downtime_seconds_total{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_queue_limit Limit on the number of connections in queue, for servers only (maxqueue argument)
# TYPE haproxy_server_queue_limit gauge
haproxy_server_queue_limit{proxy="be_app",server="s1"} NaN
haproxy_server_queue_limit{proxy="be_app",server="s2"} 7
haproxy_server_queue_limit{proxy="be_app",server="s3"} NaN
haproxy_server_queue_limit{proxy="be_app",server="s4"} NaN
haproxy_server_queue_limit{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_current_throttle Throttling ratio applied to a server's maxconn and weight during the slowstart period (0 to 100%)
# TYPE haproxy_server_current_throttle gauge
haproxy_server_current_throttle{proxy="be_app",server="s1"} NaN
haproxy_server_current_throttle{proxy="be_app",server="s2"} NaN
haproxy_server_current_throttle{proxy="be_app",server="s3"} NaN
haproxy_server_current_throttle{proxy="be_app",server="s4"} NaN
haproxy_server_current_throttle{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_loadbalanced_total Total number of requests routed by load balancing since the worker process started (ignores queue pop and stickiness)
# TYPE haproxy_server_loadbalanced_total counter
haproxy_server_loadbalanced_total{proxy="be_app",server="s1"} 0
haproxy_server_loadbalanced_total{proxy="be_app",server="s2"} 3
haproxy_server_loadbalanced_total{proxy="be_app",server="s3"} 0
haproxy_server_loadbalanced_total{proxy="be_app",server="s4"} 0
haproxy_server_loadbalanced_total{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_max_session_rate Highest value of sessions per second observed since the worker process started
# TYPE haproxy_server_max_session_rate gauge
haproxy_server_max_session_rate{proxy="be_app",server="s1"} 0
haproxy_server_max_session_rate{proxy="be_app",server="s2"} 3
haproxy_server_max_session_rate{proxy="be_app",server="s3"} 0
haproxy_server_max_session_rate{proxy="be_app",server="s4"} 0
haproxy_server_max_session_rate{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_check_status Status of last health check, per state label value.
# TYPE haproxy_server_check_status gauge
haproxy_server_check_status{proxy="be_app",server="s1",state="HANA"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="SOCKERR"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L4OK"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L4TOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L4CON"} 1
haproxy_server_check_status{proxy="be_app",server="s1",state="L6OK"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L6TOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L6RSP"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L7TOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L7RSP"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L7OK"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L7OKC"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="L7STS"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="PROCERR"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="PROCTOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s1",state="PROCOK"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="HANA"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="SOCKERR"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L4OK"} 1
haproxy_server_check_status{proxy="be_app",server="s2",state="L4TOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L4CON"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L6OK"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L6TOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L6RSP"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L7TOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L7RSP"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L7OK"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L7OKC"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="L7STS"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="PROCERR"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="PROCTOUT"} 0
haproxy_server_check_status{proxy="be_app",server="s2",state="PROCOK"} 0
# HELP haproxy_server_check_code layer5-7 code, if available of the last health check.
# TYPE haproxy_server_check_code gauge
haproxy_server_check_code{proxy="be_app",server="s1"} 0
haproxy_server_check_code{proxy="be_app",server="s2"} 0
# HELP haproxy_server_check_duration_seconds Total duration of the latest server health check, in seconds.
# TYPE haproxy_server_check_duration_seconds gauge
haproxy_server_check_duration_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_check_duration_seconds{proxy="be_app",server="s2"} 0.000000
# HELP haproxy_server_client_aborts_total Total number of requests or connections aborted by the client since the worker process started
# TYPE haproxy_server_client_aborts_total counter
haproxy_server_client_aborts_total{proxy="be_app",server="s1"} 0
haproxy_server_client_aborts_total{proxy="be_app",server="s2"} 0
haproxy_server_client_aborts_total{proxy="be_app",server="s3"} 0
haproxy_server_client_aborts_total{proxy="be_app",server="s4"} 0
haproxy_server_client_aborts_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_server_aborts_total Total number of requests or connections aborted by the server since the worker process started
# TYPE haproxy_server_server_aborts_total counter
haproxy_server_server_aborts_total{proxy="be_app",server="s1"} 0
haproxy_server_server_aborts_total{proxy="be_app",server="s2"} 0
haproxy_server_server_aborts_total{proxy="be_app",server="s3"} 0
haproxy_server_server_aborts_total{proxy="be_app",server="s4"} 0
haproxy_server_server_aborts_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_last_session_seconds How long ago some traffic was seen on this object on this worker process, in seconds
# TYPE haproxy_server_last_session_seconds gauge
haproxy_server_last_session_seconds{proxy="be_app",server="s1"} -1
haproxy_server_last_session_seconds{proxy="be_app",server="s2"} 21
haproxy_server_last_session_seconds{proxy="be_app",server="s3"} -1
haproxy_server_last_session_seconds{proxy="be_app",server="s4"} -1
haproxy_server_last_session_seconds{proxy="li_direct",server="d1"} 21
# HELP haproxy_server_queue_time_average_seconds Avg. queue time for last 1024 successful connections.
# TYPE haproxy_server_queue_time_average_seconds gauge
haproxy_server_queue_time_average_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_queue_time_average_seconds{proxy="be_app",server="s2"} 0.000000
haproxy_server_queue_time_average_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_queue_time_average_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_queue_time_average_seconds{proxy="li_direct",server="d1"} 0.000000
# HELP haproxy_server_connect_time_average_seconds Avg. connect time for last 1024 successful connections.
# TYPE haproxy_server_connect_time_average_seconds gauge
haproxy_server_connect_time_average_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_connect_time_average_seconds{proxy="be_app",server="s2"} 0.000000
haproxy_server_connect_time_average_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_connect_time_average_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_connect_time_average_seconds{proxy="li_direct",server="d1"} 0.000000
# HELP haproxy_server_response_time_average_seconds Avg. response time for last 1024 successful connections.
# TYPE haproxy_server_response_time_average_seconds gauge
haproxy_server_response_time_average_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_response_time_average_seconds{proxy="be_app",server="s2"} 0.000000
haproxy_server_response_time_average_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_response_time_average_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_response_time_average_seconds{proxy="li_direct",server="d1"} 0.000000
# HELP haproxy_server_total_time_average_seconds Avg. total time for last 1024 successful connections.
# TYPE haproxy_server_total_time_average_seconds gauge
haproxy_server_total_time_average_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_total_time_average_seconds{proxy="be_app",server="s2"} 0.001000
haproxy_server_total_time_average_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_total_time_average_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_total_time_average_seconds{proxy="li_direct",server="d1"} 0.001000
# HELP haproxy_server_failed_header_rewriting_total Total number of failed HTTP header rewrites since the worker process started
# TYPE haproxy_server_failed_header_rewriting_total counter
haproxy_server_failed_header_rewriting_total{proxy="be_app",server="s1"} 0
haproxy_server_failed_header_rewriting_total{proxy="be_app",server="s2"} 0
haproxy_server_failed_header_rewriting_total{proxy="be_app",server="s3"} 0
haproxy_server_failed_header_rewriting_total{proxy="be_app",server="s4"} 0
haproxy_server_failed_header_rewriting_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_connection_attempts_total Total number of outgoing connection attempts on this backend/server since the worker process started
# TYPE haproxy_server_connection_attempts_total counter
haproxy_server_connection_attempts_total{proxy="be_app",server="s1"} 0
haproxy_server_connection_attempts_total{proxy="be_app",server="s2"} 3
haproxy_server_connection_attempts_total{proxy="be_app",server="s3"} 0
haproxy_server_connection_attempts_total{proxy="be_app",server="s4"} 0
haproxy_server_connection_attempts_total{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_connection_reuses_total Total number of reused connection on this backend/server since the worker process started
# TYPE haproxy_server_connection_reuses_total counter
haproxy_server_connection_reuses_total{proxy="be_app",server="s1"} 0
haproxy_server_connection_reuses_total{proxy="be_app",server="s2"} 0
haproxy_server_connection_reuses_total{proxy="be_app",server="s3"} 0
haproxy_server_connection_reuses_total{proxy="be_app",server="s4"} 0
haproxy_server_connection_reuses_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_idle_connections_current Current number of idle connections available for reuse on this server
# TYPE haproxy_server_idle_connections_current gauge
haproxy_server_idle_connections_current{proxy="be_app",server="s1"} 0
haproxy_server_idle_connections_current{proxy="be_app",server="s2"} 0
haproxy_server_idle_connections_current{proxy="be_app",server="s3"} 0
haproxy_server_idle_connections_current{proxy="be_app",server="s4"} 0
haproxy_server_idle_connections_current{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_idle_connections_limit Limit on the number of available idle connections on this server (server 'pool_max_conn' directive)
# TYPE haproxy_server_idle_connections_limit gauge
haproxy_server_idle_connections_limit{proxy="be_app",server="s1"} NaN
haproxy_server_idle_connections_limit{proxy="be_app",server="s2"} NaN
haproxy_server_idle_connections_limit{proxy="be_app",server="s3"} NaN
haproxy_server_idle_connections_limit{proxy="be_app",server="s4"} NaN
haproxy_server_idle_connections_limit{proxy="li_direct",server="d1"} NaN
# HELP haproxy_server_max_queue_time_seconds Maximum observed time spent in the queue
# TYPE haproxy_server_max_queue_time_seconds gauge
haproxy_server_max_queue_time_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_max_queue_time_seconds{proxy="be_app",server="s2"} 0.000000
haproxy_server_max_queue_time_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_max_queue_time_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_max_queue_time_seconds{proxy="li_direct",server="d1"} 0.000000
# HELP haproxy_server_max_connect_time_seconds Maximum observed time spent waiting for a connection to complete
# TYPE haproxy_server_max_connect_time_seconds gauge
haproxy_server_max_connect_time_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_max_connect_time_seconds{proxy="be_app",server="s2"} 0.000000
haproxy_server_max_connect_time_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_max_connect_time_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_max_connect_time_seconds{proxy="li_direct",server="d1"} 0.000000
# HELP haproxy_server_max_response_time_seconds Maximum observed time spent waiting for a server response
# TYPE haproxy_server_max_response_time_seconds gauge
haproxy_server_max_response_time_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_max_response_time_seconds{proxy="be_app",server="s2"} 0.000000
haproxy_server_max_response_time_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_max_response_time_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_max_response_time_seconds{proxy="li_direct",server="d1"} 0.000000
# HELP haproxy_server_max_total_time_seconds Maximum observed total request+response time (request+queue+connect+response+processing)
# TYPE haproxy_server_max_total_time_seconds gauge
haproxy_server_max_total_time_seconds{proxy="be_app",server="s1"} 0.000000
haproxy_server_max_total_time_seconds{proxy="be_app",server="s2"} 0.139000
haproxy_server_max_total_time_seconds{proxy="be_app",server="s3"} 0.000000
haproxy_server_max_total_time_seconds{proxy="be_app",server="s4"} 0.000000
haproxy_server_max_total_time_seconds{proxy="li_direct",server="d1"} 0.084000
# HELP haproxy_server_internal_errors_total Total number of internal errors since process started
# TYPE haproxy_server_internal_errors_total counter
haproxy_server_internal_errors_total{proxy="be_app",server="s1"} 0
haproxy_server_internal_errors_total{proxy="be_app",server="s2"} 0
haproxy_server_internal_errors_total{proxy="be_app",server="s3"} 0
haproxy_server_internal_errors_total{proxy="be_app",server="s4"} 0
haproxy_server_internal_errors_total{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_unsafe_idle_connections_current Current number of unsafe idle connections
# TYPE haproxy_server_unsafe_idle_connections_current gauge
haproxy_server_unsafe_idle_connections_current{proxy="be_app",server="s1"} 0
haproxy_server_unsafe_idle_connections_current{proxy="be_app",server="s2"} 0
haproxy_server_unsafe_idle_connections_current{proxy="be_app",server="s3"} 0
haproxy_server_unsafe_idle_connections_current{proxy="be_app",server="s4"} 0
haproxy_server_unsafe_idle_connections_current{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_safe_idle_connections_current Current number of safe idle connections
# TYPE haproxy_server_safe_idle_connections_current gauge
haproxy_server_safe_idle_connections_current{proxy="be_app",server="s1"} 0
haproxy_server_safe_idle_connections_current{proxy="be_app",server="s2"} 0
haproxy_server_safe_idle_connections_current{proxy="be_app",server="s3"} 0
haproxy_server_safe_idle_connections_current{proxy="be_app",server="s4"} 0
haproxy_server_safe_idle_connections_current{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_used_connections_current Current number of connections in use
# TYPE haproxy_server_used_connections_current gauge
haproxy_server_used_connections_current{proxy="be_app",server="s1"} 0
haproxy_server_used_connections_current{proxy="be_app",server="s2"} 0
haproxy_server_used_connections_current{proxy="be_app",server="s3"} 0
haproxy_server_used_connections_current{proxy="be_app",server="s4"} 0
haproxy_server_used_connections_current{proxy="li_direct",server="d1"} 0
# HELP haproxy_server_need_connections_current Estimated needed number of connections
# TYPE haproxy_server_need_connections_current gauge
haproxy_server_need_connections_current{proxy="be_app",server="s1"} 1
haproxy_server_need_connections_current{proxy="be_app",server="s2"} 1
haproxy_server_need_connections_current{proxy="be_app",server="s3"} 0
haproxy_server_need_connections_current{proxy="be_app",server="s4"} 0
haproxy_server_need_connections_current{proxy="li_direct",server="d1"} 1
# HELP haproxy_server_uweight Server's user weight, or sum of active servers' user weights for a backend
# TYPE haproxy_server_uweight gauge
haproxy_server_uweight{proxy="be_app",server="s1"} 1
haproxy_server_uweight{proxy="be_app",server="s2"} 1
haproxy_server_uweight{proxy="be_app",server="s3"} 1
haproxy_server_uweight{proxy="be_app",server="s4"} 1
haproxy_server_uweight{proxy="li_direct",server="d1"} 1
"""#
}
