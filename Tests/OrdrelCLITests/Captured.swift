// Replies captured from a real haproxy 2.6.12 (Debian 2.6.12-1+deb12u4) with `socat`, byte-for-byte.
// Config: frontend fe_main (maxconn 500) -> backend be_app: s1 checked (nothing listening, DOWN),
// s2 weight 50 maxconn 100 maxqueue 7, s4 unchecked. Each constant is the full reply including the final empty line.

enum Captured {
    static let help = #"""
The following commands are valid at this level:
  abort ssl ca-file <cafile>              : abort a transaction for a CA file
  abort ssl cert <certfile>               : abort a transaction for a certificate file
  abort ssl crl-file <crlfile>            : abort a transaction for a CRL file
  add acl [@<ver>] <acl> <pattern>        : add an acl entry
  add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)
  add server <bk>/<srv>                   : create a new server
  add ssl crt-list <list> <cert> [opts]*  : add to crt-list file <list> a line <cert> or a payload
  clear acl [@<ver>] <acl>                : clear the contents of this acl
  clear counters [all]                    : clear max statistics counters (or all counters)
  clear map [@<ver>] <map>                : clear the contents of this map
  clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)
  commit acl @<ver> <acl>                 : commit the ACL at this version
  commit map @<ver> <map>                 : commit the map at this version
  commit ssl ca-file <cafile>             : commit a CA file
  commit ssl cert <certfile>              : commit a certificate file
  commit ssl crl-file <crlfile>           : commit a CRL file
  del acl <acl> [<key>|#<ref>]            : delete acl entries matching <key>
  del map <map> [<key>|#<ref>]            : delete map entries matching <key>
  del server <bk>/<srv>                   : remove a dynamically added server
  del ssl ca-file <cafile>                : delete an unused CA file
  del ssl cert <certfile>                 : delete an unused certificate file
  del ssl crl-file <crlfile>              : delete an unused CRL file
  del ssl crt-list <list> <cert[:line]>   : delete a line <cert> from crt-list file <list>
  disable agent                           : disable agent checks
  disable dynamic-cookie backend <bk>     : disable dynamic cookies on a specific backend
  disable frontend <frontend>             : temporarily disable specific frontend
  disable health                          : disable health checks
  disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)
  enable agent                            : enable agent checks
  enable dynamic-cookie backend <bk>      : enable dynamic cookies on a specific backend
  enable frontend <frontend>              : re-enable specific frontend
  enable health                           : enable health checks
  enable server  (DEPRECATED)             : enable a disabled server (use 'set server' instead)
  get acl <acl> <value>                   : report the patterns matching a sample for an ACL
  get map <acl> <value>                   : report the keys and values matching a sample for a map
  get var <name>                          : retrieve contents of a process-wide variable
  get weight <bk>/<srv>                   : report a server's current weight
  new ssl ca-file <cafile>                : create a new CA file to be used in a crt-list
  new ssl cert <certfile>                 : create a new certificate file to be used in a crt-list or a directory
  new ssl crlfile <crlfile>               : create a new CRL file to be used in a crt-list
  operator                                : lower the level of the current CLI session to operator
  prepare acl <acl>                       : prepare a new version for atomic ACL replacement
  prepare map <acl>                       : prepare a new version for atomic map replacement
  set dynamic-cookie-key backend <bk> <k> : change a backend secret key for dynamic cookies
  set map <map> [<key>|#<ref>] <value>    : modify a map entry
  set maxconn frontend <frontend> <value> : change a frontend's maxconn setting
  set maxconn global <value>              : change the per-process maxconn setting
  set maxconn server <bk>/<srv>           : change a server's maxconn setting
  set profiling <what> {auto|on|off}      : enable/disable resource profiling (tasks,memory)
  set rate-limit <setting> <value>        : change a rate limiting value
  set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl
  set severity-output [none|number|string]: set presence of severity level in feedback information
  set ssl ca-file <cafile> <payload>      : replace a CA file
  set ssl cert <certfile> <payload>       : replace a certificate file
  set ssl crl-file <crlfile> <payload>    : replace a CRL file
  set ssl ocsp-response <resp|payload>    : update a certificate's OCSP Response from a base64-encode DER
  set ssl tls-key [id|file] <key>         : set the next TLS key for the <id> or <file> listener to <key>
  set table <table> key <k> [data.* <v>]* : update or create a table entry's data
  set timeout [cli] <delay>               : change a timeout setting
  set weight <bk>/<srv>  (DEPRECATED)     : change a server's weight (use 'set server' instead)
  show acl [@<ver>] <acl>]                : report available acls or dump an acl's contents
  show activity                           : show per-thread activity stats (for support/developers)
  show backend                            : list backends in the current running config
  show cache                              : show cache status
  show cli level                          : display the level of the current CLI session
  show cli sockets                        : dump list of cli sockets
  show env [var]                          : dump environment variables known to the process
  show errors [<px>] [request|response]   : report last request and/or response errors for each proxy
  show events [<sink>] [-w] [-n]          : show event sink state
  show fd [num]                           : dump list of file descriptors in use or a specific one
  show info [desc|json|typed|float]*      : report information about the running process
  show libs                               : show loaded object files and libraries
  show map [@ver] [map]                   : report available maps or dump a map's contents
  show peers [dict|-] [section]           : dump some information about all the peers or this peers section
  show pools                              : report information about the memory pools usage
  show profiling [<what>|<#lines>|byaddr]*: show profiling state (all,status,tasks,memory)
  show resolvers [id]                     : dumps counters from all resolvers section and associated name servers
  show schema json                        : report schema used for stats
  show servers conn [<backend>]           : dump server connections status (all or for a single backend)
  show servers state [<backend>]          : dump volatile server information (all or for a single backend)
  show sess [id]                          : report the list of current sessions or dump this exact session
  show ssl ca-file [<cafile>[:<index>]]   : display the SSL CA files used in memory, or the details of a <cafile>, or a single certificate of index <index> of a CA file <cafile>
  show ssl cert [<certfile>]              : display the SSL certificates used in memory, or the details of a file
  show ssl crl-file [<crlfile[:<index>>]] : display the SSL CRL files used in memory, or the details of a <crlfile>, or a single CRL of index <index> of CRL file <crlfile>
  show ssl crt-list [-n] [<list>]         : show the list of crt-lists or the content of a crt-list file <list>
  show ssl ocsp-response [id]             : display the IDs of the OCSP responses used in memory, or the details of a single OCSP response
  show ssl providers                      : show loaded SSL providers
  show startup-logs                       : report logs emitted during HAProxy startup
  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server
  show table <table> [<filter>]*          : report table usage stats or dump this table's contents (filter: data/key)
  show tasks                              : show running tasks
  show threads                            : show some threads debugging information
  show tls-keys [id|*]                    : show tls keys references or dump tls ticket keys when id specified
  show trace [<module>]                   : show live tracing state
  show version                            : show version of the current process
  shutdown frontend <frontend>            : stop a specific frontend
  shutdown session [id]                   : kill a specific session
  shutdown sessions server <bk>/<srv>     : kill sessions on a server
  trace [<module>|0] [cmd [args...]]      : manage live tracing (empty to list, 0 to stop all)
  user                                    : lower the level of the current CLI session to user
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let emptyLine = #"""
Unknown command. Please enter one of the following commands only:
  abort ssl ca-file <cafile>              : abort a transaction for a CA file
  abort ssl cert <certfile>               : abort a transaction for a certificate file
  abort ssl crl-file <crlfile>            : abort a transaction for a CRL file
  add acl [@<ver>] <acl> <pattern>        : add an acl entry
  add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)
  add server <bk>/<srv>                   : create a new server
  add ssl crt-list <list> <cert> [opts]*  : add to crt-list file <list> a line <cert> or a payload
  clear acl [@<ver>] <acl>                : clear the contents of this acl
  clear counters [all]                    : clear max statistics counters (or all counters)
  clear map [@<ver>] <map>                : clear the contents of this map
  clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)
  commit acl @<ver> <acl>                 : commit the ACL at this version
  commit map @<ver> <map>                 : commit the map at this version
  commit ssl ca-file <cafile>             : commit a CA file
  commit ssl cert <certfile>              : commit a certificate file
  commit ssl crl-file <crlfile>           : commit a CRL file
  del acl <acl> [<key>|#<ref>]            : delete acl entries matching <key>
  del map <map> [<key>|#<ref>]            : delete map entries matching <key>
  del server <bk>/<srv>                   : remove a dynamically added server
  del ssl ca-file <cafile>                : delete an unused CA file
  del ssl cert <certfile>                 : delete an unused certificate file
  del ssl crl-file <crlfile>              : delete an unused CRL file
  del ssl crt-list <list> <cert[:line]>   : delete a line <cert> from crt-list file <list>
  disable agent                           : disable agent checks
  disable dynamic-cookie backend <bk>     : disable dynamic cookies on a specific backend
  disable frontend <frontend>             : temporarily disable specific frontend
  disable health                          : disable health checks
  disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)
  enable agent                            : enable agent checks
  enable dynamic-cookie backend <bk>      : enable dynamic cookies on a specific backend
  enable frontend <frontend>              : re-enable specific frontend
  enable health                           : enable health checks
  enable server  (DEPRECATED)             : enable a disabled server (use 'set server' instead)
  get acl <acl> <value>                   : report the patterns matching a sample for an ACL
  get map <acl> <value>                   : report the keys and values matching a sample for a map
  get var <name>                          : retrieve contents of a process-wide variable
  get weight <bk>/<srv>                   : report a server's current weight
  new ssl ca-file <cafile>                : create a new CA file to be used in a crt-list
  new ssl cert <certfile>                 : create a new certificate file to be used in a crt-list or a directory
  new ssl crlfile <crlfile>               : create a new CRL file to be used in a crt-list
  operator                                : lower the level of the current CLI session to operator
  prepare acl <acl>                       : prepare a new version for atomic ACL replacement
  prepare map <acl>                       : prepare a new version for atomic map replacement
  set dynamic-cookie-key backend <bk> <k> : change a backend secret key for dynamic cookies
  set map <map> [<key>|#<ref>] <value>    : modify a map entry
  set maxconn frontend <frontend> <value> : change a frontend's maxconn setting
  set maxconn global <value>              : change the per-process maxconn setting
  set maxconn server <bk>/<srv>           : change a server's maxconn setting
  set profiling <what> {auto|on|off}      : enable/disable resource profiling (tasks,memory)
  set rate-limit <setting> <value>        : change a rate limiting value
  set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl
  set severity-output [none|number|string]: set presence of severity level in feedback information
  set ssl ca-file <cafile> <payload>      : replace a CA file
  set ssl cert <certfile> <payload>       : replace a certificate file
  set ssl crl-file <crlfile> <payload>    : replace a CRL file
  set ssl ocsp-response <resp|payload>    : update a certificate's OCSP Response from a base64-encode DER
  set ssl tls-key [id|file] <key>         : set the next TLS key for the <id> or <file> listener to <key>
  set table <table> key <k> [data.* <v>]* : update or create a table entry's data
  set timeout [cli] <delay>               : change a timeout setting
  set weight <bk>/<srv>  (DEPRECATED)     : change a server's weight (use 'set server' instead)
  show acl [@<ver>] <acl>]                : report available acls or dump an acl's contents
  show activity                           : show per-thread activity stats (for support/developers)
  show backend                            : list backends in the current running config
  show cache                              : show cache status
  show cli level                          : display the level of the current CLI session
  show cli sockets                        : dump list of cli sockets
  show env [var]                          : dump environment variables known to the process
  show errors [<px>] [request|response]   : report last request and/or response errors for each proxy
  show events [<sink>] [-w] [-n]          : show event sink state
  show fd [num]                           : dump list of file descriptors in use or a specific one
  show info [desc|json|typed|float]*      : report information about the running process
  show libs                               : show loaded object files and libraries
  show map [@ver] [map]                   : report available maps or dump a map's contents
  show peers [dict|-] [section]           : dump some information about all the peers or this peers section
  show pools                              : report information about the memory pools usage
  show profiling [<what>|<#lines>|byaddr]*: show profiling state (all,status,tasks,memory)
  show resolvers [id]                     : dumps counters from all resolvers section and associated name servers
  show schema json                        : report schema used for stats
  show servers conn [<backend>]           : dump server connections status (all or for a single backend)
  show servers state [<backend>]          : dump volatile server information (all or for a single backend)
  show sess [id]                          : report the list of current sessions or dump this exact session
  show ssl ca-file [<cafile>[:<index>]]   : display the SSL CA files used in memory, or the details of a <cafile>, or a single certificate of index <index> of a CA file <cafile>
  show ssl cert [<certfile>]              : display the SSL certificates used in memory, or the details of a file
  show ssl crl-file [<crlfile[:<index>>]] : display the SSL CRL files used in memory, or the details of a <crlfile>, or a single CRL of index <index> of CRL file <crlfile>
  show ssl crt-list [-n] [<list>]         : show the list of crt-lists or the content of a crt-list file <list>
  show ssl ocsp-response [id]             : display the IDs of the OCSP responses used in memory, or the details of a single OCSP response
  show ssl providers                      : show loaded SSL providers
  show startup-logs                       : report logs emitted during HAProxy startup
  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server
  show table <table> [<filter>]*          : report table usage stats or dump this table's contents (filter: data/key)
  show tasks                              : show running tasks
  show threads                            : show some threads debugging information
  show tls-keys [id|*]                    : show tls keys references or dump tls ticket keys when id specified
  show trace [<module>]                   : show live tracing state
  show version                            : show version of the current process
  shutdown frontend <frontend>            : stop a specific frontend
  shutdown session [id]                   : kill a specific session
  shutdown sessions server <bk>/<srv>     : kill sessions on a server
  trace [<module>|0] [cmd [args...]]      : manage live tracing (empty to list, 0 to stop all)
  user                                    : lower the level of the current CLI session to user
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let showFoo = #"""
Unknown command, but maybe one of the following ones is a better match:
  show env [var]                          : dump environment variables known to the process
  show fd [num]                           : dump list of file descriptors in use or a specific one
  show info [desc|json|typed|float]*      : report information about the running process
  show pools                              : report information about the memory pools usage
  show sess [id]                          : report the list of current sessions or dump this exact session
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let statCSV = #"""
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,
fe_main,FRONTEND,,,0,0,500,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,,,,,,,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,tcp,,0,0,0,,0,0,0,,,,,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
be_app,s1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,3,3,,1,3,1,,0,,2,0,,0,L4CON,,0,,,,,,,,,,,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,2,0,,,,127.0.0.1:25101,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,s2,0,0,0,0,100,0,0,0,,0,,0,0,0,0,no check,50,1,0,,,3,,7,1,3,2,,0,,2,0,,0,,,,,,,,,,,,,,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:25102,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,50,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,s4,0,0,0,0,,0,0,0,,0,,0,0,0,0,no check,1,1,0,,,3,,,1,3,3,,0,,2,0,,0,,,,,,,,,,,,,,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:25104,,tcp,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_app,BACKEND,0,0,0,0,50,0,0,0,0,0,,0,0,0,0,UP,51,2,0,,0,3,0,,1,3,0,,0,,1,0,,0,,,,,,,,,,,,,,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,tcp,roundrobin,,,,,,,0,0,0,,,,,0,0,0,0,0,,,,,51,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,


"""#
    static let statTyped = #"""
F.2.0.0.pxname.1:KNS:str:fe_main
F.2.0.1.svname.1:KNS:str:FRONTEND
F.2.0.4.scur.1:MGP:u32:0
F.2.0.5.smax.1:MMP:u32:0
F.2.0.6.slim.1:CLP:u32:500
F.2.0.7.stot.1:MCP:u64:0
F.2.0.8.bin.1:MCP:u64:0
F.2.0.9.bout.1:MCP:u64:0
F.2.0.10.dreq.1:MCP:u64:0
F.2.0.11.dresp.1:MCP:u64:0
F.2.0.12.ereq.1:MCP:u64:0
F.2.0.17.status.1:SGP:str:OPEN
F.2.0.26.pid.1:KGP:u32:1
F.2.0.27.iid.1:KGS:u32:2
F.2.0.28.sid.1:KGS:u32:0
F.2.0.32.type.1:CGS:u32:0
F.2.0.33.rate.1:MRP:u32:0
F.2.0.34.rate_lim.1:CLP:u32:0
F.2.0.35.rate_max.1:MMP:u32:0
F.2.0.46.req_rate.1:MRP:u32:0
F.2.0.47.req_rate_max.1:MMP:u32:0
F.2.0.48.req_tot.1:MCP:u64:0
F.2.0.51.comp_in.1:MCP:u64:0
F.2.0.52.comp_out.1:MCP:u64:0
F.2.0.53.comp_byp.1:MCP:u64:0
F.2.0.54.comp_rsp.1:MCP:u64:0
F.2.0.75.mode.1:CGS:str:tcp
F.2.0.77.conn_rate.1:MRP:u32:0
F.2.0.78.conn_rate_max.1:MMP:u32:0
F.2.0.79.conn_tot.1:MCP:u64:0
F.2.0.81.dcon.1:MCP:u64:0
F.2.0.82.dses.1:MCP:u64:0
F.2.0.83.wrew.1:MCP:u64:0
F.2.0.94.eint.1:MCP:u64:0
F.2.0.103.ssl_sess.1:MCP:u64:0
F.2.0.104.ssl_reused_sess.1:MCP:u64:0
F.2.0.105.ssl_failed_handshake.1:MCP:u64:0
F.2.0.106.h2_headers_rcvd.1:MCP:u64:0
F.2.0.107.h2_data_rcvd.1:MCP:u64:0
F.2.0.108.h2_settings_rcvd.1:MCP:u64:0
F.2.0.109.h2_rst_stream_rcvd.1:MCP:u64:0
F.2.0.110.h2_goaway_rcvd.1:MCP:u64:0
F.2.0.111.h2_detected_conn_protocol_errors.1:MCP:u64:0
F.2.0.112.h2_detected_strm_protocol_errors.1:MCP:u64:0
F.2.0.113.h2_rst_stream_resp.1:MCP:u64:0
F.2.0.114.h2_goaway_resp.1:MCP:u64:0
F.2.0.115.h2_open_connections.1:MGP:u64:0
F.2.0.116.h2_backend_open_streams.1:MGP:u64:0
F.2.0.117.h2_total_connections.1:MCP:u64:0
F.2.0.118.h2_backend_total_streams.1:MCP:u64:0
F.2.0.119.h1_open_connections.1:MGP:u64:0
F.2.0.120.h1_open_streams.1:MGP:u64:0
F.2.0.121.h1_total_connections.1:MCP:u64:0
F.2.0.122.h1_total_streams.1:MCP:u64:0
F.2.0.123.h1_bytes_in.1:MCP:u64:0
F.2.0.124.h1_bytes_out.1:MCP:u64:0
F.2.0.125.h1_spliced_bytes_in.1:MCP:u64:0
F.2.0.126.h1_spliced_bytes_out.1:MCP:u64:0
S.3.1.0.pxname.1:KNS:str:be_app
S.3.1.1.svname.1:KNS:str:s1
S.3.1.2.qcur.1:MGP:u32:0
S.3.1.3.qmax.1:MMP:u32:0
S.3.1.4.scur.1:MGP:u32:0
S.3.1.5.smax.1:MMP:u32:0
S.3.1.7.stot.1:MCP:u64:0
S.3.1.8.bin.1:MCP:u64:0
S.3.1.9.bout.1:MCP:u64:0
S.3.1.11.dresp.1:MCP:u64:0
S.3.1.13.econ.1:MCP:u64:0
S.3.1.14.eresp.1:MCP:u64:0
S.3.1.15.wretr.1:MCP:u64:0
S.3.1.16.wredis.1:MCP:u64:0
S.3.1.17.status.1:SGP:str:DOWN
S.3.1.18.weight.1:MaP:u32:1
S.3.1.19.act.1:SGP:u32:1
S.3.1.20.bck.1:SGP:u32:0
S.3.1.21.chkfail.1:MCP:u64:1
S.3.1.22.chkdown.1:MCP:u64:1
S.3.1.23.lastchg.1:MAP:u32:3
S.3.1.24.downtime.1:MCP:u32:3
S.3.1.26.pid.1:KGP:u32:1
S.3.1.27.iid.1:KGS:u32:3
S.3.1.28.sid.1:KGS:u32:1
S.3.1.30.lbtot.1:MCP:u64:0
S.3.1.32.type.1:CGS:u32:2
S.3.1.33.rate.1:MRP:u32:0
S.3.1.35.rate_max.1:MMP:u32:0
S.3.1.36.check_status.1:MOP:str:L4CON
S.3.1.38.check_duration.1:MDP:u64:0
S.3.1.49.cli_abrt.1:MCP:u64:0
S.3.1.50.srv_abrt.1:MCP:u64:0
S.3.1.55.lastsess.1:MAP:s32:-1
S.3.1.56.last_chk.1:MOP:str:Connection refused
S.3.1.58.qtime.1:MaP:u32:0
S.3.1.59.ctime.1:MaP:u32:0
S.3.1.60.rtime.1:MaP:u32:0
S.3.1.61.ttime.1:MaP:u32:0
S.3.1.65.check_desc.1:MOP:str:Layer4 connection problem
S.3.1.67.check_rise.1:CGS:u32:2
S.3.1.68.check_fall.1:CGS:u32:2
S.3.1.69.check_health.1:CGS:u32:0
S.3.1.73.addr.1:CGS:str:127.0.0.1:25101
S.3.1.75.mode.1:CGS:str:tcp
S.3.1.83.wrew.1:MCP:u64:0
S.3.1.84.connect.1:MCP:u64:0
S.3.1.85.reuse.1:MCP:u64:0
S.3.1.88.srv_icur.1:MGP:u32:0
S.3.1.90.qtime_max.1:MMP:u32:0
S.3.1.91.ctime_max.1:MMP:u32:0
S.3.1.92.rtime_max.1:MMP:u32:0
S.3.1.93.ttime_max.1:MMP:u32:0
S.3.1.94.eint.1:MCP:u64:0
S.3.1.95.idle_conn_cur.1:MGP:u32:0
S.3.1.96.safe_conn_cur.1:MGP:u32:0
S.3.1.97.used_conn_cur.1:MGP:u32:0
S.3.1.98.need_conn_est.1:MGP:u32:1
S.3.1.99.uweight.1:MaP:u32:1
S.3.1.103.ssl_sess.1:MCP:u64:0
S.3.1.104.ssl_reused_sess.1:MCP:u64:0
S.3.1.105.ssl_failed_handshake.1:MCP:u64:0
S.3.2.0.pxname.1:KNS:str:be_app
S.3.2.1.svname.1:KNS:str:s2
S.3.2.2.qcur.1:MGP:u32:0
S.3.2.3.qmax.1:MMP:u32:0
S.3.2.4.scur.1:MGP:u32:0
S.3.2.5.smax.1:MMP:u32:0
S.3.2.6.slim.1:CLP:u32:100
S.3.2.7.stot.1:MCP:u64:0
S.3.2.8.bin.1:MCP:u64:0
S.3.2.9.bout.1:MCP:u64:0
S.3.2.11.dresp.1:MCP:u64:0
S.3.2.13.econ.1:MCP:u64:0
S.3.2.14.eresp.1:MCP:u64:0
S.3.2.15.wretr.1:MCP:u64:0
S.3.2.16.wredis.1:MCP:u64:0
S.3.2.17.status.1:SGP:str:no check
S.3.2.18.weight.1:MaP:u32:50
S.3.2.19.act.1:SGP:u32:1
S.3.2.20.bck.1:SGP:u32:0
S.3.2.23.lastchg.1:MAP:u32:3
S.3.2.25.qlimit.1:CGS:u32:7
S.3.2.26.pid.1:KGP:u32:1
S.3.2.27.iid.1:KGS:u32:3
S.3.2.28.sid.1:KGS:u32:2
S.3.2.30.lbtot.1:MCP:u64:0
S.3.2.32.type.1:CGS:u32:2
S.3.2.33.rate.1:MRP:u32:0
S.3.2.35.rate_max.1:MMP:u32:0
S.3.2.49.cli_abrt.1:MCP:u64:0
S.3.2.50.srv_abrt.1:MCP:u64:0
S.3.2.55.lastsess.1:MAP:s32:-1
S.3.2.58.qtime.1:MaP:u32:0
S.3.2.59.ctime.1:MaP:u32:0
S.3.2.60.rtime.1:MaP:u32:0
S.3.2.61.ttime.1:MaP:u32:0
S.3.2.73.addr.1:CGS:str:127.0.0.1:25102
S.3.2.75.mode.1:CGS:str:tcp
S.3.2.83.wrew.1:MCP:u64:0
S.3.2.84.connect.1:MCP:u64:0
S.3.2.85.reuse.1:MCP:u64:0
S.3.2.88.srv_icur.1:MGP:u32:0
S.3.2.90.qtime_max.1:MMP:u32:0
S.3.2.91.ctime_max.1:MMP:u32:0
S.3.2.92.rtime_max.1:MMP:u32:0
S.3.2.93.ttime_max.1:MMP:u32:0
S.3.2.94.eint.1:MCP:u64:0
S.3.2.95.idle_conn_cur.1:MGP:u32:0
S.3.2.96.safe_conn_cur.1:MGP:u32:0
S.3.2.97.used_conn_cur.1:MGP:u32:0
S.3.2.98.need_conn_est.1:MGP:u32:0
S.3.2.99.uweight.1:MaP:u32:50
S.3.2.103.ssl_sess.1:MCP:u64:0
S.3.2.104.ssl_reused_sess.1:MCP:u64:0
S.3.2.105.ssl_failed_handshake.1:MCP:u64:0
S.3.3.0.pxname.1:KNS:str:be_app
S.3.3.1.svname.1:KNS:str:s4
S.3.3.2.qcur.1:MGP:u32:0
S.3.3.3.qmax.1:MMP:u32:0
S.3.3.4.scur.1:MGP:u32:0
S.3.3.5.smax.1:MMP:u32:0
S.3.3.7.stot.1:MCP:u64:0
S.3.3.8.bin.1:MCP:u64:0
S.3.3.9.bout.1:MCP:u64:0
S.3.3.11.dresp.1:MCP:u64:0
S.3.3.13.econ.1:MCP:u64:0
S.3.3.14.eresp.1:MCP:u64:0
S.3.3.15.wretr.1:MCP:u64:0
S.3.3.16.wredis.1:MCP:u64:0
S.3.3.17.status.1:SGP:str:no check
S.3.3.18.weight.1:MaP:u32:1
S.3.3.19.act.1:SGP:u32:1
S.3.3.20.bck.1:SGP:u32:0
S.3.3.23.lastchg.1:MAP:u32:3
S.3.3.26.pid.1:KGP:u32:1
S.3.3.27.iid.1:KGS:u32:3
S.3.3.28.sid.1:KGS:u32:3
S.3.3.30.lbtot.1:MCP:u64:0
S.3.3.32.type.1:CGS:u32:2
S.3.3.33.rate.1:MRP:u32:0
S.3.3.35.rate_max.1:MMP:u32:0
S.3.3.49.cli_abrt.1:MCP:u64:0
S.3.3.50.srv_abrt.1:MCP:u64:0
S.3.3.55.lastsess.1:MAP:s32:-1
S.3.3.58.qtime.1:MaP:u32:0
S.3.3.59.ctime.1:MaP:u32:0
S.3.3.60.rtime.1:MaP:u32:0
S.3.3.61.ttime.1:MaP:u32:0
S.3.3.73.addr.1:CGS:str:127.0.0.1:25104
S.3.3.75.mode.1:CGS:str:tcp
S.3.3.83.wrew.1:MCP:u64:0
S.3.3.84.connect.1:MCP:u64:0
S.3.3.85.reuse.1:MCP:u64:0
S.3.3.88.srv_icur.1:MGP:u32:0
S.3.3.90.qtime_max.1:MMP:u32:0
S.3.3.91.ctime_max.1:MMP:u32:0
S.3.3.92.rtime_max.1:MMP:u32:0
S.3.3.93.ttime_max.1:MMP:u32:0
S.3.3.94.eint.1:MCP:u64:0
S.3.3.95.idle_conn_cur.1:MGP:u32:0
S.3.3.96.safe_conn_cur.1:MGP:u32:0
S.3.3.97.used_conn_cur.1:MGP:u32:0
S.3.3.98.need_conn_est.1:MGP:u32:0
S.3.3.99.uweight.1:MaP:u32:1
S.3.3.103.ssl_sess.1:MCP:u64:0
S.3.3.104.ssl_reused_sess.1:MCP:u64:0
S.3.3.105.ssl_failed_handshake.1:MCP:u64:0
B.3.0.0.pxname.1:KNS:str:be_app
B.3.0.1.svname.1:KNS:str:BACKEND
B.3.0.2.qcur.1:MGP:u32:0
B.3.0.3.qmax.1:MMP:u32:0
B.3.0.4.scur.1:MGP:u32:0
B.3.0.5.smax.1:MMP:u32:0
B.3.0.6.slim.1:CLP:u32:50
B.3.0.7.stot.1:MCP:u64:0
B.3.0.8.bin.1:MCP:u64:0
B.3.0.9.bout.1:MCP:u64:0
B.3.0.10.dreq.1:MCP:u64:0
B.3.0.11.dresp.1:MCP:u64:0
B.3.0.13.econ.1:MCP:u64:0
B.3.0.14.eresp.1:MCP:u64:0
B.3.0.15.wretr.1:MCP:u64:0
B.3.0.16.wredis.1:MCP:u64:0
B.3.0.17.status.1:SGP:str:UP
B.3.0.18.weight.1:MaP:u32:51
B.3.0.19.act.1:MGP:u32:2
B.3.0.20.bck.1:MGP:u32:0
B.3.0.22.chkdown.1:MCP:u64:0
B.3.0.23.lastchg.1:MAP:u32:3
B.3.0.24.downtime.1:MCP:u32:0
B.3.0.26.pid.1:KGP:u32:1
B.3.0.27.iid.1:KGS:u32:3
B.3.0.28.sid.1:KGS:u32:0
B.3.0.30.lbtot.1:MCP:u64:0
B.3.0.32.type.1:CGS:u32:1
B.3.0.33.rate.1:MGP:u32:0
B.3.0.35.rate_max.1:MGP:u32:0
B.3.0.49.cli_abrt.1:MCP:u64:0
B.3.0.50.srv_abrt.1:MCP:u64:0
B.3.0.51.comp_in.1:MCP:u64:0
B.3.0.52.comp_out.1:MCP:u64:0
B.3.0.53.comp_byp.1:MCP:u64:0
B.3.0.54.comp_rsp.1:MCP:u64:0
B.3.0.55.lastsess.1:MAP:s32:-1
B.3.0.58.qtime.1:MaP:u32:0
B.3.0.59.ctime.1:MaP:u32:0
B.3.0.60.rtime.1:MaP:u32:0
B.3.0.61.ttime.1:MaP:u32:0
B.3.0.75.mode.1:CGS:str:tcp
B.3.0.76.algo.1:CGS:str:roundrobin
B.3.0.83.wrew.1:MCP:u64:0
B.3.0.84.connect.1:MCP:u64:0
B.3.0.85.reuse.1:MCP:u64:0
B.3.0.90.qtime_max.1:MMP:u32:0
B.3.0.91.ctime_max.1:MMP:u32:0
B.3.0.92.rtime_max.1:MMP:u32:0
B.3.0.93.ttime_max.1:MMP:u32:0
B.3.0.94.eint.1:MCP:u64:0
B.3.0.99.uweight.1:MaP:u32:51
B.3.0.100.agg_server_status.1:MGP:u32:0
B.3.0.101.agg_server_check_status.1:MGP:u32:0
B.3.0.102.agg_check_status.1:MGP:u32:0
B.3.0.103.ssl_sess.1:MCP:u64:0
B.3.0.104.ssl_reused_sess.1:MCP:u64:0
B.3.0.105.ssl_failed_handshake.1:MCP:u64:0
B.3.0.106.h2_headers_rcvd.1:MCP:u64:0
B.3.0.107.h2_data_rcvd.1:MCP:u64:0
B.3.0.108.h2_settings_rcvd.1:MCP:u64:0
B.3.0.109.h2_rst_stream_rcvd.1:MCP:u64:0
B.3.0.110.h2_goaway_rcvd.1:MCP:u64:0
B.3.0.111.h2_detected_conn_protocol_errors.1:MCP:u64:0
B.3.0.112.h2_detected_strm_protocol_errors.1:MCP:u64:0
B.3.0.113.h2_rst_stream_resp.1:MCP:u64:0
B.3.0.114.h2_goaway_resp.1:MCP:u64:0
B.3.0.115.h2_open_connections.1:MGP:u64:0
B.3.0.116.h2_backend_open_streams.1:MGP:u64:0
B.3.0.117.h2_total_connections.1:MCP:u64:0
B.3.0.118.h2_backend_total_streams.1:MCP:u64:0
B.3.0.119.h1_open_connections.1:MGP:u64:0
B.3.0.120.h1_open_streams.1:MGP:u64:0
B.3.0.121.h1_total_connections.1:MCP:u64:0
B.3.0.122.h1_total_streams.1:MCP:u64:0
B.3.0.123.h1_bytes_in.1:MCP:u64:0
B.3.0.124.h1_bytes_out.1:MCP:u64:0
B.3.0.125.h1_spliced_bytes_in.1:MCP:u64:0
B.3.0.126.h1_spliced_bytes_out.1:MCP:u64:0


"""#
    static let statJSON = #"""
[[{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":0,"name":"pxname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"fe_main"}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":1,"name":"svname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"FRONTEND"}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":4,"name":"scur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":5,"name":"smax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":6,"name":"slim"},"processNum":1,"tags":{"origin":"Config","nature":"Limit","scope":"Process"},"value":{"type":"u32","value":500}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":7,"name":"stot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":8,"name":"bin"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":9,"name":"bout"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":10,"name":"dreq"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":11,"name":"dresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":12,"name":"ereq"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":17,"name":"status"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"str","value":"OPEN"}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":26,"name":"pid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":27,"name":"iid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":28,"name":"sid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":32,"name":"type"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":33,"name":"rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Rate","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":34,"name":"rate_lim"},"processNum":1,"tags":{"origin":"Config","nature":"Limit","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":35,"name":"rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":46,"name":"req_rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Rate","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":47,"name":"req_rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":48,"name":"req_tot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":51,"name":"comp_in"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":52,"name":"comp_out"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":53,"name":"comp_byp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":54,"name":"comp_rsp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":75,"name":"mode"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"tcp"}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":77,"name":"conn_rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Rate","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":78,"name":"conn_rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":79,"name":"conn_tot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":81,"name":"dcon"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":82,"name":"dses"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":83,"name":"wrew"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":94,"name":"eint"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":103,"name":"ssl_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":104,"name":"ssl_reused_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":105,"name":"ssl_failed_handshake"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":106,"name":"h2_headers_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":107,"name":"h2_data_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":108,"name":"h2_settings_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":109,"name":"h2_rst_stream_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":110,"name":"h2_goaway_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":111,"name":"h2_detected_conn_protocol_errors"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":112,"name":"h2_detected_strm_protocol_errors"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":113,"name":"h2_rst_stream_resp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":114,"name":"h2_goaway_resp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":115,"name":"h2_open_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":116,"name":"h2_backend_open_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":117,"name":"h2_total_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":118,"name":"h2_backend_total_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":119,"name":"h1_open_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":120,"name":"h1_open_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":121,"name":"h1_total_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":122,"name":"h1_total_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":123,"name":"h1_bytes_in"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":124,"name":"h1_bytes_out"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":125,"name":"h1_spliced_bytes_in"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Frontend","proxyId":2,"id":0,"field":{"pos":126,"name":"h1_spliced_bytes_out"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}}],[{"objType":"Server","proxyId":3,"id":1,"field":{"pos":0,"name":"pxname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"be_app"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":1,"name":"svname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"s1"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":2,"name":"qcur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":3,"name":"qmax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":4,"name":"scur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":5,"name":"smax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":7,"name":"stot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":8,"name":"bin"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":9,"name":"bout"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":11,"name":"dresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":13,"name":"econ"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":14,"name":"eresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":15,"name":"wretr"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":16,"name":"wredis"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":17,"name":"status"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"str","value":"DOWN"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":18,"name":"weight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":19,"name":"act"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":20,"name":"bck"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":21,"name":"chkfail"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":22,"name":"chkdown"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":23,"name":"lastchg"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":24,"name":"downtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":26,"name":"pid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":27,"name":"iid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":28,"name":"sid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":30,"name":"lbtot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":32,"name":"type"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":33,"name":"rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Rate","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":35,"name":"rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":36,"name":"check_status"},"processNum":1,"tags":{"origin":"Metric","nature":"Output","scope":"Process"},"value":{"type":"str","value":"L4CON"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":38,"name":"check_duration"},"processNum":1,"tags":{"origin":"Metric","nature":"Duration","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":49,"name":"cli_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":50,"name":"srv_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":55,"name":"lastsess"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"s32","value":-1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":56,"name":"last_chk"},"processNum":1,"tags":{"origin":"Metric","nature":"Output","scope":"Process"},"value":{"type":"str","value":"Connection refused"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":58,"name":"qtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":59,"name":"ctime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":60,"name":"rtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":61,"name":"ttime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":65,"name":"check_desc"},"processNum":1,"tags":{"origin":"Metric","nature":"Output","scope":"Process"},"value":{"type":"str","value":"Layer4 connection problem"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":67,"name":"check_rise"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":68,"name":"check_fall"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":69,"name":"check_health"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":73,"name":"addr"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"127.0.0.1:25101"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":75,"name":"mode"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"tcp"}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":83,"name":"wrew"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":84,"name":"connect"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":85,"name":"reuse"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":88,"name":"srv_icur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":90,"name":"qtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":91,"name":"ctime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":92,"name":"rtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":93,"name":"ttime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":94,"name":"eint"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":95,"name":"idle_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":96,"name":"safe_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":97,"name":"used_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":98,"name":"need_conn_est"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":99,"name":"uweight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":103,"name":"ssl_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":104,"name":"ssl_reused_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":1,"field":{"pos":105,"name":"ssl_failed_handshake"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}}],[{"objType":"Server","proxyId":3,"id":2,"field":{"pos":0,"name":"pxname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"be_app"}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":1,"name":"svname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"s2"}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":2,"name":"qcur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":3,"name":"qmax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":4,"name":"scur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":5,"name":"smax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":6,"name":"slim"},"processNum":1,"tags":{"origin":"Config","nature":"Limit","scope":"Process"},"value":{"type":"u32","value":100}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":7,"name":"stot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":8,"name":"bin"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":9,"name":"bout"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":11,"name":"dresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":13,"name":"econ"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":14,"name":"eresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":15,"name":"wretr"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":16,"name":"wredis"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":17,"name":"status"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"str","value":"no check"}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":18,"name":"weight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":50}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":19,"name":"act"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":20,"name":"bck"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":23,"name":"lastchg"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":25,"name":"qlimit"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":7}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":26,"name":"pid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":27,"name":"iid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":28,"name":"sid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":30,"name":"lbtot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":32,"name":"type"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":33,"name":"rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Rate","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":35,"name":"rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":49,"name":"cli_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":50,"name":"srv_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":55,"name":"lastsess"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"s32","value":-1}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":58,"name":"qtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":59,"name":"ctime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":60,"name":"rtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":61,"name":"ttime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":73,"name":"addr"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"127.0.0.1:25102"}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":75,"name":"mode"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"tcp"}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":83,"name":"wrew"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":84,"name":"connect"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":85,"name":"reuse"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":88,"name":"srv_icur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":90,"name":"qtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":91,"name":"ctime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":92,"name":"rtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":93,"name":"ttime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":94,"name":"eint"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":95,"name":"idle_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":96,"name":"safe_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":97,"name":"used_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":98,"name":"need_conn_est"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":99,"name":"uweight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":50}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":103,"name":"ssl_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":104,"name":"ssl_reused_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":2,"field":{"pos":105,"name":"ssl_failed_handshake"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}}],[{"objType":"Server","proxyId":3,"id":3,"field":{"pos":0,"name":"pxname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"be_app"}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":1,"name":"svname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"s4"}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":2,"name":"qcur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":3,"name":"qmax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":4,"name":"scur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":5,"name":"smax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":7,"name":"stot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":8,"name":"bin"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":9,"name":"bout"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":11,"name":"dresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":13,"name":"econ"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":14,"name":"eresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":15,"name":"wretr"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":16,"name":"wredis"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":17,"name":"status"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"str","value":"no check"}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":18,"name":"weight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":19,"name":"act"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":20,"name":"bck"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":23,"name":"lastchg"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":26,"name":"pid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":27,"name":"iid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":28,"name":"sid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":3}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":30,"name":"lbtot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":32,"name":"type"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":2}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":33,"name":"rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Rate","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":35,"name":"rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":49,"name":"cli_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":50,"name":"srv_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":55,"name":"lastsess"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"s32","value":-1}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":58,"name":"qtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":59,"name":"ctime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":60,"name":"rtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":61,"name":"ttime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":73,"name":"addr"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"127.0.0.1:25104"}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":75,"name":"mode"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"tcp"}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":83,"name":"wrew"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":84,"name":"connect"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":85,"name":"reuse"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":88,"name":"srv_icur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":90,"name":"qtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":91,"name":"ctime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":92,"name":"rtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":93,"name":"ttime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":94,"name":"eint"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":95,"name":"idle_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":96,"name":"safe_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":97,"name":"used_conn_cur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":98,"name":"need_conn_est"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":99,"name":"uweight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":103,"name":"ssl_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":104,"name":"ssl_reused_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Server","proxyId":3,"id":3,"field":{"pos":105,"name":"ssl_failed_handshake"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}}],[{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":0,"name":"pxname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"be_app"}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":1,"name":"svname"},"processNum":1,"tags":{"origin":"Key","nature":"Name","scope":"Service"},"value":{"type":"str","value":"BACKEND"}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":2,"name":"qcur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":3,"name":"qmax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":4,"name":"scur"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":5,"name":"smax"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":6,"name":"slim"},"processNum":1,"tags":{"origin":"Config","nature":"Limit","scope":"Process"},"value":{"type":"u32","value":50}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":7,"name":"stot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":8,"name":"bin"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":9,"name":"bout"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":10,"name":"dreq"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":11,"name":"dresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":13,"name":"econ"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":14,"name":"eresp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":15,"name":"wretr"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":16,"name":"wredis"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":17,"name":"status"},"processNum":1,"tags":{"origin":"Status","nature":"Gauge","scope":"Process"},"value":{"type":"str","value":"UP"}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":18,"name":"weight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":51}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":19,"name":"act"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":2}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":20,"name":"bck"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":22,"name":"chkdown"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":23,"name":"lastchg"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"u32","value":3}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":24,"name":"downtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":26,"name":"pid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":1}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":27,"name":"iid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":3}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":28,"name":"sid"},"processNum":1,"tags":{"origin":"Key","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":30,"name":"lbtot"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":32,"name":"type"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"u32","value":1}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":33,"name":"rate"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":35,"name":"rate_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":49,"name":"cli_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":50,"name":"srv_abrt"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":51,"name":"comp_in"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":52,"name":"comp_out"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":53,"name":"comp_byp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":54,"name":"comp_rsp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":55,"name":"lastsess"},"processNum":1,"tags":{"origin":"Metric","nature":"Age","scope":"Process"},"value":{"type":"s32","value":-1}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":58,"name":"qtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":59,"name":"ctime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":60,"name":"rtime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":61,"name":"ttime"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":75,"name":"mode"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"tcp"}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":76,"name":"algo"},"processNum":1,"tags":{"origin":"Config","nature":"Gauge","scope":"Service"},"value":{"type":"str","value":"roundrobin"}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":83,"name":"wrew"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":84,"name":"connect"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":85,"name":"reuse"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":90,"name":"qtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":91,"name":"ctime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":92,"name":"rtime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":93,"name":"ttime_max"},"processNum":1,"tags":{"origin":"Metric","nature":"Max","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":94,"name":"eint"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":99,"name":"uweight"},"processNum":1,"tags":{"origin":"Metric","nature":"Avg","scope":"Process"},"value":{"type":"u32","value":51}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":100,"name":"agg_server_status"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":101,"name":"agg_server_check_status"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":102,"name":"agg_check_status"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u32","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":103,"name":"ssl_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":104,"name":"ssl_reused_sess"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":105,"name":"ssl_failed_handshake"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":106,"name":"h2_headers_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":107,"name":"h2_data_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":108,"name":"h2_settings_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":109,"name":"h2_rst_stream_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":110,"name":"h2_goaway_rcvd"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":111,"name":"h2_detected_conn_protocol_errors"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":112,"name":"h2_detected_strm_protocol_errors"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":113,"name":"h2_rst_stream_resp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":114,"name":"h2_goaway_resp"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":115,"name":"h2_open_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":116,"name":"h2_backend_open_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":117,"name":"h2_total_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":118,"name":"h2_backend_total_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":119,"name":"h1_open_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":120,"name":"h1_open_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Gauge","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":121,"name":"h1_total_connections"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":122,"name":"h1_total_streams"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":123,"name":"h1_bytes_in"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":124,"name":"h1_bytes_out"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":125,"name":"h1_spliced_bytes_in"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}},{"objType":"Backend","proxyId":3,"id":0,"field":{"pos":126,"name":"h1_spliced_bytes_out"},"processNum":1,"tags":{"origin":"Metric","nature":"Counter","scope":"Process"},"value":{"type":"u64","value":0}}]]


