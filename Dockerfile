# MedBot image: the locked dependencies and the package (its migrations inside) in a virtual
# environment built in a first stage; the final stage is the slim base, that environment and
# a non-root user, with no build tools, source tree or pip cache.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/medbot
ENV PATH=/opt/medbot/bin:$PATH
WORKDIR /src
# Exactly the versions and hashes of the lock, as wheels only: nothing compiles.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps --only-binary :all: -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
# The catalogs are compiled (Babel is locked), then the package installed with them.
RUN pybabel compile --domain medbot --directory bot/locales \
    && pip install --no-deps .

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/medbot/bin:$PATH

RUN useradd --create-home --uid 10001 medbot
COPY --from=build /opt/medbot /opt/medbot
WORKDIR /home/medbot
USER medbot
# Webhook mode listens here (WEBHOOK_PORT), plain HTTP for the TLS proxy in front of it.
EXPOSE 8443
# `medbot run` applies pending migrations itself before it starts polling.
CMD ["medbot", "run"]
