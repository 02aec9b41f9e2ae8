"""Drives ordrel's stats socket with the haproxyadmin library from PyPI, unmodified.

Run by HaproxyCompatibilityTests with the interpreter of the venv .ci/run prepares; argv: the
socket path, the frontend, the backend and one of its servers. Prints one line per check and
exits non-zero at the first one that fails. haproxyadmin refuses a socket whose `show info` does
not say `Name: HAProxy`.
"""
import sys

from haproxyadmin import haproxy, server as hserver

socket, frontend_name, backend_name, server_name = sys.argv[1:5]


def check(label, condition, detail=""):
    if not condition:
        print(f"FAIL {label} {detail}")
        sys.exit(1)
    print(f"ok {label}")


hap = haproxy.HAProxy(socket_file=socket)
check("connects and accepts the name", True)
check("version parses as haproxy 2.6", hap.version.startswith("2.6."), hap.version)
check("release date", len(hap.releasedate.split("/")) == 3, hap.releasedate)
check("uptime in seconds", int(hap.uptimesec) >= 0)
check("maxconn", int(hap.maxconn) > 0, str(hap.maxconn))
check("CumReq metric", int(hap.totalrequests) >= 1, str(hap.totalrequests))

frontends = {f.name: f for f in hap.frontends()}
check("frontends listed", frontend_name in frontends, str(list(frontends)))
frontend = frontends[frontend_name]
check("frontend iid as haproxy numbers it", int(frontend.iid) == 2, str(frontend.iid))
check("frontend OPEN", frontend.status == "OPEN", frontend.status)
frontend.disable()
check("frontend PAUSED after disable", frontend.status == "PAUSED", frontend.status)
frontend.enable()
check("frontend OPEN after enable", frontend.status == "OPEN", frontend.status)
frontend.setmaxconn(400)
check("frontend maxconn set", int(frontend.maxconn) == 400, str(frontend.maxconn))
frontend.setmaxconn(500)

backend = hap.backend(backend_name)
check("backend status", backend.status == "UP", backend.status)
servers = {s.name: s for s in backend.servers()}
check("servers listed", server_name in servers, str(list(servers)))
srv = servers[server_name]
check("server metric scur", int(srv.metric("scur")) >= 0)
srv.setstate(hserver.STATE_DRAIN)
check("server DRAIN", srv.status == "DRAIN", srv.status)
srv.setstate(hserver.STATE_READY)
check("server back from DRAIN", srv.status != "DRAIN", srv.status)
initial = srv.weight
srv.setweight(7)
check("server weight set", int(srv.weight) == 7, str(srv.weight))
srv.setweight(int(initial))
check("clear counters", hap.clearcounters(all=True))
