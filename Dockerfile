# syntax=docker/dockerfile:1
# Build: docker build -t callflow .
# Run:   docker run -p 8080:8080 -v "$PWD/flows:/app/flows:ro" -v "$PWD/config:/app/config:ro" callflow

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY flows ./flows
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system callflow && useradd --system --gid callflow --home-dir /app callflow
WORKDIR /app
COPY --from=build /src/target/callflow.jar /app/callflow.jar
COPY flows /app/flows
COPY config /app/config
# Undelivered activity records wait here (report.outboxDir): a volume, so they outlive the container.
RUN mkdir -p /app/outbox && chown -R callflow:callflow /app
USER callflow
EXPOSE 8080
VOLUME ["/app/flows", "/app/config", "/app/outbox"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/callflow.jar"]
CMD ["serve", "--config", "/app/config/application.json"]
