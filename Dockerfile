# syntax=docker/dockerfile:1
# Production image: one image, three roles (web, worker, beat) chosen by the command.

# --- build: the locked environment, compiled translations and collected static files -------
FROM python:3.13-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# Settings need a key, a database URL and a Redis URL to load (without them they would start
# the embedded servers); none is used by these two commands.
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://build:6379/0 \
    /opt/venv/bin/pybabel compile --domain django --directory locale \
 && DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://build:6379/0 \
    /opt/venv/bin/python manage.py collectstatic --no-input

# --- runtime: no compilers, no uv, a user without privileges --------------------------------
FROM python:3.13-slim-bookworm AS runtime
RUN groupadd --system app && useradd --system --gid app --home-dir /app app
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings PORT=8000
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /app /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
# Behind the front proxy (compose.yaml, deploy/nginx/): gthread workers, proxy headers trusted
# from FORWARDED_ALLOW_IPS only, no header may set SCRIPT_NAME (deploy/gunicorn.conf.py).
CMD ["gunicorn", "config.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
