"""The worker process's own machinery: its health check and watchdog (health.py)."""
