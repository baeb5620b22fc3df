"""`python -m hsa.testgateway`: the test gateway as its own server, for the demo and manual testing.

Keys default to the app's HSA_RAZORPAY_* settings so both sides agree without extra configuration.
"""

from __future__ import annotations

import argparse
import os

import uvicorn

from hsa.testgateway.app import GatewayConfig, build_app


def parse_config(argv: list[str] | None = None) -> tuple[GatewayConfig, str, int]:
    """(config, host, port) from the command line, with key defaults from the environment."""
    defaults = GatewayConfig()
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m hsa.testgateway", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--webhook-url", default="", help="where webhooks are POSTed (default: none)")
    parser.add_argument("--db", default=":memory:", help="SQLite file to keep state across restarts")
    parser.add_argument("--key-id", default=env("HSA_RAZORPAY_KEY_ID") or defaults.key_id)
    parser.add_argument("--key-secret", default=env("HSA_RAZORPAY_KEY_SECRET") or defaults.key_secret)
    parser.add_argument("--webhook-secret", default=env("HSA_RAZORPAY_WEBHOOK_SECRET") or defaults.webhook_secret)
    parser.add_argument("--merchant-name", default=defaults.merchant_name)
    parser.add_argument("--webhook-retry-delays", default=",".join(f"{d:g}" for d in defaults.webhook_retry_delays),
                        help="seconds between webhook retries, comma-separated (default: %(default)s)")
    args = parser.parse_args(argv)
    config = GatewayConfig(key_id=args.key_id, key_secret=args.key_secret, webhook_url=args.webhook_url,
                           webhook_secret=args.webhook_secret, db_path=args.db, merchant_name=args.merchant_name,
                           webhook_retry_delays=tuple(float(d) for d in args.webhook_retry_delays.split(",") if d))
    return config, args.host, args.port


def main(argv: list[str] | None = None) -> None:
    config, host, port = parse_config(argv)
    print(f"test gateway (TEST MODE) on http://{host}:{port} key_id={config.key_id} "
          f"webhooks -> {config.webhook_url or 'none'}", flush=True)
    uvicorn.run(build_app(config), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
