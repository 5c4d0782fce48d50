# MedBot image: the package (its migrations inside), and `medbot` as the entry point.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 medbot

COPY pyproject.toml README.md ./
COPY bot ./bot
# Babel comes with the package; the catalogs are compiled, then the package installed with them.
RUN pip install . \
    && pybabel compile --domain medbot --directory bot/locales \
    && pip install --no-deps --force-reinstall .

USER medbot
# `medbot run` applies pending migrations itself before it starts polling.
CMD ["medbot", "run"]
