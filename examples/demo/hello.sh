#!/bin/sh
# One HTTP answer naming the demo backend ($1); socat runs it once per connection. It reads the
# request line first, so socat never writes the request into a script that has already exited.
read -r _request
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nhello from backend %s\n' "$1"