"""#
    static let serversState = #"""
1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be_app 1 s1 127.0.0.1 0 0 1 1 3 8 2 0 6 0 0 0 - 25101 - 0 0 - - 0
3 be_app 2 s2 127.0.0.1 2 0 50 50 3 1 0 2 0 0 0 0 - 25102 - 0 0 - - 0
3 be_app 3 s4 127.0.0.1 2 0 1 1 3 1 0 2 0 0 0 0 - 25104 - 0 0 - - 0


"""#
    static let info = #"""
Name: HAProxy
Version: 2.6.12-1+deb12u4
Release_date: 2026/10/17
Nbthread: 2
Nbproc: 1
Process_num: 1
Pid: 7389
Uptime: 0d 0h00m02s
Uptime_sec: 2
Memmax_MB: 0
PoolAlloc_MB: 0
PoolUsed_MB: 0
PoolFailed: 0
Ulimit-n: 2031
Maxsock: 2031
Maxconn: 1000
Hard_maxconn: 1000
CurrConns: 0
CumConns: 10
CumReq: 7
MaxSslConns: 0
CurrSslConns: 0
CumSslConns: 0
Maxpipes: 0
PipesUsed: 0
PipesFree: 0
ConnRate: 0
ConnRateLimit: 0
MaxConnRate: 0
SessRate: 0
SessRateLimit: 0
MaxSessRate: 0
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
Tasks: 14
Run_queue: 0
Idle_pct: 100
node: vm
Stopping: 0
Jobs: 5
Unstoppable Jobs: 0
Listeners: 4
ActivePeers: 0
ConnectedPeers: 0
DroppedLogs: 0
BusyPolling: 0
FailedResolutions: 0
TotalBytesOut: 117373
TotalSplicdedBytesOut: 0
BytesOutRate: 117376
DebugCommandsIssued: 0
CumRecvLogs: 0
Build info: 2.6.12-1+deb12u4
Memmax_bytes: 0
PoolAlloc_bytes: 106944
PoolUsed_bytes: 106944
Start_time_sec: 1795270166
Tainted: 0


