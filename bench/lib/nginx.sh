# The nginx backend of bench/run.sh and bench/reload.sh: one worker serving files from a directory,
# keep-alive without limit, no logs. Source it, then: nginx_conf <dir> <port> <root> >nginx.conf
nginx_conf() {  # dir port root
    cat <<NGX
user root;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$2 backlog=4096;
        root $3;
    }
}
NGX
}
