# Make sure the machine's PostgreSQL and Redis answer (start them when we may); used by scripts/test.
# Sets HSA_PG_OK / HSA_REDIS_OK to 1 when reachable.

pg_up() { python3 -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; }
redis_up() { python3 -c "import socket; socket.create_connection(('127.0.0.1', 6379), 1)" 2>/dev/null; }

if ! pg_up && [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1 || true
  sleep 2
fi
if ! redis_up && [ "$(id -u)" = 0 ] && command -v redis-server >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/hsa-redis.log >/dev/null 2>&1 || true
  sleep 1
fi
HSA_PG_OK=0; pg_up && HSA_PG_OK=1
HSA_REDIS_OK=0; redis_up && HSA_REDIS_OK=1
export HSA_PG_OK HSA_REDIS_OK