"""#
    static let statTypedUser = #"""
F.2.0.0.pxname.1:KNS:str:fe_main
F.2.0.1.svname.1:KNS:str:FRONTEND
F.2.0.4.scur.1:MGP:u32:0
F.2.0.5.smax.1:MMP:u32:0
F.2.0.6.slim.1:CLP:u32:500
F.2.0.7.stot.1:MCP:u64:0
F.2.0.8.bin.1:MCP:u64:0
F.2.0.9.bout.1:MCP:u64:0
F.2.0.10.dreq.1:MCP:u64:0
F.2.0.11.dresp.1:MCP:u64:0
F.2.0.12.ereq.1:MCP:u64:0
F.2.0.17.status.1:SGP:str:OPEN
F.2.0.26.pid.1:KGP:u32:1
F.2.0.27.iid.1:KGS:u32:2
F.2.0.28.sid.1:KGS:u32:0
F.2.0.32.type.1:CGS:u32:0
F.2.0.33.rate.1:MRP:u32:0
F.2.0.34.rate_lim.1:CLP:u32:0
F.2.0.35.rate_max.1:MMP:u32:0
F.2.0.46.req_rate.1:MRP:u32:0
F.2.0.47.req_rate_max.1:MMP:u32:0
F.2.0.48.req_tot.1:MCP:u64:0
F.2.0.51.comp_in.1:MCP:u64:0
F.2.0.52.comp_out.1:MCP:u64:0
F.2.0.53.comp_byp.1:MCP:u64:0
F.2.0.54.comp_rsp.1:MCP:u64:0
F.2.0.75.mode.1:CGS:str:tcp
F.2.0.77.conn_rate.1:MRP:u32:0
F.2.0.78.conn_rate_max.1:MMP:u32:0
F.2.0.79.conn_tot.1:MCP:u64:0
F.2.0.81.dcon.1:MCP:u64:0
F.2.0.82.dses.1:MCP:u64:0
F.2.0.83.wrew.1:MCP:u64:0
F.2.0.94.eint.1:MCP:u64:0
F.2.0.103.ssl_sess.1:MCP:u64:0
F.2.0.104.ssl_reused_sess.1:MCP:u64:0
F.2.0.105.ssl_failed_handshake.1:MCP:u64:0
F.2.0.106.h2_headers_rcvd.1:MCP:u64:0
F.2.0.107.h2_data_rcvd.1:MCP:u64:0
F.2.0.108.h2_settings_rcvd.1:MCP:u64:0
F.2.0.109.h2_rst_stream_rcvd.1:MCP:u64:0
F.2.0.110.h2_goaway_rcvd.1:MCP:u64:0
F.2.0.111.h2_detected_conn_protocol_errors.1:MCP:u64:0
F.2.0.112.h2_detected_strm_protocol_errors.1:MCP:u64:0
F.2.0.113.h2_rst_stream_resp.1:MCP:u64:0
F.2.0.114.h2_goaway_resp.1:MCP:u64:0
F.2.0.115.h2_open_connections.1:MGP:u64:0
F.2.0.116.h2_backend_open_streams.1:MGP:u64:0
F.2.0.117.h2_total_connections.1:MCP:u64:0
F.2.0.118.h2_backend_total_streams.1:MCP:u64:0
F.2.0.119.h1_open_connections.1:MGP:u64:0
F.2.0.120.h1_open_streams.1:MGP:u64:0
F.2.0.121.h1_total_connections.1:MCP:u64:0
F.2.0.122.h1_total_streams.1:MCP:u64:0
F.2.0.123.h1_bytes_in.1:MCP:u64:0
F.2.0.124.h1_bytes_out.1:MCP:u64:0
F.2.0.125.h1_spliced_bytes_in.1:MCP:u64:0
F.2.0.126.h1_spliced_bytes_out.1:MCP:u64:0
S.3.1.0.pxname.1:KNS:str:be_app
S.3.1.1.svname.1:KNS:str:s1
S.3.1.2.qcur.1:MGP:u32:0
S.3.1.3.qmax.1:MMP:u32:0
S.3.1.4.scur.1:MGP:u32:0
S.3.1.5.smax.1:MMP:u32:0
S.3.1.7.stot.1:MCP:u64:0
S.3.1.8.bin.1:MCP:u64:0
S.3.1.9.bout.1:MCP:u64:0
S.3.1.11.dresp.1:MCP:u64:0
S.3.1.13.econ.1:MCP:u64:0
S.3.1.14.eresp.1:MCP:u64:0
S.3.1.15.wretr.1:MCP:u64:0
S.3.1.16.wredis.1:MCP:u64:0
S.3.1.17.status.1:SGP:str:DOWN
S.3.1.18.weight.1:MaP:u32:1
S.3.1.19.act.1:SGP:u32:1
S.3.1.20.bck.1:SGP:u32:0
S.3.1.21.chkfail.1:MCP:u64:1
S.3.1.22.chkdown.1:MCP:u64:1
S.3.1.23.lastchg.1:MAP:u32:3
S.3.1.24.downtime.1:MCP:u32:3
S.3.1.26.pid.1:KGP:u32:1
S.3.1.27.iid.1:KGS:u32:3
S.3.1.28.sid.1:KGS:u32:1
S.3.1.30.lbtot.1:MCP:u64:0
S.3.1.32.type.1:CGS:u32:2
S.3.1.33.rate.1:MRP:u32:0
S.3.1.35.rate_max.1:MMP:u32:0
S.3.1.36.check_status.1:MOP:str:L4CON
S.3.1.38.check_duration.1:MDP:u64:0
S.3.1.49.cli_abrt.1:MCP:u64:0
S.3.1.50.srv_abrt.1:MCP:u64:0
S.3.1.55.lastsess.1:MAP:s32:-1
S.3.1.56.last_chk.1:MOP:str:Connection refused
S.3.1.58.qtime.1:MaP:u32:0
S.3.1.59.ctime.1:MaP:u32:0
S.3.1.60.rtime.1:MaP:u32:0
S.3.1.61.ttime.1:MaP:u32:0
S.3.1.65.check_desc.1:MOP:str:Layer4 connection problem
S.3.1.67.check_rise.1:CGS:u32:2
S.3.1.68.check_fall.1:CGS:u32:2
S.3.1.69.check_health.1:CGS:u32:0
S.3.1.75.mode.1:CGS:str:tcp
S.3.1.83.wrew.1:MCP:u64:0
S.3.1.84.connect.1:MCP:u64:0
S.3.1.85.reuse.1:MCP:u64:0
S.3.1.88.srv_icur.1:MGP:u32:0
S.3.1.90.qtime_max.1:MMP:u32:0
S.3.1.91.ctime_max.1:MMP:u32:0
S.3.1.92.rtime_max.1:MMP:u32:0
S.3.1.93.ttime_max.1:MMP:u32:0
S.3.1.94.eint.1:MCP:u64:0
S.3.1.95.idle_conn_cur.1:MGP:u32:0
S.3.1.96.safe_conn_cur.1:MGP:u32:0
S.3.1.97.used_conn_cur.1:MGP:u32:0
S.3.1.98.need_conn_est.1:MGP:u32:1
S.3.1.99.uweight.1:MaP:u32:1
S.3.1.103.ssl_sess.1:MCP:u64:0
S.3.1.104.ssl_reused_sess.1:MCP:u64:0
S.3.1.105.ssl_failed_handshake.1:MCP:u64:0
S.3.2.0.pxname.1:KNS:str:be_app
S.3.2.1.svname.1:KNS:str:s2
S.3.2.2.qcur.1:MGP:u32:0
S.3.2.3.qmax.1:MMP:u32:0
S.3.2.4.scur.1:MGP:u32:0
S.3.2.5.smax.1:MMP:u32:0
S.3.2.6.slim.1:CLP:u32:100
S.3.2.7.stot.1:MCP:u64:0
S.3.2.8.bin.1:MCP:u64:0
S.3.2.9.bout.1:MCP:u64:0
S.3.2.11.dresp.1:MCP:u64:0
S.3.2.13.econ.1:MCP:u64:0
S.3.2.14.eresp.1:MCP:u64:0
S.3.2.15.wretr.1:MCP:u64:0
S.3.2.16.wredis.1:MCP:u64:0
S.3.2.17.status.1:SGP:str:no check
S.3.2.18.weight.1:MaP:u32:50
S.3.2.19.act.1:SGP:u32:1
S.3.2.20.bck.1:SGP:u32:0
S.3.2.23.lastchg.1:MAP:u32:3
S.3.2.25.qlimit.1:CGS:u32:7
S.3.2.26.pid.1:KGP:u32:1
S.3.2.27.iid.1:KGS:u32:3
S.3.2.28.sid.1:KGS:u32:2
S.3.2.30.lbtot.1:MCP:u64:0
S.3.2.32.type.1:CGS:u32:2
S.3.2.33.rate.1:MRP:u32:0
S.3.2.35.rate_max.1:MMP:u32:0
S.3.2.49.cli_abrt.1:MCP:u64:0
S.3.2.50.srv_abrt.1:MCP:u64:0
S.3.2.55.lastsess.1:MAP:s32:-1
S.3.2.58.qtime.1:MaP:u32:0
S.3.2.59.ctime.1:MaP:u32:0
S.3.2.60.rtime.1:MaP:u32:0
S.3.2.61.ttime.1:MaP:u32:0
S.3.2.75.mode.1:CGS:str:tcp
S.3.2.83.wrew.1:MCP:u64:0
S.3.2.84.connect.1:MCP:u64:0
S.3.2.85.reuse.1:MCP:u64:0
S.3.2.88.srv_icur.1:MGP:u32:0
S.3.2.90.qtime_max.1:MMP:u32:0
S.3.2.91.ctime_max.1:MMP:u32:0
S.3.2.92.rtime_max.1:MMP:u32:0
S.3.2.93.ttime_max.1:MMP:u32:0
S.3.2.94.eint.1:MCP:u64:0
S.3.2.95.idle_conn_cur.1:MGP:u32:0
S.3.2.96.safe_conn_cur.1:MGP:u32:0
S.3.2.97.used_conn_cur.1:MGP:u32:0
S.3.2.98.need_conn_est.1:MGP:u32:0
S.3.2.99.uweight.1:MaP:u32:50
S.3.2.103.ssl_sess.1:MCP:u64:0
S.3.2.104.ssl_reused_sess.1:MCP:u64:0
S.3.2.105.ssl_failed_handshake.1:MCP:u64:0
S.3.3.0.pxname.1:KNS:str:be_app
S.3.3.1.svname.1:KNS:str:s4
S.3.3.2.qcur.1:MGP:u32:0
S.3.3.3.qmax.1:MMP:u32:0
S.3.3.4.scur.1:MGP:u32:0
S.3.3.5.smax.1:MMP:u32:0
S.3.3.7.stot.1:MCP:u64:0
S.3.3.8.bin.1:MCP:u64:0
S.3.3.9.bout.1:MCP:u64:0
S.3.3.11.dresp.1:MCP:u64:0
S.3.3.13.econ.1:MCP:u64:0
S.3.3.14.eresp.1:MCP:u64:0
S.3.3.15.wretr.1:MCP:u64:0
S.3.3.16.wredis.1:MCP:u64:0
S.3.3.17.status.1:SGP:str:no check
S.3.3.18.weight.1:MaP:u32:1
S.3.3.19.act.1:SGP:u32:1
S.3.3.20.bck.1:SGP:u32:0
S.3.3.23.lastchg.1:MAP:u32:3
S.3.3.26.pid.1:KGP:u32:1
S.3.3.27.iid.1:KGS:u32:3
S.3.3.28.sid.1:KGS:u32:3
S.3.3.30.lbtot.1:MCP:u64:0
S.3.3.32.type.1:CGS:u32:2
S.3.3.33.rate.1:MRP:u32:0
S.3.3.35.rate_max.1:MMP:u32:0
S.3.3.49.cli_abrt.1:MCP:u64:0
S.3.3.50.srv_abrt.1:MCP:u64:0
S.3.3.55.lastsess.1:MAP:s32:-1
S.3.3.58.qtime.1:MaP:u32:0
S.3.3.59.ctime.1:MaP:u32:0
S.3.3.60.rtime.1:MaP:u32:0
S.3.3.61.ttime.1:MaP:u32:0
S.3.3.75.mode.1:CGS:str:tcp
S.3.3.83.wrew.1:MCP:u64:0
S.3.3.84.connect.1:MCP:u64:0
S.3.3.85.reuse.1:MCP:u64:0
S.3.3.88.srv_icur.1:MGP:u32:0
S.3.3.90.qtime_max.1:MMP:u32:0
S.3.3.91.ctime_max.1:MMP:u32:0
S.3.3.92.rtime_max.1:MMP:u32:0
S.3.3.93.ttime_max.1:MMP:u32:0
S.3.3.94.eint.1:MCP:u64:0
S.3.3.95.idle_conn_cur.1:MGP:u32:0
S.3.3.96.safe_conn_cur.1:MGP:u32:0
S.3.3.97.used_conn_cur.1:MGP:u32:0
S.3.3.98.need_conn_est.1:MGP:u32:0
S.3.3.99.uweight.1:MaP:u32:1
S.3.3.103.ssl_sess.1:MCP:u64:0
S.3.3.104.ssl_reused_sess.1:MCP:u64:0
S.3.3.105.ssl_failed_handshake.1:MCP:u64:0
B.3.0.0.pxname.1:KNS:str:be_app
B.3.0.1.svname.1:KNS:str:BACKEND
B.3.0.2.qcur.1:MGP:u32:0
B.3.0.3.qmax.1:MMP:u32:0
B.3.0.4.scur.1:MGP:u32:0
B.3.0.5.smax.1:MMP:u32:0
B.3.0.6.slim.1:CLP:u32:50
B.3.0.7.stot.1:MCP:u64:0
B.3.0.8.bin.1:MCP:u64:0
B.3.0.9.bout.1:MCP:u64:0
B.3.0.10.dreq.1:MCP:u64:0
B.3.0.11.dresp.1:MCP:u64:0
B.3.0.13.econ.1:MCP:u64:0
B.3.0.14.eresp.1:MCP:u64:0
B.3.0.15.wretr.1:MCP:u64:0
B.3.0.16.wredis.1:MCP:u64:0
B.3.0.17.status.1:SGP:str:UP
B.3.0.18.weight.1:MaP:u32:51
B.3.0.19.act.1:MGP:u32:2
B.3.0.20.bck.1:MGP:u32:0
B.3.0.22.chkdown.1:MCP:u64:0
B.3.0.23.lastchg.1:MAP:u32:3
B.3.0.24.downtime.1:MCP:u32:0
B.3.0.26.pid.1:KGP:u32:1
B.3.0.27.iid.1:KGS:u32:3
B.3.0.28.sid.1:KGS:u32:0
B.3.0.30.lbtot.1:MCP:u64:0
B.3.0.32.type.1:CGS:u32:1
B.3.0.33.rate.1:MGP:u32:0
B.3.0.35.rate_max.1:MGP:u32:0
B.3.0.49.cli_abrt.1:MCP:u64:0
B.3.0.50.srv_abrt.1:MCP:u64:0
B.3.0.51.comp_in.1:MCP:u64:0
B.3.0.52.comp_out.1:MCP:u64:0
B.3.0.53.comp_byp.1:MCP:u64:0
B.3.0.54.comp_rsp.1:MCP:u64:0
B.3.0.55.lastsess.1:MAP:s32:-1
B.3.0.58.qtime.1:MaP:u32:0
B.3.0.59.ctime.1:MaP:u32:0
B.3.0.60.rtime.1:MaP:u32:0
B.3.0.61.ttime.1:MaP:u32:0
B.3.0.75.mode.1:CGS:str:tcp
B.3.0.83.wrew.1:MCP:u64:0
B.3.0.84.connect.1:MCP:u64:0
B.3.0.85.reuse.1:MCP:u64:0
B.3.0.90.qtime_max.1:MMP:u32:0
B.3.0.91.ctime_max.1:MMP:u32:0
B.3.0.92.rtime_max.1:MMP:u32:0
B.3.0.93.ttime_max.1:MMP:u32:0
B.3.0.94.eint.1:MCP:u64:0
B.3.0.99.uweight.1:MaP:u32:51
B.3.0.100.agg_server_status.1:MGP:u32:0
B.3.0.101.agg_server_check_status.1:MGP:u32:0
B.3.0.102.agg_check_status.1:MGP:u32:0
B.3.0.103.ssl_sess.1:MCP:u64:0
B.3.0.104.ssl_reused_sess.1:MCP:u64:0
B.3.0.105.ssl_failed_handshake.1:MCP:u64:0
B.3.0.106.h2_headers_rcvd.1:MCP:u64:0
B.3.0.107.h2_data_rcvd.1:MCP:u64:0
B.3.0.108.h2_settings_rcvd.1:MCP:u64:0
B.3.0.109.h2_rst_stream_rcvd.1:MCP:u64:0
B.3.0.110.h2_goaway_rcvd.1:MCP:u64:0
B.3.0.111.h2_detected_conn_protocol_errors.1:MCP:u64:0
B.3.0.112.h2_detected_strm_protocol_errors.1:MCP:u64:0
B.3.0.113.h2_rst_stream_resp.1:MCP:u64:0
B.3.0.114.h2_goaway_resp.1:MCP:u64:0
B.3.0.115.h2_open_connections.1:MGP:u64:0
B.3.0.116.h2_backend_open_streams.1:MGP:u64:0
B.3.0.117.h2_total_connections.1:MCP:u64:0
B.3.0.118.h2_backend_total_streams.1:MCP:u64:0
B.3.0.119.h1_open_connections.1:MGP:u64:0
B.3.0.120.h1_open_streams.1:MGP:u64:0
B.3.0.121.h1_total_connections.1:MCP:u64:0
B.3.0.122.h1_total_streams.1:MCP:u64:0
B.3.0.123.h1_bytes_in.1:MCP:u64:0
B.3.0.124.h1_bytes_out.1:MCP:u64:0
B.3.0.125.h1_spliced_bytes_in.1:MCP:u64:0
B.3.0.126.h1_spliced_bytes_out.1:MCP:u64:0


