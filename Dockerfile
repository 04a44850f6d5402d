# Wellspring: one stateless app container. Data lives in DATABASE_URL
# (SQLite under /data by default; PostgreSQL for several instances).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries: Pango (with its FreeType backend) and the HarfBuzz
# subset library for font embedding. Report fonts ship inside the app.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install -e . && python -m app.i18n
COPY alembic.ini ./
COPY migrations ./migrations
COPY templates ./templates
COPY cohorts ./cohorts

RUN useradd --create-home --uid 10001 wellspring \
 && mkdir -p /data /cache \
 && chown wellspring:wellspring /data /cache
USER wellspring

ENV ENVIRONMENT=production \
    DATABASE_URL=sqlite:////data/wellspring.db \
    XDG_CACHE_HOME=/cache \
    SECRET_KEY_FILE=/data/.wellspring-secret
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"

# `serve` applies migrations before it starts listening.
CMD ["wellspring", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
