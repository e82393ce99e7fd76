# The production image: gunicorn serving Django, the same image runs the worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=casemgmt.settings.production

# WeasyPrint needs Pango; fonts so that reports render the same everywhere.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
# `docker compose build --build-arg WITH_S3=1` for documents and reports in S3 storage.
ARG WITH_S3=0
RUN if [ "$WITH_S3" = "1" ]; then pip install --no-cache-dir "django-storages[s3]>=1.14"; fi
COPY . .
RUN SECRET_KEY=collectstatic-only-$(python -c 'import secrets;print(secrets.token_hex(32))') \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --create-home --uid 1000 casework && mkdir -p /app/var && chown -R casework /app/var
USER casework
EXPOSE 8000
CMD ["gunicorn", "casemgmt.wsgi:application", "--config", "gunicorn.conf.py"]
