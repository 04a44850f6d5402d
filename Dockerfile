# Wellspring: one stateless app container. Data lives in DATABASE_URL (SQLite under /data by
# default; PostgreSQL for several instances). Python is Debian's, in a venv at /venv.
#
#   docker build -t wellspring .
#   docker volume create wellspring-data      # or a host directory owned by uid 10001:
#                                             #   mkdir data && sudo chown 10001 data
#   docker run --read-only -v wellspring-data:/data -p 8000:8000 wellspring
#
# The root filesystem may be read-only: /data is the only path written (database, the
# generated SECRET_KEY_FILE, temporary files). Stages: `deps` installs the locked
# dependencies (requirements.lock, hashes checked) and is rebuilt only when the lock
# changes; `wheel` builds the project as a wheel; the final image copies the two.
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS runtime-base
ENV LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# Python, WeasyPrint's libraries (Pango with FreeType, the HarfBuzz subset library for font
# embedding), and the fallback fonts for CJK names and emoji in participants' text. The
# report's own face ships inside the app; fontconfig's cache is built here, not at start.
# Not installed: documentation, and the serif CJK faces (54 MB; the reports are sans-serif).
RUN printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
      'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/fonts/opentype/noto/NotoSerifCJK*' \
      > /etc/dpkg/dpkg.cfg.d/wellspring-slim \
 && apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/* \
 && fc-cache -s

FROM runtime-base AS build-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-venv \
 && rm -rf /var/lib/apt/lists/*
# A venv with pip and the build backend, apart from the app's venv (which gets no pip).
COPY requirements-build.lock /tmp/build.lock
RUN python3 -m venv /tools \
 && /tools/bin/pip install --no-cache-dir --disable-pip-version-check --require-hashes \
      -r /tmp/build.lock \
 && python3 -m venv --without-pip /venv

FROM build-base AS deps
# Babel's locale data is kept for the two languages the app speaks (en, it) and their
# root: the other 900 locales are 30 MB that no code path can reach (normalize_language).
COPY requirements.lock /tmp/requirements.lock
RUN /tools/bin/pip --python /venv/bin/python install --no-cache-dir --disable-pip-version-check \
      --require-hashes --no-deps -r /tmp/requirements.lock \
 && find /venv -depth -type d -name tests -exec rm -rf {} + \
 && find /venv/lib/python3*/site-packages/babel/locale-data -name '*.dat' \
      ! -name 'root.dat' ! -name 'en.dat' ! -name 'en_*.dat' ! -name 'it.dat' ! -name 'it_*.dat' \
      -delete

FROM deps AS wheel
WORKDIR /src
COPY pyproject.toml README.md alembic.ini ./
COPY templates ./templates
COPY migrations ./migrations
COPY cohorts ./cohorts
COPY app ./app
# The catalog is compiled into the wheel; the wheel is installed under /stage (paths of
# /venv), so the final image takes it as one small layer.
RUN /venv/bin/python -m app.core.i18n \
 && /tools/bin/pip wheel --no-cache-dir --disable-pip-version-check --no-deps \
      --no-build-isolation -w /dist . \
 && /tools/bin/pip --python /venv/bin/python install --no-cache-dir --disable-pip-version-check \
      --no-deps --root /stage /dist/*.whl

FROM runtime-base
COPY --from=deps /venv /venv
COPY --from=wheel /stage/ /
RUN useradd --no-create-home --home-dir /data --uid 10001 --user-group wellspring \
 && mkdir -p /data && chown 10001:10001 /data && chmod 0700 /data
USER 10001:10001
WORKDIR /data
ENV PATH=/venv/bin:$PATH \
    ENVIRONMENT=production \
    DATABASE_URL=sqlite:////data/wellspring.db \
    SECRET_KEY_FILE=/data/.wellspring-secret \
    XDG_CACHE_HOME=/data/.cache \
    FORWARDED_ALLOW_IPS=127.0.0.1
VOLUME ["/data"]
EXPOSE 8000

# Liveness. Load balancers should poll /readyz (database reachable, migrations applied).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# `serve` applies migrations before it listens. WEB_WORKERS: uvicorn processes.
ENV WEB_WORKERS=2
CMD ["sh", "-c", "exec wellspring serve --host 0.0.0.0 --port 8000 --workers \"$WEB_WORKERS\""]