"""#
    static let fuzzyFoo = #"""
Unknown command, but maybe one of the following ones is a better match:
  add acl [@<ver>] <acl> <pattern>        : add an acl entry
  show fd [num]                           : dump list of file descriptors in use or a specific one
  show info [desc|json|typed|float]*      : report information about the running process
  trace [<module>|0] [cmd [args...]]      : manage live tracing (empty to list, 0 to stop all)
  user                                    : lower the level of the current CLI session to user
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let fuzzyShwStat = #"""
Unknown command, but maybe one of the following ones is a better match:
  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let fuzzySetMaxconn = #"""
Unknown command, but maybe one of the following ones is a better match:
  set maxconn frontend <frontend> <value> : change a frontend's maxconn setting
  set maxconn global <value>              : change the per-process maxconn setting
  set maxconn server <bk>/<srv>           : change a server's maxconn setting
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let helpShow = #"""
The following commands are valid at this level:
  show acl [@<ver>] <acl>]                : report available acls or dump an acl's contents
  show activity                           : show per-thread activity stats (for support/developers)
  show backend                            : list backends in the current running config
  show cache                              : show cache status
  show cli level                          : display the level of the current CLI session
  show cli sockets                        : dump list of cli sockets
  show env [var]                          : dump environment variables known to the process
  show errors [<px>] [request|response]   : report last request and/or response errors for each proxy
  show events [<sink>] [-w] [-n]          : show event sink state
  show fd [num]                           : dump list of file descriptors in use or a specific one
  show info [desc|json|typed|float]*      : report information about the running process
  show libs                               : show loaded object files and libraries
  show map [@ver] [map]                   : report available maps or dump a map's contents
  show peers [dict|-] [section]           : dump some information about all the peers or this peers section
  show pools                              : report information about the memory pools usage
  show profiling [<what>|<#lines>|byaddr]*: show profiling state (all,status,tasks,memory)
  show resolvers [id]                     : dumps counters from all resolvers section and associated name servers
  show schema json                        : report schema used for stats
  show servers conn [<backend>]           : dump server connections status (all or for a single backend)
  show servers state [<backend>]          : dump volatile server information (all or for a single backend)
  show sess [id]                          : report the list of current sessions or dump this exact session
  show ssl ca-file [<cafile>[:<index>]]   : display the SSL CA files used in memory, or the details of a <cafile>, or a single certificate of index <index> of a CA file <cafile>
  show ssl cert [<certfile>]              : display the SSL certificates used in memory, or the details of a file
  show ssl crl-file [<crlfile[:<index>>]] : display the SSL CRL files used in memory, or the details of a <crlfile>, or a single CRL of index <index> of CRL file <crlfile>
  show ssl crt-list [-n] [<list>]         : show the list of crt-lists or the content of a crt-list file <list>
  show ssl ocsp-response [id]             : display the IDs of the OCSP responses used in memory, or the details of a single OCSP response
  show ssl providers                      : show loaded SSL providers
  show startup-logs                       : report logs emitted during HAProxy startup
  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server
  show table <table> [<filter>]*          : report table usage stats or dump this table's contents (filter: data/key)
  show tasks                              : show running tasks
  show threads                            : show some threads debugging information
  show tls-keys [id|*]                    : show tls keys references or dump tls ticket keys when id specified
  show trace [<module>]                   : show live tracing state
  show version                            : show version of the current process
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let fuzzyShow = #"""
Unknown command, but maybe one of the following ones is a better match:
  show acl [@<ver>] <acl>]                : report available acls or dump an acl's contents
  show activity                           : show per-thread activity stats (for support/developers)
  show backend                            : list backends in the current running config
  show cache                              : show cache status
  show cli level                          : display the level of the current CLI session
  show cli sockets                        : dump list of cli sockets
  show env [var]                          : dump environment variables known to the process
  show errors [<px>] [request|response]   : report last request and/or response errors for each proxy
  show events [<sink>] [-w] [-n]          : show event sink state
  show fd [num]                           : dump list of file descriptors in use or a specific one
  show info [desc|json|typed|float]*      : report information about the running process
  show libs                               : show loaded object files and libraries
  show map [@ver] [map]                   : report available maps or dump a map's contents
  show peers [dict|-] [section]           : dump some information about all the peers or this peers section
  show pools                              : report information about the memory pools usage
  show profiling [<what>|<#lines>|byaddr]*: show profiling state (all,status,tasks,memory)
  show resolvers [id]                     : dumps counters from all resolvers section and associated name servers
  show schema json                        : report schema used for stats
  show servers conn [<backend>]           : dump server connections status (all or for a single backend)
  show servers state [<backend>]          : dump volatile server information (all or for a single backend)
  show sess [id]                          : report the list of current sessions or dump this exact session
  show ssl ca-file [<cafile>[:<index>]]   : display the SSL CA files used in memory, or the details of a <cafile>, or a single certificate of index <index> of a CA file <cafile>
  show ssl cert [<certfile>]              : display the SSL certificates used in memory, or the details of a file
  show ssl crl-file [<crlfile[:<index>>]] : display the SSL CRL files used in memory, or the details of a <crlfile>, or a single CRL of index <index> of CRL file <crlfile>
  show ssl crt-list [-n] [<list>]         : show the list of crt-lists or the content of a crt-list file <list>
  show ssl ocsp-response [id]             : display the IDs of the OCSP responses used in memory, or the details of a single OCSP response
  show ssl providers                      : show loaded SSL providers
  show startup-logs                       : report logs emitted during HAProxy startup
  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server
  show table <table> [<filter>]*          : report table usage stats or dump this table's contents (filter: data/key)
  show tasks                              : show running tasks
  show threads                            : show some threads debugging information
  show tls-keys [id|*]                    : show tls keys references or dump tls ticket keys when id specified
  show trace [<module>]                   : show live tracing state
  show version                            : show version of the current process
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
    static let fuzzyClear = #"""
Unknown command, but maybe one of the following ones is a better match:
  clear acl [@<ver>] <acl>                : clear the contents of this acl
  clear counters [all]                    : clear max statistics counters (or all counters)
  clear map [@<ver>] <map>                : clear the contents of this map
  clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)
  help [<command>]                        : list matching or all commands
  prompt                                  : toggle interactive mode with prompt
  quit                                    : disconnect


"""#
}
