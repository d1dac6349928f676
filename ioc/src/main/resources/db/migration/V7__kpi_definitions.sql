-- Custom KPIs defined by operators, next to the built-in catalogue.
CREATE TABLE kpi_definition (
    id          VARCHAR(64) PRIMARY KEY,
    definition  VARCHAR(1000000) NOT NULL,
    created_at  BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL
);
