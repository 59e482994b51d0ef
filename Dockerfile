# syntax=docker/dockerfile:1
# Build: docker build -t callflow .
# Run:   docker run -p 8080:8080 -v "$PWD/flows:/app/flows:ro" -v "$PWD/config:/app/config:ro" callflow
# Only the callback port is published. The admin API and /metrics listen on 127.0.0.1:8081 inside the container;
# to scrape /metrics from another container set CALLFLOW_ADMIN_HOST=0.0.0.0 and keep 8081 off the published ports.

# Compiled for Java 17 (maven.compiler.release), run on JRE 25.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY flows ./flows
COPY config ./config
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:25-jre
# A numeric user (no name to resolve), so Kubernetes runAsNonRoot can verify it is not root.
RUN groupadd --system --gid 10001 callflow \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home callflow
WORKDIR /app
COPY --from=build /src/target/callflow.jar /app/callflow.jar
# The example flows (writable, for PUT /api/flows) and configuration: mount your own over them. No VOLUME on /app/config,
# so a rebuilt image or an edited mount is what the next container reads, not a stale anonymous volume.
COPY flows /app/flows
COPY config /app/config
# Undelivered activity records wait here (report.outboxDir): a volume, so they outlive the container.
RUN mkdir -p /app/outbox && chown -R 10001:10001 /app/outbox /app/flows
USER 10001:10001
EXPOSE 8080
VOLUME ["/app/outbox"]
# /health answers while the process serves callbacks (curl is not in the JRE image; bash's /dev/tcp is).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"up\"' <&3"]
# GC: generational ZGC (the default mode of ZGC on JDK 25) with the heap at 75 % of the container's memory. At half of
# callflow's maximum, open loop, it kept p99 at 2.4 ms and p99.9 at 9.1 ms where G1 on the same JRE gave 5.8 and
# 17.1 ms; a later run at a third more load on two cores found ZGC stalling allocations (p99 9.3 ms) and G1 on JDK 17
# lower (3.3 ms): ZGC wants cores to spare (bench/README.md, both "Results"). Change these flags only together with
# bench/README.md.
ENTRYPOINT ["java", "-XX:+UseZGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/callflow.jar"]
CMD ["serve", "--config", "/app/config/application.json"]
