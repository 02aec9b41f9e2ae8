/// Configurations shared by several tests.
enum Fixtures {
    /// A haproxy 2.6 TCP configuration that `haproxy -c` accepts as is (with
    /// `BACKEND_PRIMARY=be_other` in the environment); FixtureTests checks it against the real
    /// haproxy when one is installed, and checks every value ordrel reads from it.
    static let haproxy26TCP = #"""
        # ordrel fixture: a haproxy 2.6 TCP configuration accepted by `haproxy -c`.
        global
            daemon
            maxconn 4096
            nbthread 2
            pidfile /run/ordrel-test.pid
            log 127.0.0.1:514 local0 info
            log stderr format raw daemon notice
            user nobody
            group nogroup
            chroot /var/empty
            no strict-limits
            tune.bufsize 32768
            tune.maxaccept 16
            stats socket /run/hap/admin.sock mode 600 level admin expose-fd listeners
            stats socket unix@/run/hap/user.sock mode 666 level user
            stats timeout 30s
            stats maxconn 20
            hard-stop-after 5m
            log-send-hostname
            spread-checks 5

        defaults databases
            mode tcp
            balance first
            timeout connect 2s
            timeout client 8h
            timeout server 8h
            timeout client-fin 30s
            timeout server-fin 30s
            option srvtcpka
            default-server check maxconn 100 on-marked-down shutdown-sessions

        defaults
            mode tcp
            log global
            option tcplog
            option dontlognull
            option redispatch
            retries 2
            balance leastconn
            timeout connect 5s
            timeout client 1m
            timeout server 1m
            timeout check 2s
            default-server inter 3s fall 2 rise 3

        frontend fe_main
            bind :8080,[::1]:8080 name main backlog 512
            bind 127.0.0.1:9000-9002 maxconn 100
            bind unix@/run/hap/fe.sock mode 660 user nobody group nogroup
            bind ipv6@:8443 v6only
            maxconn 2000
            option clitcpka
            use_backend "${BACKEND_PRIMARY}"
            default_backend be_app

        backend be_app
            id 10
            balance roundrobin
            option allbackups
            option abortonclose
            fullconn 1000
            timeout queue 10s
            timeout tunnel 1h
            default-server check inter 2s fastinter 500ms downinter 10s
            server app1 10.0.0.1:8000 weight 10 maxconn 50 maxqueue 20
            server app2 10.0.0.2:8000 weight 20 id 7 port 9000 addr 10.0.1.2
            server app3 'localhost:8000' disabled
            server spare 10.0.0.9:8000 backup no-check on-marked-up shutdown-backup-sessions

        backend be_other
            server o1 [::1]:7000
            server o2 127.0.0.1:7001 weight 0

        listen pg from databases
            bind 127.0.0.1:5432
            description PostgreSQL primary\ and replica
            server pg1 192.168.1.10:5432
            server pg2 192.168.1.11:5432 backup

        listen parked
            bind /run/hap/parked.sock
            disabled

        """#
}
